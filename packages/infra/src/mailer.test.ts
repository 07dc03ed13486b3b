import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOutboxMailer, createSmtpMailer } from './mailer';

/** Just enough RFC 822 / MIME reading to check what the mailers produce. */
function parseMessage(raw: string): { headers: Map<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  expect(split).toBeGreaterThan(0);
  const headers = new Map<string, string>();
  for (const line of raw
    .slice(0, split)
    .replace(/\r\n[ \t]+/g, ' ')
    .split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: raw.slice(split + 4) };
}

function mimeParts(message: { headers: Map<string, string>; body: string }) {
  const boundary = /boundary="?([^";]+)"?/.exec(message.headers.get('content-type') ?? '')?.[1];
  expect(boundary).toBeDefined();
  return message.body
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => parseMessage(part.replace(/^\r\n/, '')));
}

describe('SMTP mailer', () => {
  let server: SMTPServer;
  let received: string[];
  let smtpUrl: string;

  beforeEach(async () => {
    received = [];
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push(Buffer.concat(chunks).toString('utf8'));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    smtpUrl = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('delivers a text message with the configured sender', async () => {
    const mailer = createSmtpMailer(smtpUrl, 'Kush Films <no-reply@kushfilms.test>');
    expect(mailer.driver).toBe('smtp');
    const { messageId } = await mailer.send({
      to: 'viewer@example.com',
      subject: 'Your receipt',
      text: 'You paid 15000 UGX for Premium.',
    });
    await mailer.close();

    expect(received).toHaveLength(1);
    const message = parseMessage(received[0]!);
    expect(message.headers.get('subject')).toBe('Your receipt');
    expect(message.headers.get('from')).toBe('Kush Films <no-reply@kushfilms.test>');
    expect(message.headers.get('to')).toBe('viewer@example.com');
    expect(message.headers.get('message-id')).toBe(messageId);
    expect(message.body).toContain('You paid 15000 UGX for Premium.');
  });

  it('sends text and HTML alternatives', async () => {
    const mailer = createSmtpMailer(smtpUrl, 'no-reply@kushfilms.test');
    await mailer.send({ to: 'v@example.com', subject: 'Welcome', text: 'Hello', html: '<p>Hello</p>' });
    await mailer.close();
    const parts = mimeParts(parseMessage(received[0]!));
    expect(parts.map((p) => p.headers.get('content-type'))).toEqual([
      expect.stringContaining('text/plain'),
      expect.stringContaining('text/html'),
    ]);
    expect(parts[1]!.body).toContain('<p>Hello</p>');
  });

  it('rejects when the server cannot be reached', async () => {
    const mailer = createSmtpMailer('smtp://127.0.0.1:1', 'no-reply@kushfilms.test');
    await expect(mailer.send({ to: 'v@example.com', subject: 's', text: 't' })).rejects.toThrow();
    await mailer.close();
  });
});

describe('outbox mailer', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'kf-outbox-'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes each message as a parseable .eml file in a directory it creates', async () => {
    const dir = path.join(root, 'nested', 'outbox');
    const mailer = createOutboxMailer(dir, 'Kush Films <no-reply@kushfilms.test>');
    expect(mailer.driver).toBe('outbox');
    const first = await mailer.send({ to: 'a@example.com', subject: 'Reset your password', text: 'Code: 123456' });
    const second = await mailer.send({ to: 'b@example.com', subject: 'Welcome', text: 'Hi', html: '<b>Hi</b>' });
    await mailer.close();

    const files = (await readdir(dir)).sort();
    expect(files).toHaveLength(2);
    for (const file of files) expect(file).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z-[A-Za-z0-9._-]+\.eml$/);

    const messages = await Promise.all(files.map(async (f) => parseMessage(await readFile(path.join(dir, f), 'utf8'))));
    const byId = new Map(messages.map((m) => [m.headers.get('message-id'), m]));
    const reset = byId.get(first.messageId)!;
    expect(reset.headers.get('subject')).toBe('Reset your password');
    expect(reset.headers.get('from')).toBe('Kush Films <no-reply@kushfilms.test>');
    expect(reset.headers.get('to')).toBe('a@example.com');
    expect(reset.body).toContain('Code: 123456');
    expect(mimeParts(byId.get(second.messageId)!)[1]!.body).toContain('<b>Hi</b>');
  });
});
