/** Plain-text and Markdown tables with right-aligned numbers, used by the text reports. */
export type Cell = string | number | null;

export function formatNumber(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

export function formatHours(hours: number | null): string {
  if (hours === null) return "never (expires)";
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  return `${hours.toFixed(1)} h`;
}

function cellText(cell: Cell): string {
  if (cell === null) return "—";
  return typeof cell === "number" ? formatNumber(cell) : cell;
}

export function textTable(header: string[], rows: Cell[][]): string {
  const texts = rows.map((row) => row.map(cellText));
  const widths = header.map((title, column) => Math.max(title.length, ...texts.map((row) => (row[column] ?? "").length)));
  const numeric = header.map((_, column) => rows.length > 0 && rows.every((row) => typeof row[column] === "number" || row[column] === null));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (numeric[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((width) => "-".repeat(width)).join("  "), ...texts.map(line)].join("\n");
}

export function markdownTable(header: string[], rows: Cell[][]): string {
  const escape = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const numeric = header.map((_, column) => rows.length > 0 && rows.every((row) => typeof row[column] === "number" || row[column] === null));
  return [
    `| ${header.map(escape).join(" | ")} |`,
    `|${numeric.map((isNumber) => (isNumber ? " ---: " : " --- ")).join("|")}|`,
    ...rows.map((row) => `| ${row.map((cell) => escape(cellText(cell))).join(" | ")} |`),
  ].join("\n");
}
