import { describe, expect, it } from "vitest";
import { catalogData } from "../../src/catalog/index.js";
import { builtinCatalog, parseProviders } from "../../src/parse/providers.js";
import { providerEntrySchema } from "../../src/schema/providers.js";
import { errorsOf, fixture, onlyError, valueOf, yaml } from "./yaml-helpers.js";

const parse = (text: string | null) => parseProviders(text, "campaign/providers.yaml");
const find = (name: string, text: string | null = null) => valueOf(parse(text)).providers.find((p) => p.name === name);

describe("built-in catalog", () => {
  const catalog = builtinCatalog();
  const names = catalog.providers.map((p) => p.name);

  it("covers the providers of SPEC §1.4", () => {
    for (const name of ["google", "yahoo", "aol", "microsoft", "apple", "gmx", "webde", "orange", "laposte", "free", "comcast", "att"]) {
      expect(names).toContain(name);
    }
  });

  it("has Google's MX hosts in preference order and requires TLS only there", () => {
    const google = catalog.providers.find((p) => p.name === "google")!;
    expect(google.domains).toEqual(["gmail.com", "googlemail.com"]);
    expect(google.mx).toEqual([
      "gmail-smtp-in.l.google.com",
      "alt1.gmail-smtp-in.l.google.com",
      "alt2.gmail-smtp-in.l.google.com",
      "alt3.gmail-smtp-in.l.google.com",
      "alt4.gmail-smtp-in.l.google.com",
    ]);
    expect(catalog.providers.filter((p) => p.requiresTls).map((p) => p.name)).toEqual(["google"]);
  });

  it("uses Adobe's 16 remote IPs for Yahoo and gives the EU domains their own MX host", () => {
    const yahoo = catalog.providers.find((p) => p.name === "yahoo")!;
    expect(yahoo.remoteIps).toBe(16);
    expect(yahoo.domains).toEqual(expect.arrayContaining(["yahoo.com", "yahoo.fr", "yahoo.co.uk", "yahoo.de", "yahoo.es", "yahoo.it"]));
    expect(yahoo.mx).not.toContain("mx-eu.mail.am0.yahoodns.net");
    expect(yahoo.domainMx!["yahoo.fr"]).toEqual(["mx-eu.mail.am0.yahoodns.net"]);
    expect(catalog.providers.find((p) => p.name === "microsoft")!.domainMx!["hotmail.fr"]).toEqual(["eur.olc.protection.outlook.com"]);
    expect(catalog.providers.find((p) => p.name === "aol")!.mx).toEqual(["mx-aol.mail.gm0.yahoodns.net"]);
    expect(catalog.providers.find((p) => p.name === "att")!.domains).toEqual(["att.net", "bellsouth.net", "sbcglobal.net"]);
  });

  it("gives every entry the documented defaults and a note with a confidence letter", () => {
    for (const p of catalog.providers) {
      expect(p).toMatchObject({ acceptance: 1, connectSeconds: 1, tlsHandshakeSeconds: 0.5, secondsPerMessage: 0.5, origin: "builtin" });
      expect(p.note).toMatch(/\b[ABC]\b/);
      expect(p.remoteIps).toBeGreaterThanOrEqual(1);
      expect(p.mx.every((h) => h === h.toLowerCase())).toBe(true);
    }
  });

  it("claims each domain once", () => {
    const domains = catalog.providers.flatMap((p) => p.domains);
    expect(new Set(domains).size).toBe(domains.length);
  });

  it("is valid against the providers.yaml entry schema (one schema for both)", () => {
    for (const [name, entry] of Object.entries(catalogData().providers)) {
      const parsed = providerEntrySchema.safeParse(entry);
      expect(parsed.success, `${name}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
  });

  it("hands out copies", () => {
    builtinCatalog().providers[0]!.domains.push("evil.example");
    expect(builtinCatalog().providers[0]!.domains).not.toContain("evil.example");
  });
});

describe("parseProviders: values", () => {
  it("null text gives the built-in catalog", () => {
    expect(valueOf(parseProviders(null, null))).toEqual(builtinCatalog());
  });

  it("an empty or comment-only file gives the built-in catalog", () => {
    expect(valueOf(parse("# nothing yet\n"))).toEqual(builtinCatalog());
    expect(valueOf(parse("providers:\n"))).toEqual(builtinCatalog());
  });

  it("adds a new provider with defaults and positions, lower-casing domains", () => {
    const acme = find("acme", fixture("providers.yaml"))!;
    expect(acme).toMatchObject({
      domains: ["acme-mail.example", "acme.example"],
      mx: ["mx1.acme-mail.example", "mx2.acme-mail.example"],
      remoteIps: 4,
      requiresTls: false,
      acceptance: 0.9,
      connectSeconds: 1,
      tlsHandshakeSeconds: 0.5,
      secondsPerMessage: 0.5,
      origin: "providers.yaml",
    });
    expect(acme.pos).toMatchObject({ line: 4, column: 5, endLine: 8 });
  });

  it("overrides only the given keys of a built-in entry", () => {
    const google = find("google", fixture("providers.yaml"))!;
    const builtin = builtinCatalog().providers.find((p) => p.name === "google")!;
    expect(google).toMatchObject({ remoteIps: 12, domains: builtin.domains, mx: builtin.mx, requiresTls: true, origin: "providers.yaml" });
    expect(google.pos).toMatchObject({ line: 10 });
    expect(google.note).toContain("Changed in providers.yaml: remoteIps.");
  });

  it("keeps built-in order, then new providers in file order", () => {
    const names = valueOf(parse(fixture("providers.yaml"))).providers.map((p) => p.name);
    expect(names.indexOf("google")).toBe(0);
    expect(names.at(-1)).toBe("acme");
  });

  it("assumes one remote IP per MX host when remoteIps is not given, and says so", () => {
    const p = find("x", yaml("providers:", "  x:", "    domains: [x.example]", "    mx: [a.x.example, b.x.example, c.x.example]"))!;
    expect(p.remoteIps).toBe(3);
    expect(p.note).toContain("remoteIps assumed 3");
  });

  it("moves a domain when the built-in owner is overridden without it", () => {
    const text = yaml(
      "providers:",
      "  aol:",
      "    domains: [aol.com]",
      "  verizon:",
      "    domains: [verizon.net]",
      "    mx: [mx.verizon.example]",
    );
    expect(find("aol", text)!.domains).toEqual(["aol.com"]);
    expect(find("verizon", text)!.domains).toEqual(["verizon.net"]);
  });
});

describe("parseProviders: errors", () => {
  it("a new provider needs domains and mx", () => {
    expect(onlyError(parse(yaml("providers:", "  acme:", "    remoteIps: 2")))).toMatchObject({
      line: 2,
      column: 3,
      message: 'the new provider "acme" must list domains and mx',
    });
    expect(onlyError(parse(yaml("providers:", "  acme:", "    domains: [a.example]"))).message).toBe(
      'the new provider "acme" must list mx',
    );
  });

  it("a domain claimed by two providers, at the later claim", () => {
    const error = onlyError(parse(yaml("providers:", "  acme:", "    domains: [acme.example, gmail.com]", "    mx: [mx.acme.example]")));
    expect(error).toMatchObject({ line: 3, column: 29, message: '"gmail.com" already belongs to provider "google" (built in)' });
    expect(error.hint).toContain('override "google"');
  });

  it("a domain claimed twice in providers.yaml", () => {
    const text = yaml(
      "providers:",
      "  a:",
      "    domains: [x.example]",
      "    mx: [mx.a.example]",
      "  b:",
      "    domains:",
      "      - y.example",
      "      - X.example",
      "    mx: [mx.b.example]",
    );
    expect(onlyError(parse(text))).toMatchObject({ line: 8, column: 9, message: '"x.example" already belongs to provider "a"' });
    expect(onlyError(parse(yaml("providers:", "  a:", "    domains: [x.example, x.example]", "    mx: [m.example]"))).message).toBe(
      '"x.example" is listed twice in provider "a"',
    );
  });

  it.each([
    ["acceptance: 0", "0 is out of range", "a number > 0 and ≤ 1"],
    ["acceptance: 1.5", "1.5 is out of range", "a number > 0 and ≤ 1"],
    ["remoteIps: 0", "0 is too small: the minimum is 1", "a whole number from 1 to 100000"],
    ["remoteIps: 2.5", "a count must be a whole number (2.5)", 'a whole number, e.g. 1200 or "1,200"'],
    ["secondsPerMessage: 0", "0 is out of range", "a number > 0 and ≤ 3600"],
    ["requiresTls: yes", "expected true or false", "true or false"],
  ])("%s", (line, message, expected) => {
    expect(onlyError(parse(yaml("providers:", "  google:", `    ${line}`)))).toMatchObject({ line: 3, message, expected });
  });

  it("unknown key with did-you-mean", () => {
    expect(onlyError(parse(yaml("providers:", "  google:", "    remoteIp: 3")))).toMatchObject({
      line: 3,
      column: 5,
      hint: 'did you mean "remoteIps"?',
    });
  });

  it("invalid hosts and empty lists", () => {
    expect(onlyError(parse(yaml("providers:", "  google:", '    mx: ["mx .google.com"]')))).toMatchObject({
      line: 3,
      column: 10,
      message: '"mx .google.com" is not a valid host name',
    });
    expect(onlyError(parse(yaml("providers:", "  google:", "    domains: []")))).toMatchObject({
      line: 3,
      column: 14,
      expected: "a list with at least 1 item(s)",
    });
  });

  it("invalid provider names", () => {
    expect(onlyError(parse(yaml("providers:", '  "Acme Mail":', "    domains: [a.example]", "    mx: [m.example]")))).toMatchObject({
      line: 2,
      column: 3,
      message: '"Acme Mail" is not a valid provider name',
    });
  });

  it("providers must be a mapping", () => {
    expect(onlyError(parse("providers: [google]\n"))).toMatchObject({
      line: 1,
      column: 12,
      message: "expected a mapping (key: value), found a list",
    });
  });

  it("malformed YAML", () => {
    expect(errorsOf(parse("providers:\n  google: {remoteIps: 3\n"))[0]!.message).toMatch(/^YAML syntax error/);
  });
});
