/** Decoding of attribute values: the five predefined entities and numeric character references only. */

const PREDEFINED: ReadonlyMap<string, string> = new Map([
  ["lt", "<"],
  ["gt", ">"],
  ["amp", "&"],
  ["quot", '"'],
  ["apos", "'"],
]);

/** Longest reference looked at after `&`, so a stray `&` costs a bounded scan. */
const MAX_REFERENCE = 32;

export type DecodedValue = { ok: true; value: string } | { ok: false; offset: number; found: string; expected: string; message: string };

/** Literal tab, CR, LF and CRLF become one space each (XML attribute-value normalisation). */
const normaliseSpace = (s: string): string => s.replace(/\r\n|[\t\n\r]/g, " ");

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

function decodeReference(ref: string): string | null {
  const named = PREDEFINED.get(ref);
  if (named !== undefined) return named;
  const m = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ref);
  if (!m) return null;
  const cp = m[1] !== undefined ? parseInt(m[1], 16) : parseInt(m[2]!, 10);
  return isXmlChar(cp) ? String.fromCodePoint(cp) : null;
}

/** Decodes the raw text between the quotes; `offset` in a failure is relative to `raw`. */
export function decodeAttributeValue(raw: string): DecodedValue {
  let amp = raw.indexOf("&");
  if (amp < 0) return { ok: true, value: normaliseSpace(raw) };
  let out = "";
  let from = 0;
  while (amp >= 0) {
    out += normaliseSpace(raw.slice(from, amp));
    const semi = raw.indexOf(";", amp + 1);
    const ref = semi > amp && semi - amp <= MAX_REFERENCE ? raw.slice(amp + 1, semi) : null;
    const decoded = ref === null ? null : decodeReference(ref);
    if (decoded === null) {
      const written = ref === null ? raw.slice(amp, amp + 12) : `&${ref};`;
      return {
        ok: false,
        offset: amp,
        found: JSON.stringify(written),
        expected: "&amp; &lt; &gt; &quot; &apos; or a character reference such as &#233;",
        message:
          ref === null
            ? "'&' in an attribute value must start a reference such as &amp;"
            : `unsupported reference ${written}: entities are never expanded, only the five predefined ones and valid character references`,
      };
    }
    out += decoded;
    from = semi + 1;
    amp = raw.indexOf("&", from);
  }
  return { ok: true, value: out + normaliseSpace(raw.slice(from)) };
}
