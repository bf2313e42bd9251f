import { MAX_FILE_BYTES } from "./file-source.js";
import { charsetOf, declaredEncoding } from "../model/xml-encoding.js";

/**
 * Bytes → text for the parsers. Oversized files are cut to the cap plus one character so the parser
 * reports the size (with its position) instead of the shell loading 50 MB; invalid UTF-8 becomes
 * U+FFFD, which the parsers reject with a position.
 */
export function decodeUtf8(bytes: Uint8Array, totalSize: number = bytes.length): string {
  return new TextDecoder("utf-8", { fatal: false }).decode(capped(bytes, totalSize));
}

/**
 * Bytes → text following the document, as XML 1.0 (appendix F) reads it: a byte-order mark first
 * (UTF-8, UTF-16LE, UTF-16BE; or "<?" in UTF-16), then the encoding named in an XML declaration (UTF-8, ISO-8859-1,
 * windows-1252), else UTF-8. YAML files have neither, so they are read as UTF-8. An encoding mx-guard
 * does not know is decoded as UTF-8 and left to the XML reader, which reports it at the declaration.
 * The byte-order mark is dropped, as before: positions never counted it.
 */
export function decodeDocument(bytes: Uint8Array, totalSize: number = bytes.length): string {
  const data = capped(bytes, totalSize);
  const [b0, b1, b2] = data;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return new TextDecoder("utf-8").decode(data);
  if (b0 === 0xff && b1 === 0xfe) return new TextDecoder("utf-16le").decode(data);
  if (b0 === 0xfe && b1 === 0xff) return new TextDecoder("utf-16be").decode(data);
  // "<?" in UTF-16 without a byte-order mark (XML 1.0 appendix F): read as UTF-16 rather than as NULs.
  const b3 = data[3];
  if (b0 === 0x3c && b1 === 0x00 && b2 === 0x3f && b3 === 0x00) return new TextDecoder("utf-16le").decode(data);
  if (b0 === 0x00 && b1 === 0x3c && b2 === 0x00 && b3 === 0x3f) return new TextDecoder("utf-16be").decode(data);
  // The declaration is ASCII in every encoding mx-guard reads without a BOM, so reading the first
  // bytes as Latin-1 finds it without knowing the encoding yet.
  const head = Buffer.from(data.subarray(0, 200)).toString("latin1");
  const declared = declaredEncoding(head);
  const charset = declared === null ? "utf-8" : charsetOf(declared.name);
  if (charset === "iso-8859-1") return Buffer.from(data).toString("latin1");
  if (charset === "windows-1252") return decodeWindows1252(data);
  return new TextDecoder("utf-8", { fatal: false }).decode(data);
}

function capped(bytes: Uint8Array, totalSize: number): Uint8Array {
  return totalSize > MAX_FILE_BYTES ? bytes.subarray(0, MAX_FILE_BYTES + 1) : bytes;
}

/** windows-1252's 0x80–0x9F (the rest is ISO-8859-1); its five unassigned bytes stay C1 controls. */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f, 0x90, 0x2018,
  0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];

// Written out rather than TextDecoder("windows-1252"): Node builds without full ICU and Bun differ there.
function decodeWindows1252(data: Uint8Array): string {
  let out = "";
  const chunk: number[] = [];
  for (const byte of data) {
    chunk.push(byte >= 0x80 && byte <= 0x9f ? CP1252_HIGH[byte - 0x80]! : byte);
    if (chunk.length === 8192) {
      out += String.fromCharCode(...chunk);
      chunk.length = 0;
    }
  }
  return out + String.fromCharCode(...chunk);
}
