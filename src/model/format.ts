/** Locale-independent number and duration wording, shared by the parsers, detectors and renderers. */

/** Thousands separators with `sep`, independent of the locale. */
export function groupDigits(n: number, sep = ","): string {
  const negative = n < 0;
  const digits = String(Math.abs(Math.trunc(n)));
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  return negative ? `-${grouped}` : grouped;
}

/** Formats seconds the way the files write them, e.g. 5400 → "1h30m" (used in messages). */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return "0s";
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, size] of [
    ["d", 86400],
    ["h", 3600],
    ["m", 60],
    ["s", 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join("");
}
