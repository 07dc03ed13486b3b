/** Async clean-ups to run when the bench is interrupted (servers and browsers it started, temp dirs). */
const cleanups = new Set<() => Promise<void>>();

/** Registers `fn`; call the returned function once the resource is released normally. */
export function onInterrupt(fn: () => Promise<void>): () => void {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

/** Runs every registered clean-up, giving them `timeoutMs` in total. */
export async function runInterruptCleanups(timeoutMs = 10_000): Promise<void> {
  const all = Promise.allSettled([...cleanups].map((fn) => fn()));
  cleanups.clear();
  await Promise.race([all, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
}
