/**
 * The encoding an XML declaration names, and which of them mx-guard reads (the shells decode the
 * bytes with it, src/io/decode.ts; the reader refuses the others at the declaration).
 */

export type Charset = "utf-8" | "utf-16" | "iso-8859-1" | "windows-1252";

/** Names compared case-insensitively (XML 1.0 §4.3.3), with the usual aliases. */
const CHARSETS: ReadonlyMap<string, Charset> = new Map([
  ["utf-8", "utf-8"],
  ["utf8", "utf-8"],
  ["utf-16", "utf-16"],
  ["utf-16le", "utf-16"],
  ["utf-16be", "utf-16"],
  ["iso-8859-1", "iso-8859-1"],
  ["iso8859-1", "iso-8859-1"],
  ["iso_8859-1", "iso-8859-1"],
  ["latin1", "iso-8859-1"],
  ["latin-1", "iso-8859-1"],
  ["l1", "iso-8859-1"],
  ["windows-1252", "windows-1252"],
  ["cp1252", "windows-1252"],
  ["us-ascii", "utf-8"],
  ["ascii", "utf-8"],
]);

export const READABLE_ENCODINGS = "UTF-8, ISO-8859-1, windows-1252 or UTF-16 (with a byte-order mark)";

export function charsetOf(name: string): Charset | null {
  return CHARSETS.get(name.toLowerCase()) ?? null;
}

/** `encoding="…"` of an XML declaration at the start of the text (after a BOM), with the value's offset. */
export function declaredEncoding(text: string): { name: string; offset: number } | null {
  const match = /^(\uFEFF?<\?xml\s[^?>]*?\bencoding\s*=\s*)(["'])([^"'<>]*)\2/.exec(text.slice(0, 400));
  if (!match) return null;
  return { name: match[3]!, offset: match[1]!.length + 1 };
}
