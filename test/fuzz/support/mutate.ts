/**
 * Text mutations for fuzzing: structure-blind edits (delete, duplicate and swap lines, byte flips,
 * truncation), type swaps (a value replaced by a token of another type), huge numbers, unicode,
 * and deep nesting. Positions are drawn as plain numbers and reduced modulo the text at apply time,
 * so any mutation applies to any text and shrinks well.
 */
import fc from "fast-check";

export type Format = "xml" | "yaml" | "json";

/** Odd characters: controls, line ends, BOM, lone surrogates, U+FFFD, non-characters, RTL, emoji. */
export const ODD_CHARS = [
  "\u0000",
  "\u0001",
  "\u0007",
  "\u001b",
  "\t",
  "\r",
  "\n",
  "\r\n",
  "\u000b",
  "\u000c",
  "\u0085",
  "\u2028",
  "\u2029",
  "\uFEFF",
  "\uD800",
  "\uDC00",
  "\uDBFF\uDFFF",
  "\uFFFD",
  "\uFFFE",
  "\uFFFF",
  "\u202E",
  "\u0301",
  "é",
  "ß",
  "İ",
  "ﬀ",
  "🙂",
  "𝔘",
  "中",
  "\u00A0",
  "\u3000",
];

export const HUGE_NUMBERS = [
  "-1",
  "0",
  "-0",
  "1e309",
  "-1e309",
  "1e-400",
  "9007199254740991",
  "9007199254740993",
  "99999999999999999999999",
  `1${"0".repeat(400)}`,
  "1000000000000000",
  "0.1",
  "3.5",
  "1,000,000,000,000,000",
  "1,2,3",
  "0x1F",
  "0o17",
  "0b101",
  "NaN",
  "Infinity",
  "4294967296",
  "2147483648",
  "-9007199254740993",
];

const YAML_TOKENS = [
  "null",
  "~",
  "true",
  "false",
  "yes",
  "no",
  "on",
  ".inf",
  "-.inf",
  ".nan",
  "[]",
  "{}",
  "[1, 2]",
  "{a: 1}",
  "[[[]]]",
  "&a x",
  "*a",
  "&a [1]",
  "*undefined",
  "<<: *a",
  "!!str 1",
  "!!binary AAAA",
  "!!timestamp 2026-01-01",
  "!!int x",
  "!custom x",
  "|\n  text",
  ">-\n  folded",
  "'quoted'",
  '"dq"',
  '"\\u0000"',
  '"\\uD800"',
  '"\\x7f"',
  "'é'",
  "---",
  "...",
  "%YAML 1.1",
  "%TAG ! tag:x:",
  "# comment",
  "? complex\n: value",
  "- ",
  ": ",
  "- - - -",
  "\t",
  "  ",
  "2026-11-27T08:00:00Z",
  "9999-12-31T23:59:59Z",
  "0001-01-01T00:00:00Z",
  "2026-02-30T08:00:00Z",
  "2026-11-27T08:00:00",
  "2026-11-27T24:00:00Z",
  "1h30m",
  "5d",
  "0s",
  "99999999d",
  "1.5h",
  "35%",
  "150%",
  "-5%",
  "0.35",
  "1e-7",
  "0.0000000000001",
  '"*.google.com"',
  '"*"',
  '"*a*a*a*a*a*a*a*a*a*a*b"',
  '"???"',
  "mask",
  "rules",
  "deliveries",
  "providers",
  "instances",
  "domains",
  "gmail.com: 50%",
  "other: 10%",
  "$schema: x",
  "__proto__: {}",
  "constructor: 1",
  "toString: 1",
  "hasOwnProperty: x",
];

const JSON_TOKENS = [
  "null",
  "true",
  "false",
  "[]",
  "{}",
  "[1,2]",
  '{"a":1}',
  '"x"',
  '""',
  '"\\u0000"',
  '"\\ud800"',
  ",",
  ":",
  "{",
  "}",
  "[",
  "]",
  '"__proto__"',
  '{"__proto__":{"polluted":1}}',
  '"constructor"',
  "1e309",
  "-0",
  '"35%"',
  '"1,200"',
  '"5d"',
  "/* c */",
  "// c\n",
];

