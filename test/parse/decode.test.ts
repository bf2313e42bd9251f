import { describe, expect, it } from "vitest";
import { decodeDocument } from "../../src/io/decode.js";
import { MAX_FILE_BYTES } from "../../src/parse/limits.js";

const declared = (encoding: string, body: number[]) =>
  Uint8Array.from([...Buffer.from(`<?xml version="1.0" encoding="${encoding}"?>\n<a>`), ...body, ...Buffer.from("</a>")]);

describe("decodeDocument: the document's own encoding", () => {
  it("follows a byte-order mark first (and drops it)", () => {
    expect(decodeDocument(Uint8Array.from([0xef, 0xbb, 0xbf, 0x61, 0xc3, 0xa9]))).toBe("aé");
    expect(decodeDocument(Uint8Array.from([0xfe, 0xff, 0x00, 0x61, 0x00, 0xe9]))).toBe("aé");
    expect(decodeDocument(Uint8Array.from([0xff, 0xfe, 0x61, 0x00, 0xe9, 0x00]))).toBe("aé");
    // Without a mark, "<?" in UTF-16 (XML 1.0 appendix F) still says which byte order it is.
    expect(decodeDocument(Buffer.from('<?xml version="1.0" encoding="UTF-16"?><a>é</a>', "utf16le"))).toBe(
      '<?xml version="1.0" encoding="UTF-16"?><a>é</a>',
    );
    expect(decodeDocument(Buffer.from('<?xml version="1.0"?><a/>', "utf16le").swap16())).toBe('<?xml version="1.0"?><a/>');
  });

  it("then the XML declaration: ISO-8859-1 maps bytes to code points, windows-1252 has € and curly quotes at 0x80–0x9F", () => {
    expect(decodeDocument(declared("ISO-8859-1", [0xe9, 0x80]))).toContain("<a>é\u0080</a>");
    expect(decodeDocument(declared("latin1", [0xe9]))).toContain("<a>é</a>");
    expect(decodeDocument(declared("windows-1252", [0x80, 0x92, 0xe9]))).toContain("<a>€’é</a>");
    expect(decodeDocument(declared("UTF-8", [0xc3, 0xa9]))).toContain("<a>é</a>");
  });

  it("else UTF-8 (YAML, or XML without a declaration); an unknown encoding is left to the reader, decoded as UTF-8", () => {
    expect(decodeDocument(Buffer.from("a: é\n"))).toBe("a: é\n");
    expect(decodeDocument(Uint8Array.from([0x3c, 0x61, 0x3e, 0xe9]))).toBe("<a>\uFFFD");
    expect(decodeDocument(declared("EBCDIC-CP-FR", [0x41]))).toContain('encoding="EBCDIC-CP-FR"');
  });

  it("cuts an oversized file just past the cap", () => {
    expect(decodeDocument(new Uint8Array(MAX_FILE_BYTES + 10).fill(0x20), MAX_FILE_BYTES + 10)).toHaveLength(MAX_FILE_BYTES + 1);
  });
});
