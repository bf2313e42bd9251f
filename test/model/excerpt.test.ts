import { describe, expect, it } from "vitest";
import { boundMessage, EXCERPT_CHARS, excerpt, listed, MESSAGE_CHARS, quote } from "../../src/model/excerpt.js";

describe("bounded quotations of input strings", () => {
  it("keeps short strings and cuts long ones to their start, with the full length", () => {
    expect(excerpt("mx.example")).toBe("mx.example");
    const long = excerpt("a".repeat(3_900_000));
    expect(long).toHaveLength(EXCERPT_CHARS);
    expect(long).toMatch(/^a+… \(3,900,000 characters\)$/);
    expect(quote("x".repeat(500), 30)).toBe('"xxxxxxxxxxxx… (500 characters)"');
  });

  it("never splits a surrogate pair", () => {
    const cut = excerpt(`${"a".repeat(11)}😀${"b".repeat(40)}`, 29);
    expect(cut).toBe(`${"a".repeat(11)}… (53 characters)`);
  });

  it("lists at most five items, then how many more", () => {
    expect(listed(["a", "b", "c"])).toBe("a, b, c");
    expect(listed(Array.from({ length: 102 }, (_, i) => `n${i}`))).toBe("n0, n1, n2, n3, n4 and 97 more");
    expect(listed([1, 2, 3], (n) => `#${n}`, 2)).toBe("#1, #2 and 1 more");
  });

  it("bounds a whole message, keeping its start and its closing advice", () => {
    const message = `Rule "${"m".repeat(20_000)}" can never apply. Move it above, or remove it.`;
    const out = boundMessage(message);
    expect(out.length).toBeLessThanOrEqual(MESSAGE_CHARS);
    expect(out.startsWith('Rule "mmm')).toBe(true);
    expect(out.endsWith("Move it above, or remove it.")).toBe(true);
    expect(out).toContain("characters left out");
    expect(boundMessage("short")).toBe("short");
  });
});
