/** Plain-text tables for the terminal: the first `leftColumns` columns left-aligned, the rest right-aligned. */
export function formatRows(header: string[], rows: string[][], leftColumns = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    widths
      .map((w, i) => {
        const cell = cells[i] ?? '';
        return i < leftColumns ? cell.padEnd(w) : cell.padStart(w);
      })
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export const fixed = (n: number | undefined, digits: number) =>
  n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits);

/** Nearest-rank median of a non-empty list (the lower middle for even counts, so it is a measured value). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length / 2) - 1]!;
}

export const max = (values: readonly number[]) => (values.length === 0 ? NaN : Math.max(...values));

export const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;
