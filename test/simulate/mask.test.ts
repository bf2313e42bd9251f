import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileMask, isCatchAll, maskCovers, wildcardMatch } from "../../src/simulate/index.js";

/** The textbook meaning of a mask, as a regular expression: the reference the matcher must agree with. */
function byRegExp(mask: string, host: string): boolean {
  const source = [...mask]
    .map((ch) => (ch === "*" ? "[\\s\\S]*" : ch === "?" ? "[\\s\\S]" : ch.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`).test(host);
}

describe("compileMask", () => {
  it("matches Adobe's documented examples (research §2.2)", () => {
    for (const host of ["a.mx.yahoo.com", "b.mx.yahoo.com", "c.mx.yahoo.com"]) {
      expect(compileMask("*.yahoo.com")(host)).toBe(true);
      expect(compileMask("?.mx.yahoo.com")(host)).toBe(true);
    }
    expect(compileMask("*.google.com")("gmail-smtp-in.l.google.com")).toBe(true);
    expect(compileMask("*.google.com")("mta5.am0.yahoodns.net")).toBe(false);
  });

  it("lets * cross dots and be empty, ? take exactly one character", () => {
    expect(compileMask("*google.com")("google.com")).toBe(true);
    expect(compileMask("mx*.free.fr")("mx.free.fr")).toBe(true);
    expect(compileMask("mta?.am0.yahoodns.net")("mta5.am0.yahoodns.net")).toBe(true);
    expect(compileMask("mta?.am0.yahoodns.net")("mta.am0.yahoodns.net")).toBe(false);
    expect(compileMask("mta?.am0.yahoodns.net")("mta55.am0.yahoodns.net")).toBe(false);
    expect(compileMask("*.yahoo.com")("yahoo.com")).toBe(false);
    expect(compileMask("mx-aol.*")("mx-aol.mail.gm0.yahoodns.net")).toBe(true);
    expect(compileMask("a*b*c")("axxbyyc")).toBe(true);
    expect(compileMask("a*b*c")("axxbyy")).toBe(false);
  });

  it("ignores case and a trailing dot on the host", () => {
    expect(compileMask("*.GOOGLE.com")("Gmail-SMTP-in.L.Google.COM.")).toBe(true);
    expect(compileMask("mx1.free.fr")("MX1.FREE.FR.")).toBe(true);
  });

  it("completes a pathological mask in milliseconds", () => {
    const host = "a".repeat(20_000);
    const t = performance.now();
    expect(compileMask("*a*a*a*a*a*a*a*a*b")(host)).toBe(false);
    expect(compileMask("*a*a*a*a*a*a*a*a*a")(host)).toBe(true);
    expect(performance.now() - t).toBeLessThan(50);
  });

  it("agrees with the regular-expression meaning of * and ? on random masks and hosts", () => {
    const alphabet = fc.constantFrom("a", "b", ".", "-");
    const host = fc.array(alphabet, { maxLength: 40 }).map((chars) => chars.join(""));
    const mask = fc.array(fc.oneof(alphabet, fc.constant("*"), fc.constant("?")), { maxLength: 12 }).map((chars) => chars.join(""));
    fc.assert(
      fc.property(mask, host, (m, h) => wildcardMatch(m, h) === byRegExp(m, h)),
      { numRuns: 5_000, seed: 42 },
    );
    // Pieces with ? longer than one 32-bit word of the bit-parallel scan.
    const long = `${"?".repeat(40)}b${"?".repeat(30)}`;
    expect(wildcardMatch(`*${long}*`, `${"a".repeat(100)}b${"a".repeat(100)}`)).toBe(true);
    expect(wildcardMatch(`*${long}*`, `${"a".repeat(39)}b${"a".repeat(100)}`)).toBe(false);
  });

  it("matches the slowest shapes of a review in linear time (a mask ending in * against a 253-character host)", () => {
    const host = `${"a".repeat(236)}.x0y7.example.com`.slice(0, 253);
    const masks = [`*${"a".repeat(125)}b*`, `*${"?".repeat(125)}b*`, `*${"a".repeat(30)}b7x3*`];
    const t = performance.now();
    for (let round = 0; round < 2_000; round++) for (const mask of masks) expect(wildcardMatch(mask, host)).toBe(false);
    // 6,000 matches: about 20 µs each with the two-pointer backtracking matcher (120 ms), a few µs now.
    expect(performance.now() - t).toBeLessThan(2_000);
  });

  it("recognises the catch-all", () => {
    expect(isCatchAll("*")).toBe(true);
    expect(isCatchAll("**")).toBe(true);
    expect(isCatchAll("*.com")).toBe(false);
  });
});

describe("maskCovers", () => {
  it("decides coverage conservatively", () => {
    expect(maskCovers("*", "*.yahoodns.net")).toBe(true);
    expect(maskCovers("*.x", "*.y.x")).toBe(true);
    expect(maskCovers("*.yahoodns.net", "mta?.am0.yahoodns.net")).toBe(true);
    expect(maskCovers("*.google.com", "*.GOOGLE.com")).toBe(true);
    expect(maskCovers("*.yahoodns.net", "*.yahoodns.net")).toBe(true);
    expect(maskCovers("mta?.am0.yahoodns.net", "mta5.am0.yahoodns.net")).toBe(true);
  });

  it("refuses what it cannot prove", () => {
    expect(maskCovers("*.y.x", "*.x")).toBe(false);
    expect(maskCovers("mx-aol.*", "*.yahoodns.net")).toBe(false);
    expect(maskCovers("mta?.am0.yahoodns.net", "mta*.am0.yahoodns.net")).toBe(false);
    expect(maskCovers("*.google.com", "*google.com")).toBe(false);
    expect(maskCovers("mx1.free.fr", "mx?.free.fr")).toBe(false);
  });
});
