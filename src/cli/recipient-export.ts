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
  return Math.max(0, index);
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

/**
 * The field at `column`, scanning only up to it with indexOf (no per-character loop, no split of
 * the whole line): quoted fields may hold the delimiter and doubled quotes.
 */
export function fieldAt(line: string, layout: Layout): string | undefined {
  const delimiter = layout.delimiter;
  if (delimiter === null) return line;
  let start = 0;
  for (let index = 0; ; index += 1) {
    if (start > line.length) return undefined;
    let value: string;
    let end: number;
    if (line.charCodeAt(start) === QUOTE) {
      let close = line.indexOf('"', start + 1);
      let doubled = false;
      while (close >= 0 && line.charCodeAt(close + 1) === QUOTE) {
        doubled = true;
        close = line.indexOf('"', close + 2);
      }
      if (close < 0) return undefined;
      end = line.indexOf(delimiter, close + 1);
      if (end < 0) end = line.length;
      if (index !== layout.column) {
        start = end + 1;
        continue;
      }
      value = line.slice(start + 1, close);
      return doubled ? value.replaceAll('""', '"') : value;
    }
    end = line.indexOf(delimiter, start);
    if (end < 0) end = line.length;
    if (index === layout.column) return line.slice(start, end);
    start = end + 1;
  }
}

const QUOTE = 0x22;

const DOMAIN = /^[^\s@.,;:"'<>()[\]\\]+(?:\.[^\s@.,;:"'<>()[\]\\]+)+$/;

/**
 * The lower-cased domain of an address ("Ann <ann@Example.COM>" → example.com), or null when it is
 * not one. `known` says a domain was already accepted, which saves checking it again.
 */
export function domainOf(raw: string, known: (domain: string) => boolean = () => false): string | null {
  let address = raw;
  if (isSpace(address.charCodeAt(0)) || isSpace(address.charCodeAt(address.length - 1))) address = address.trim();
  if (address.charCodeAt(address.length - 1) === 0x3e) {
    const open = address.lastIndexOf("<");
    if (open >= 0) address = address.slice(open + 1, -1).trim();
  }
  const at = address.lastIndexOf("@");
  if (at <= 0 || at === address.length - 1) return null;
  let domain = address.slice(at + 1);
  if (UPPER.test(domain)) domain = domain.toLowerCase();
  if (domain.charCodeAt(domain.length - 1) === 0x2e) domain = domain.slice(0, -1);
  if (known(domain)) return domain;
  return domain.length <= 253 && DOMAIN.test(domain) ? domain : null;
}

const UPPER = /[A-Z]/;
const isSpace = (code: number) => code === 0x20 || code === 0x09 || code === 0xa0 || code === 0xfeff;

/**
 * Domain counts in bounded memory: exact until `limit` distinct domains; then the smallest are
 * dropped (their addresses stay in the total, so in "other") and the largest count dropped is kept,
 * which bounds how low any count can be.
 */
export class DomainCounter {
  /** A box per domain, so counting one address is a single map lookup. */
  private readonly boxes = new Map<string, { n: number }>();
  total = 0;
  maxDropped = 0;

  constructor(readonly limit: number) {}

  has(domain: string): boolean {
    return this.boxes.has(domain);
  }

  add(domain: string): void {
    this.total += 1;
    const box = this.boxes.get(domain);
    if (box !== undefined) {
      box.n += 1;
      return;
    }
    if (this.boxes.size >= this.limit) this.prune();
    this.boxes.set(domain, { n: 1 });
  }

  get size(): number {
    return this.boxes.size;
  }

  *counts(): IterableIterator<[string, number]> {
    for (const [domain, box] of this.boxes) yield [domain, box.n];
  }

  /** Drops the smallest counts until at most half the limit remain. */
  private prune(): void {
    const sorted = [...this.boxes.values()].map((box) => box.n).sort((a, b) => a - b);
    const threshold = sorted[sorted.length - Math.floor(this.limit / 2)] ?? 0;
    for (const [domain, box] of this.boxes) {
      if (box.n <= threshold) {
        this.boxes.delete(domain);
        if (box.n > this.maxDropped) this.maxDropped = box.n;
      }
    }
  }
}
