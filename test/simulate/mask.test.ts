import { describe, expect, it } from "vitest";
import { compileMask, isCatchAll, maskCovers } from "../../src/simulate/index.js";

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
