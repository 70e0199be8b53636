/** Median of the finite values in a list (mean of the two middle ones for an even count); NaN if none. */
export function median(values: readonly number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Formats a ratio with two decimals, e.g. `0.93×`. */
export function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : 'n/a';
}

/** Formats req/s without decimals and with thousands separators. */
export function formatRate(rate: number): string {
  return Number.isFinite(rate) ? Math.round(rate).toLocaleString('en-US') : 'n/a';
}
