/** Which benchmark groups `npm run bench` runs: `--only=transcode,startup` or BENCH_ONLY=…; all by default. */

export const GROUPS = ['http', 'transcode', 'startup', 'web'] as const;
export type Group = (typeof GROUPS)[number];

const isGroup = (value: string): value is Group => (GROUPS as readonly string[]).includes(value);

/**
 * The groups to run, in the fixed order of GROUPS. A `--only=<list>` (or
 * `--only <list>`) argument wins over BENCH_ONLY; an empty or missing value means every group.
 */
export function readGroups(
  argv: readonly string[] = process.argv.slice(2),
  env: Record<string, string | undefined> = process.env,
): Group[] {
  let raw = env.BENCH_ONLY;
  let source = 'BENCH_ONLY';
  argv.forEach((arg, i) => {
    if (arg.startsWith('--only=')) raw = arg.slice('--only='.length);
    else if (arg === '--only') raw = argv[i + 1] ?? '';
    else return;
    source = '--only';
  });
  const wanted = (raw ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (wanted.length === 0) return [...GROUPS];
  const unknown = wanted.filter((w) => !isGroup(w));
  if (unknown.length > 0) {
    throw new Error(`${source}: unknown group ${unknown.join(', ')} (choose from ${GROUPS.join(', ')})`);
  }
  return GROUPS.filter((g) => wanted.includes(g));
}
