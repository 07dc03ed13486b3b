/** The baseline: a bare Fastify 5 hello-world. Usage: tsx bench/servers/baseline.ts [port] */
import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import { announceReady, closeOnSignals, portFromArgs } from './shared';

const app = Fastify();
app.get('/', async () => ({ hello: 'world' }));

await app.listen({ port: portFromArgs(), host: '127.0.0.1' });
closeOnSignals(() => app.close());
announceReady((app.server.address() as AddressInfo).port);
