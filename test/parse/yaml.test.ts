import { describe, expect, it } from "vitest";
import { MAX_FILE_BYTES } from "../../src/io/file-source.js";
import { closest, didYouMean, editDistance, keySpanAt, readYaml, spanAt, type YamlSource } from "../../src/parse/yaml/index.js";
import { onlyError, valueOf, yaml } from "./yaml-helpers.js";

function read(text: string): YamlSource {
  return valueOf(readYaml(text, "f.yaml"));
}

describe("readYaml", () => {
  it("reads YAML and JSON into plain values", () => {
    expect(read(yaml("a: 1", "b: [x, y]")).value).toEqual({ a: 1, b: ["x", "y"] });
    expect(read('{"a": 1, "b": ["x", "y"]}').value).toEqual({ a: 1, b: ["x", "y"] });
  });

  it("keeps timestamps and yes/no as text, whatever %YAML directive the file has", () => {
    expect(read(yaml("start: 2026-11-27T08:00:00Z", "flag: yes")).value).toEqual({ start: "2026-11-27T08:00:00Z", flag: "yes" });
    expect(read(yaml("%YAML 1.1", "---", "start: 2026-11-27", "flag: yes")).value).toEqual({ start: "2026-11-27", flag: "yes" });
  });

  it("strips a byte-order mark", () => {
    expect(read("\uFEFFa: 1\n").value).toEqual({ a: 1 });
  });

  it("reports a syntax error at its 1-based line and column", () => {
    const error = onlyError(readYaml(yaml("rules:", "  - mask: a", "    x: [1, 2", "y: 3"), "f.yaml"));
    expect(error.file).toBe("f.yaml");
    expect(error.message).toMatch(/^YAML syntax error: /);
    expect(error.message).not.toContain("\n");
    // The flow sequence is never closed: reported where its "[" opens, not where the parser gave up.
    expect([error.line, error.column]).toEqual([3, 8]);
    expect(error.message).toBe('YAML syntax error: the flow sequence "[" opened here is never closed with "]"');
  });

  it("reports a nested compact mapping at the offending column", () => {
    const error = onlyError(readYaml("a: b: c\n", "f.yaml"));
    expect([error.line, error.column]).toEqual([1, 4]);
  });

  it("reports a duplicate key at the second occurrence", () => {
    const error = onlyError(readYaml(yaml("rules:", "  - mask: a", "    mask: b"), "f.yaml"));
    expect(error).toMatchObject({ line: 3, column: 5, message: "duplicate key: each key may appear only once in a mapping" });
  });

  it("stops an alias bomb quickly, at the first alias", () => {
    const bomb = yaml(
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
      "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]",
      "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]",
      "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]",
      "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]",
      "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]",
    );
    const started = Date.now();
    const error = onlyError(readYaml(bomb, "f.yaml"));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error.message).toContain("aliases");
    expect([error.line, error.column]).toEqual([2, 8]);
  });

  it("reports absurd nesting as an error instead of crashing", () => {
    const depth = 20_000;
    const errors = readYaml(`a: ${"[".repeat(depth)}${"]".repeat(depth)}\n`, "f.yaml");
    expect(errors.ok).toBe(false);
    expect(errors.ok ? "" : errors.errors[0]!.message).toBe("the file is nested too deeply to read");
  });

  it("accepts a few ordinary aliases", () => {
    expect(read(yaml("base: &b {x: 1}", "copy: *b")).value).toEqual({ base: { x: 1 }, copy: { x: 1 } });
  });

  it("rejects a file above the size cap before parsing it", () => {
    const big = `a: "${"x".repeat(MAX_FILE_BYTES)}"\n`;
    const error = onlyError(readYaml(big, "big.yaml"));
    expect(error).toMatchObject({ line: 1, column: 1, expected: `at most ${MAX_FILE_BYTES} bytes` });
    expect(error.message).toContain("too large");
  });

  it("counts bytes, not characters, for the size cap", () => {
    const multiByte = `a: "${"é".repeat(MAX_FILE_BYTES / 2 + 1)}"\n`;
    expect(multiByte.length).toBeLessThan(MAX_FILE_BYTES);
    expect(onlyError(readYaml(multiByte, "f.yaml")).message).toContain("too large");
  });

  it("rejects binary content (NUL) at its position", () => {
    const error = onlyError(readYaml("a: 1\nb: x\u0000y\n", "f.yaml"));
    expect(error).toMatchObject({ line: 2, column: 5, message: "the file looks binary (it contains a NUL byte)" });
  });

  it("rejects invalid UTF-8 (U+FFFD left by the decoder)", () => {
    const error = onlyError(readYaml("a: caf\uFFFD\n", "f.yaml"));
    expect(error).toMatchObject({ line: 1, column: 7, message: "the file is not valid UTF-8 text" });
  });
});

describe("positions", () => {
  const src = read(
    yaml("rules:", '  - mask: "*.google.com"', "    tls: strict", "  - mask: b", "    empty:", "anchor: &x {deep: 42}", "ref: *x"),
  );

  it("maps a value path to the value's span", () => {
    expect(spanAt(src, ["rules", 0, "tls"])).toEqual({ file: "f.yaml", line: 3, column: 10, endLine: 3, endColumn: 16 });
    expect(spanAt(src, ["rules", 0, "mask"])).toMatchObject({ line: 2, column: 11, endColumn: 25 });
  });

  it("maps a list item to the whole item", () => {
    expect(spanAt(src, ["rules", 1])).toMatchObject({ line: 4, column: 5, endLine: 5, endColumn: 11 });
  });

  it("maps a key path to the key", () => {
    expect(keySpanAt(src, ["rules", 0, "tls"])).toMatchObject({ line: 3, column: 5, endColumn: 8 });
  });

  it("falls back to the key for an empty value and to the parent for a missing key", () => {
    expect(spanAt(src, ["rules", 1, "empty"])).toMatchObject({ line: 5, column: 5 });
    expect(spanAt(src, ["rules", 1, "missing"])).toMatchObject({ line: 4, column: 5 });
  });

  it("follows aliases", () => {
    expect(spanAt(src, ["ref", "deep"])).toMatchObject({ line: 6, column: 19 });
  });

  it("places everything at 1:1 when the value has no source", () => {
    const noSource: YamlSource = { file: "x", text: "", doc: null, lineCounter: null, value: { a: 1 } };
    expect(spanAt(noSource, ["a"])).toEqual({ file: "x", line: 1, column: 1, endLine: 1, endColumn: 1 });
  });
});

describe("did you mean", () => {
  it("measures edits, including transpositions, case-insensitively", () => {
    expect(editDistance("messagesPerHr", "messagesPerHour")).toBe(2);
    expect(editDistance("tsl", "tls")).toBe(1);
    expect(editDistance("MASK", "mask")).toBe(0);
    expect(editDistance("", "abc")).toBe(3);
  });

  it("suggests the closest key within reach, and nothing when far", () => {
    const keys = ["mask", "maxConnections", "messagesPerHour", "maxMessagesPerConnection"];
    expect(didYouMean("messagesPerHr", keys)).toBe('did you mean "messagesPerHour"?');
    expect(didYouMean("maxConnection", keys)).toBe('did you mean "maxConnections"?');
    expect(closest("colour", keys)).toBeUndefined();
  });
});