const XML_TOKENS = [
  "&amp;",
  "&lt;",
  "&bogus;",
  "&#0;",
  "&#xD800;",
  "&#1114112;",
  "&#x10FFFF;",
  "&#65;",
  "&",
  "&#;",
  "&#x;",
  '<!DOCTYPE x [<!ENTITY a "b">]>',
  '<!ENTITY lol "lol">',
  '<!DOCTYPE x SYSTEM "file:///etc/passwd">',
  "<![CDATA[x]]>",
  "<![CDATA[",
  "<!-- c -->",
  "<!--",
  "-->",
  "<?pi x?>",
  "<?xml version='1.0'?>",
  "</mta>",
  "<mta>",
  "</smtp>",
  "<smtp>",
  "<child>",
  "</child>",
  '<IP address="1.2.3.4" publicId="7"/>',
  '<IP address="1.2.3.4"/>',
  '<IP publicId="1"/>',
  '<IPAffinity name="default">',
  "</IPAffinity>",
  '<IPAffinity name=";;">',
  '<relay address="relay.example"/>',
  '<mta useMomentum="true"/>',
  '"',
  "'",
  "<",
  ">",
  "/>",
  "</",
  "=",
  " ",
  ' _enableTLS="true"',
  ' enableTLS="maybe"',
  ' publicId="99999999999999999999"',
  ' maxAgeSec="-1"',
  ' maxAgeSec="999999999"',
  ' maxSpareServers="0"',
  ' weight="1e3"',
  ' includeDomains="*a*a*a*a*a*a*a*a*a*a*b"',
  ' excludeDomains=",,,"',
  ' name="a;b;c"',
  ' a="1" a="2"',
  "<serverConf>",
  "</serverConf>",
  "<serverconf/>",
  "<root/>",
  "<x:y xmlns:x='u'/>",
];

export const TOKENS: Record<Format, string[]> = {
  xml: [...XML_TOKENS, ...HUGE_NUMBERS],
  yaml: [...YAML_TOKENS, ...HUGE_NUMBERS],
  json: [...JSON_TOKENS, ...HUGE_NUMBERS],
};

export type Mutation =
  | { op: "delete-line"; at: number }
  | { op: "duplicate-line"; at: number }
  | { op: "swap-lines"; at: number; other: number }
  | { op: "flip"; at: number; char: string }
  | { op: "delete-range"; at: number; length: number }
  | { op: "insert"; at: number; text: string }
  | { op: "replace-value"; at: number; text: string }
  | { op: "indent"; at: number; delta: number }
  | { op: "truncate"; at: number }
  | { op: "repeat"; at: number; length: number; times: number }
  | { op: "nest"; at: number; depth: number }
  | { op: "line-ends"; style: "crlf" | "cr" | "mixed" }
  | { op: "bom" };

const splitLines = (text: string): string[] => text.split("\n");

