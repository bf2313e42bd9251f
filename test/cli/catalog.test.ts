/**
 * `mx-guard catalog [--resolve [--write FILE]]` against an injected resolver: never the internet.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import type { DnsResolver } from "../../src/cli/catalog.js";
import type { Output } from "../../src/cli/output.js";
import { builtinCatalog, parseProviders } from "../../src/parse/providers.js";

const TODAY = "2027-01-15";
const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

/** DNS as the catalog says, with per-domain answers replaced or failing. */
function fakeDns(overrides: Record<string, string[] | Error> = {}): DnsResolver & { asked: string[] } {
  const asked: string[] = [];
  const byDomain = new Map<string, string[]>();
  for (const p of builtinCatalog().providers)
    for (const d of p.domains)
      byDomain.set(
        d,
        p.mx.filter((h) => !h.startsWith("tenant.")),
      );
  return {
    asked,
    async resolveMx(domain) {
      asked.push(domain);
      const answer = overrides[domain] ?? byDomain.get(domain);
      if (answer instanceof Error) throw answer;
      if (!answer) throw Object.assign(new Error("no such domain"), { code: "ENOTFOUND" });
      // Returned out of order and with trailing dots, as resolvers may: the command sorts by preference.
      return answer.map((exchange, i) => ({ exchange: `${exchange.toUpperCase()}.`, priority: 10 * (i + 1) })).reverse();
    },
    async resolve4(host) {
      // One address per host, derived from its name so distinct hosts have distinct addresses.
      let h = 0;
      for (const c of host) h = (h * 31 + c.charCodeAt(0)) >>> 0;
      return [`198.51.${(h >> 8) & 255}.${h & 255}`];
    },
  };
}

async function run(argv: string[], resolver?: DnsResolver) {
  let stdout = "";
  let stderr = "";
  const out: Output = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isInteractive: false, now: () => 0 };
  const code = await main(argv, out, { resolver, today: () => TODAY });
  return { code, stdout, stderr };
}

describe("mx-guard catalog", () => {
  it("prints every built-in provider with its date, its source and remoteIps marked as an estimate", async () => {
    const { code, stdout } = await run(["catalog"]);
    expect(code).toBe(0);
    expect(stdout).toContain("gmx (gmx.de, gmx.net)\n  MX:          mx00.emig.gmx.net, mx01.emig.gmx.net\n  remote IPs:  2 (estimate)");
    expect(stdout).toContain("gmx-com (gmx.com, mail.com)");
    expect(stdout).toContain("comcast (comcast.net)\n  MX:          mx1.mxge.comcast.net, mx2.mxge.comcast.net");
    expect(stdout).toContain("tenant.mx.microsoft");
    const blocks = stdout.trim().split("\n\n");
    expect(blocks).toHaveLength(builtinCatalog().providers.length);
    for (const block of blocks) expect(block).toMatch(/remote IPs: {2}\d+ \(estimate\)[\s\S]*verified on: \d{4}-\d{2}-\d{2} \(/);
  });

  it("--resolve: exit 0 and 'same as the catalog' when DNS agrees, with the live distinct IPs", async () => {
    const dns = fakeDns();
    const { code, stdout } = await run(["catalog", "--resolve"], dns);
    expect(code).toBe(0);
    expect(stdout).toContain(`Live MX records resolved on ${TODAY}`);
    expect(stdout).toMatch(
      /gmx \(gmx\.de, gmx\.net\): same as the catalog\n {2}catalog MX: {2}mx00\.emig\.gmx\.net, mx01\.emig\.gmx\.net \(verified on \d{4}-\d{2}-\d{2}\)\n {2}live MX: {5}mx00\.emig\.gmx\.net, mx01\.emig\.gmx\.net\n {2}remote IPs: {2}catalog 2 \(estimate\), live 2 distinct IPv4 addresses/,
    );
    expect(stdout).toContain("Every provider matches the catalog.");
    expect(dns.asked).toContain("gmail.com");
  });

  it("--resolve: prints the differences and exits 1 when DNS disagrees or fails", async () => {
    const failure = Object.assign(new Error("timeout"), { code: "ETIMEOUT" });
    const { code, stdout } = await run(["catalog", "--resolve"], fakeDns({ "comcast.net": ["mx1a1.comcast.net"], "yahoo.fr": failure }));
    expect(code).toBe(1);
    expect(stdout).toContain("comcast (comcast.net): differs from the catalog");
    expect(stdout).toContain("  + mx1a1.comcast.net (live, not in the catalog)");
    expect(stdout).toContain("  - mx1.mxge.comcast.net (in the catalog, not returned by DNS)");
    expect(stdout).toContain("  ! comcast.net: first MX host is mx1a1.comcast.net");
    expect(stdout).toContain("  yahoo.fr: not resolved (ETIMEOUT)");
    expect(stdout).toContain("2 of ");
  });

  it("--resolve --write: saves the live values as providers.yaml overrides that the simulation reads", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mx-guard-catalog-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "providers.yaml");
    const { code, stderr } = await run(
      ["catalog", "--resolve", "--write", file],
      fakeDns({ "comcast.net": ["mx1a1.comcast.net", "mx2a1.comcast.net"] }),
    );
    expect(code).toBe(1);
    expect(stderr).toContain(`wrote the live values of`);
    const text = readFileSync(file, "utf8");
    expect(text).toContain(`on ${TODAY}`);
    const parsed = parseProviders(text, "campaign/providers.yaml");
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const comcast = parsed.value.providers.find((p) => p.name === "comcast")!;
    expect(comcast).toMatchObject({
      mx: ["mx1a1.comcast.net", "mx2a1.comcast.net"],
      remoteIps: 2,
      verifiedOn: TODAY,
      origin: "providers.yaml",
    });
    expect(parsed.value.providers.find((p) => p.name === "microsoft")!.mx).toEqual(expect.arrayContaining(["tenant.mx.microsoft"]));
  });

  it("refuses --write without --resolve and options of other commands", async () => {
    expect((await run(["catalog", "--write", "x.yaml"])).code).toBe(2);
    expect((await run(["catalog", "--resolve", "--format", "json"])).stderr).toContain("--format does not apply to catalog");
    expect((await run(["simulate", ".", "--resolve"])).stderr).toContain("--resolve only applies to catalog");
  });
});
