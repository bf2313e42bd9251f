import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_FILE_BYTES } from "../../src/io/file-source.js";
import type { ConfigIssue } from "../../src/model/errors.js";
import { MAX_XML_DEPTH, readXml } from "../../src/parse/xml/reader.js";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/serverconf/${name}`, import.meta.url), "utf8");

function firstError(text: string): ConfigIssue {
  const result = readXml("hostile.xml", text);
  if (result.ok) throw new Error("expected an error");
  return result.errors[0]!;
}

function timed<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

const nested = (depth: number) => "<e>".repeat(depth) + "</e>".repeat(depth);

describe("readXml: hostile input", () => {
  it("rejects input larger than MAX_FILE_BYTES, naming the size and the limit", () => {
    const text = `<a>${" ".repeat(MAX_FILE_BYTES)}</a>`;
    const issue = firstError(text);
    expect(issue).toMatchObject({ line: 1, column: 1, found: "4,194,311 bytes", expected: "at most 4,194,304 bytes" });
    expect(issue.message).toContain("4,194,311 bytes");
    expect(issue.message).toContain("4,194,304-byte limit");
  });

  it("measures the limit in UTF-8 bytes, not characters", () => {
    // 1.5 M three-byte characters: 1.5 M UTF-16 units but 4.5 MB of UTF-8.
    const text = `<a v="${"€".repeat(1_500_000)}"/>`;
    expect(firstError(text).found).toBe("4,500,009 bytes");
    expect(readXml("ok.xml", `<a v="${"€".repeat(1_000_000)}"/>`).ok).toBe(true);
  });

  it("rejects NUL bytes and U+FFFD as binary or invalid UTF-8, at their position", () => {
    expect(firstError("<a>\n  \u0000</a>")).toMatchObject({
      line: 2,
      column: 3,
      found: "a NUL byte",
      message: expect.stringContaining("binary or invalid UTF-8 content"),
    });
    expect(firstError('<a v="caf\uFFFD"/>')).toMatchObject({ line: 1, column: 10, found: "U+FFFD" });
    expect(firstError("<a>\u0007</a>")).toMatchObject({ found: "U+0007" });
  });

  it(`accepts ${MAX_XML_DEPTH} levels of nesting and rejects ${MAX_XML_DEPTH + 1}`, () => {
    expect(readXml("ok.xml", nested(MAX_XML_DEPTH)).ok).toBe(true);
    const issue = firstError(nested(MAX_XML_DEPTH + 1));
    expect(issue).toMatchObject({ line: 1, column: 3 * MAX_XML_DEPTH + 1, expected: "at most 100 nested elements" });
  });

  it("rejects the committed 200-deep fixture at the 101st level", () => {
    const issue = firstError(fixture("broken/deep-nesting.xml"));
    expect(issue.message).toBe("elements are nested more than 100 deep");
    expect(issue.found).toContain("<n99>");
  });

  it("rejects a billion-laughs document at once, without expanding anything", () => {
    const { value: issue, ms } = timed(() => firstError(fixture("broken/billion-laughs.xml")));
    expect(issue).toMatchObject({ line: 2, column: 1, found: "<!DOCTYPE" });
    expect(ms).toBeLessThan(100);
  });

  it("rejects a generated 3 MB entity bomb quickly", () => {
    const entities = Array.from({ length: 30_000 }, (_, i) => `<!ENTITY e${i} "${"&e0;".repeat(20)}">`).join("\n");
    const text = `<!DOCTYPE a [\n${entities}\n]>\n<a v="&e29999;"/>`;
    expect(text.length).toBeGreaterThan(2_500_000);
    const { value: issue, ms } = timed(() => firstError(text));
    expect(issue.found).toBe("<!DOCTYPE");
    expect(ms).toBeLessThan(500);
  });

  it("parses a 3 MB file with 100k elements in bounded time", () => {
    const ip = (i: number) => `  <IP address="${i}" weight="1"/>\n`;
    const body = Array.from({ length: 100_000 }, (_, i) => ip(i)).join("");
    const text = `<serverConf>\n  <IPAffinity name="big">\n${body}  </IPAffinity>\n</serverConf>\n`;
    expect(text.length).toBeGreaterThan(3_000_000);
    expect(text.length).toBeLessThan(MAX_FILE_BYTES);
    const { value: result, ms } = timed(() => readXml("big.xml", text));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const ips = result.value.children[0]!.children;
    expect(ips).toHaveLength(100_000);
    expect(ips[99_999]!.attrs.get("address")).toMatchObject({ value: "99999", pos: { line: 100_002, column: 7 } });
    expect(ips[99_999]!.attrs.get("weight")).toMatchObject({ pos: { line: 100_002, column: 23 }, valuePos: { column: 31 } });
    expect(ms).toBeLessThan(3000);
  });

  it("stays linear on pathological but valid shapes (many attributes, many references, long comments)", () => {
    const manyAttrs = `<a ${Array.from({ length: 100_000 }, (_, i) => `a${i}="&amp;&#65;"`).join(" ")}/>`;
    const longComment = `<a><!--${"-".repeat(1_000_000)}x-->${"<b/>".repeat(200_000)}</a>`;
    for (const text of [manyAttrs, longComment]) {
      const { value: result, ms } = timed(() => readXml("p.xml", text));
      expect(result.ok).toBe(true);
      expect(ms).toBeLessThan(3000);
    }
  });

  it("never throws and always reports a position inside the file on random and mutated input", () => {
    const seed = fixture("serverConf.xml");
    const mutated = fc
      .tuple(fc.nat(seed.length), fc.nat(40), fc.string({ maxLength: 8 }))
      .map(([at, cut, insert]) => seed.slice(0, at) + insert + seed.slice(Math.min(seed.length, at + cut)));
    const alphabet = fc.constantFrom("<", ">", "/", "!", "?", "-", "[", "]", "=", '"', "'", "&", ";", "#", "a", "b", " ", "\n");
    const soup = fc.array(alphabet, { maxLength: 200 }).map((chars) => chars.join(""));
    fc.assert(
      fc.property(fc.oneof(mutated, soup, fc.string({ maxLength: 200 })), (text) => {
        const result = readXml("fuzz.xml", text);
        if (result.ok) return;
        const lines = text.split(/\r\n|\r|\n/).length;
        for (const issue of result.errors) {
          expect(issue.line).toBeGreaterThanOrEqual(1);
          expect(issue.line).toBeLessThanOrEqual(lines);
          expect(issue.column).toBeGreaterThanOrEqual(1);
          expect(issue.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000, seed: 20_260_101 },
    );
  });
});
