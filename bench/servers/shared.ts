/** What every bench server does the same way: pick its port, announce readiness, stop on a signal. */

/** The port from argv[2], else the PORT env, else 0 (any free port; READY tells which). */
export function portFromArgs(argv = process.argv, env = process.env): number {
  const raw = argv[2] ?? env.PORT ?? '0';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${raw}`);
  return port;
}

/** The line the harness waits for on stdout. */
export function announceReady(port: number): void {
  process.stdout.write(`READY ${port}\n`);
}

/** Runs `close` once on SIGTERM/SIGINT, then exits (1 if closing failed). */
export function closeOnSignals(close: () => Promise<void>): void {
  let closing = false;
  const onSignal = () => {
    if (closing) return;
    closing = true;
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`error while closing: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