/** Applies one mutation; every index is reduced into range, so nothing here can throw. */
export function applyMutation(text: string, m: Mutation, format: Format): string {
  const len = text.length;
  const pos = (n: number) => (len === 0 ? 0 : n % (len + 1));
  switch (m.op) {
    case "delete-line":
    case "duplicate-line":
    case "swap-lines":
    case "indent": {
      const lines = splitLines(text);
      const i = m.at % lines.length;
      if (m.op === "delete-line") lines.splice(i, 1);
      else if (m.op === "duplicate-line") lines.splice(i, 0, lines[i]!);
      else if (m.op === "swap-lines") {
        const j = m.other % lines.length;
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      } else {
        lines[i] =
          m.delta >= 0
            ? " ".repeat(m.delta) + lines[i]
            : lines[i]!.slice(Math.min(-m.delta, lines[i]!.length - lines[i]!.trimStart().length));
      }
      return lines.join("\n");
    }
    case "flip": {
      const at = pos(m.at);
      return text.slice(0, at) + m.char + text.slice(at + 1);
    }
    case "delete-range": {
      const at = pos(m.at);
      return text.slice(0, at) + text.slice(at + m.length);
    }
    case "insert": {
      const at = pos(m.at);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case "replace-value":
      return replaceValue(text, m.at, m.text, format);
    case "truncate":
      return text.slice(0, pos(m.at));
    case "repeat": {
      const at = pos(m.at);
      const piece = text.slice(at, at + m.length);
      return text.slice(0, at) + piece.repeat(m.times) + text.slice(at);
    }
    case "nest": {
      const at = pos(m.at);
      const [open, close] = format === "xml" ? ["<n>", "</n>"] : format === "json" ? ["[", "]"] : ["[", "]"];
      return text.slice(0, at) + open.repeat(m.depth) + close.repeat(m.depth) + text.slice(at);
    }
    case "line-ends":
      if (m.style === "crlf") return text.replace(/\r?\n/g, "\r\n");
      if (m.style === "cr") return text.replace(/\r?\n/g, "\r");
      return text.replace(/\r?\n/g, (_, i: number) => (i % 3 === 0 ? "\r\n" : i % 3 === 1 ? "\n" : "\r"));
    case "bom":
      return `\uFEFF${text}`;
  }
}

/** Replaces the n-th value (YAML/JSON: after ": " or "- "; XML: an attribute value) with `text`. */
function replaceValue(source: string, n: number, text: string, format: Format): string {
  const re = format === "xml" ? /="([^"]*)"/g : format === "json" ? /:\s*("(?:[^"\\]|\\.)*"|[^,}\]\s]+)/g : /(?::|-)[ \t]+([^\n#]+)/g;
  const spots: [number, number][] = [];
  for (const m of source.matchAll(re)) {
    const start = m.index + m[0].length - m[1]!.length;
    spots.push([start, start + m[1]!.length]);
    if (spots.length > 500) break;
  }
  if (spots.length === 0) return source + text;
  const [from, to] = spots[n % spots.length]!;
  return source.slice(0, from) + text + source.slice(to);
}

export function mutationArb(format: Format): fc.Arbitrary<Mutation> {
  const at = fc.nat();
  const token = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...TOKENS[format]) },
    { weight: 2, arbitrary: fc.constantFrom(...ODD_CHARS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12, unit: "binary" }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  );
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ op: fc.constant("delete-line" as const), at }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant("duplicate-line" as const), at }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant("swap-lines" as const), at, other: fc.nat() }) },
    {
      weight: 4,
      arbitrary: fc.record({
        op: fc.constant("flip" as const),
        at,
        char: fc.oneof(
          fc.constantFrom(...ODD_CHARS),
          fc.string({ minLength: 1, maxLength: 1, unit: "binary" }),
          fc.constantFrom(..."<>/\"'=&;:-[]{},#*!|>%@`?"),
        ),
      }),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("delete-range" as const), at, length: fc.integer({ min: 1, max: 80 }) }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant("insert" as const), at, text: token }) },
    { weight: 6, arbitrary: fc.record({ op: fc.constant("replace-value" as const), at, text: token }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("indent" as const), at, delta: fc.integer({ min: -8, max: 8 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("truncate" as const), at }) },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant("repeat" as const),
        at,
        length: fc.integer({ min: 1, max: 200 }),
        times: fc.integer({ min: 2, max: 50 }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("nest" as const), at, depth: fc.integer({ min: 1, max: 3000 }) }) },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant("line-ends" as const),
        style: fc.constantFrom("crlf" as const, "cr" as const, "mixed" as const),
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("bom" as const) }) },
  );
}

/** A text from `base` after one to five mutations. */
export function mutatedArb(base: fc.Arbitrary<string>, format: Format): fc.Arbitrary<string> {
  return fc
    .tuple(base, fc.array(mutationArb(format), { minLength: 1, maxLength: 5 }))
    .map(([text, mutations]) => mutations.reduce((t, m) => applyMutation(t, m, format), text));
}

/** Raw input with no structure: random strings, format-flavoured character soup, and random bytes decoded as UTF-8. */
export function rawArb(format: Format, decode: (bytes: Uint8Array) => string): fc.Arbitrary<string> {
  const alphabet =
    format === "xml"
      ? [..."<>/!?-[]=\"'&;#: \nabIPmta"]
      : format === "json"
        ? [...'{}[]:,"\\ \n0123-.etrufalsn']
        : [...":-[]{}&*!|>'\"#%@`?, \n\tabc01"];
  return fc.oneof(
    fc.string({ maxLength: 300, unit: "binary" }),
    fc.string({ maxLength: 300 }),
    fc.array(fc.constantFrom(...alphabet, ...TOKENS[format]), { maxLength: 120 }).map((parts) => parts.join("")),
    fc.uint8Array({ maxLength: 400 }).map(decode),
  );
}
