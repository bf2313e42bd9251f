/**
 * Reading a recipient export line by line for `mx-guard domains`: the header row and the address
 * column, quoted CSV fields, the domain of each address, and domain counts in bounded memory.
 */
import { UsageError } from "./args.js";

/** Header names that hold the address, best first (compared without case, spaces, '-' or '_'). */
const ADDRESS_COLUMNS = ["email", "emailaddress", "mail", "mailaddress", "address", "courriel"];
const DELIMITERS = [",", ";", "\t", "|"] as const;

export interface Layout {
  /** null: one address per line. */
  delimiter: string | null;
  column: number;
  /** The first line is a header (not counted). */
  header: boolean;
  columnName: string | null;
}

const normalise = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s_-]/g, "");

/** Decides from the first line whether the file is a CSV with a header row, and which column holds the address. */
export function detectLayout(first: string, column: string | null): Layout {
  const line = first.replace(/^\uFEFF/, "");
  const delimiter = pickDelimiter(line);
  const looksLikeAddress = line.includes("@");
  if (looksLikeAddress && column === null) {
    return { delimiter, column: delimiter === null ? 0 : addressField(splitFields(line, delimiter)), header: false, columnName: null };
  }
  const names = delimiter === null ? [line.trim()] : splitFields(line, delimiter);
  if (column !== null) {
    const index = names.findIndex((name) => normalise(name) === normalise(column));
    if (index < 0)
      throw new UsageError(
        `--column ${column}: the header row has no such column (it has ${names.map((n) => JSON.stringify(n.trim())).join(", ")})`,
      );
    return { delimiter, column: index, header: true, columnName: names[index]!.trim() };
  }
  for (const wanted of ADDRESS_COLUMNS) {
    const index = names.findIndex((name) => normalise(name) === wanted);
    if (index >= 0) return { delimiter, column: index, header: true, columnName: names[index]!.trim() };
  }
  const loose = names.findIndex((name) => /mail/.test(normalise(name)));
  if (loose >= 0) return { delimiter, column: loose, header: true, columnName: names[loose]!.trim() };
  throw new UsageError(
    `the first line is neither an address nor a header row with an e-mail column (looked for email, e-mail, mail, address; found ${names
      .slice(0, 10)
      .map((n) => JSON.stringify(n.trim()))
      .join(", ")}); name the column with --column NAME`,
  );
}

/** The most frequent delimiter outside quotes, or null for a single column. */
function pickDelimiter(line: string): string | null {
  let best: string | null = null;
  let bestCount = 0;
  for (const delimiter of DELIMITERS) {
    const count = splitFields(line, delimiter).length - 1;
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  }
  return best;
}

function addressField(fields: string[]): number {
  const index = fields.findIndex((field) => field.includes("@"));
  return index < 0 ? 0 : index;
}

/** True while a record is still open: an odd number of quotes means a quoted field goes on to the next line. */
export function isOpenRecord(text: string): boolean {
  let quotes = 0;
  for (let at = text.indexOf('"'); at >= 0; at = text.indexOf('"', at + 1)) quotes += 1;
  return quotes % 2 === 1;
}

/** RFC 4180 fields: "a, b" is one field, "" inside quotes is one quote. */
export function splitFields(line: string, delimiter: string): string[] {
  if (!line.includes('"')) return line.split(delimiter);
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i]!;
    if (quoted) {
      if (char === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i += 1;
        } else quoted = false;
      } else field += char;
    } else if (char === '"') quoted = true;
    else if (char === delimiter) {
      fields.push(field);
      field = "";
    } else field += char;
  }
  fields.push(field);
  return fields;
}

/** The field at `column`, without splitting the whole line when it has no quotes (the common, fast case). */
export function fieldAt(line: string, layout: Layout): string | undefined {
  if (layout.delimiter === null) return line;
  if (line.includes('"')) return splitFields(line, layout.delimiter)[layout.column];
  let start = 0;
  for (let i = 0; i < layout.column; i += 1) {
    const next = line.indexOf(layout.delimiter, start);
    if (next < 0) return undefined;
    start = next + 1;
  }
  const end = line.indexOf(layout.delimiter, start);
  return end < 0 ? line.slice(start) : line.slice(start, end);
}

const DOMAIN = /^[^\s@.,;:"'<>()[\]\\]+(?:\.[^\s@.,;:"'<>()[\]\\]+)+$/;

/** The lower-cased domain of an address ("Ann <ann@Example.COM>" → example.com), or null when it is not one. */
export function domainOf(raw: string): string | null {
  let address = raw.trim();
  const open = address.lastIndexOf("<");
  if (open >= 0 && address.endsWith(">")) address = address.slice(open + 1, -1).trim();
  const at = address.lastIndexOf("@");
  if (at <= 0 || at === address.length - 1) return null;
  let domain = address.slice(at + 1).toLowerCase();
  if (domain.endsWith(".")) domain = domain.slice(0, -1);
  return domain.length <= 253 && DOMAIN.test(domain) ? domain : null;
}

/**
 * Domain counts in bounded memory: exact until `limit` distinct domains; then the smallest are
 * dropped (their addresses stay in the total, so in "other") and the largest count dropped is kept,
 * which bounds how low any count can be.
 */
export class DomainCounter {
  readonly counts = new Map<string, number>();
  total = 0;
  maxDropped = 0;

  constructor(readonly limit: number) {}

  add(domain: string): void {
    this.total += 1;
    const count = this.counts.get(domain);
    if (count !== undefined) {
      this.counts.set(domain, count + 1);
      return;
    }
    if (this.counts.size >= this.limit) this.prune();
    this.counts.set(domain, 1);
  }

  /** Drops the smallest counts until at most half the limit remain. */
  private prune(): void {
    const sorted = [...this.counts.values()].sort((a, b) => a - b);
    const threshold = sorted[sorted.length - Math.floor(this.limit / 2)] ?? 0;
    for (const [domain, count] of this.counts) {
      if (count <= threshold) {
        this.counts.delete(domain);
        if (count > this.maxDropped) this.maxDropped = count;
      }
    }
  }
}
