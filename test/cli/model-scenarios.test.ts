/**
 * Hand-worked scenarios through `mx-guard simulate --format json` on small repositories written here:
 * Adobe's worked numbers (833 per period, the shared/unshared table, Yahoo's 32 paths, weights 45/45/10),
 * a shared rule that two sites match (model.sharedScope) and instances on one statistics server.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, scratchSpace } from "./helpers.js";

const space = scratchSpace();

interface IpLine {
  address: string;
  publicId: number;
  weight?: number;
  excludeDomains?: string;
}

/**
 * serverConf.xml with one affinity "default": a working set of 2 × 25,000 that holds every message of these plans,
 * so no domain waits for another's places, and maxAgeSec 10 h, so nothing prepared is abandoned: the modelled
 * outcome is then the paced one.
 */
function serverConf(ips: IpLine[], maxAgeSec = 36_000): string {
  const lines = ips.map(
    (ip) =>
      `          <IP address="${ip.address}" publicId="${ip.publicId}" weight="${ip.weight ?? 1}"${ip.excludeDomains ? ` excludeDomains="${ip.excludeDomains}"` : ""}/>`,
  );
  return [
    "<serverconf>",
    "  <mta>",
    '    <master maxSpareServers="2"/>',
    `    <child maxAgeSec="${maxAgeSec}" maxWaitingMessages="25000">`,
    '      <smtp enableTLS="true" maxSessionsPerChild="1000">',
    '        <IPAffinity name="default">',
    ...lines,
    "        </IPAffinity>",
    "      </smtp>",
    "    </child>",
    "  </mta>",
    "</serverconf>",
    "",
  ].join("\n");
}

function rule(mask: string, messagesPerHour: number, shared: boolean): string {
  return [
    `  - mask: "${mask}"`,
    `    shared: ${shared}`,
    "    maxConnections: 100",
    "    maxMessagesPerConnection: 100",
    `    messagesPerHour: ${messagesPerHour}`,
    "    tls: opportunistic",
    "",
  ].join("\n");
}

function traffic(domains: Record<string, number>, start = "2026-11-27T08:00:00Z"): string {
  const total = Object.values(domains).reduce((a, b) => a + b, 0);
  return [
    "deliveries:",
    "  - name: newsletter",
    `    start: ${start}`,
    `    recipients: ${total}`,
    "    domains:",
    ...Object.entries(domains).map(([domain, n]) => `      ${domain}: ${n}`),
    "",
  ].join("\n");
}

function writeRepo(files: Record<string, string>): string {
  const dir = space.tempDir("mx-guard-model-");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

interface Json {
  instances: {
    name: string;
    assumptions: string[];
    sites: {
      site: string;
      hourlyCapacity: number;
      slotCapacity: number;
      paths: { publicId: number; buckets: number; perSlotHourly: number; share: number }[];
    }[];
    deliveries: {
      domains: { domain: string; sent: number; deferred: number; completionHours: number | null; pacedHours: number | null }[];
    }[];
  }[];
}

async function simulate(dir: string): Promise<Json> {
  const run = await runCli(["simulate", dir, "--format", "json"]);
  expect(run.stderr).toBe("");
  return JSON.parse(run.stdout) as Json;
}

const site = (json: Json, key: string, instance = 0) => json.instances[instance]!.sites.find((s) => s.site === key)!;
const domain = (json: Json, name: string, instance = 0) => json.instances[instance]!.deliveries[0]!.domains.find((d) => d.domain === name)!;

describe("Adobe's worked numbers, end to end", () => {
  it('10,000 messages per hour are 833 per 5-minute period ("the real limit is 833 messages per period")', async () => {
    const dir = writeRepo({
      "campaign/serverConf.xml": serverConf([{ address: "192.0.2.1", publicId: 1 }]),
      "campaign/mx-rules.yaml": `rules:\n${rule("*.google.com", 10_000, true)}`,
      "campaign/traffic.yaml": traffic({ "gmail.com": 10_000 }),
    });
    const google = site(await simulate(dir), "google");
    expect(google.slotCapacity).toBe(833);
    expect(google.hourlyCapacity).toBe(10_000);
  });

  it("reproduces the shared/unshared table: 2 local × 7 remote IPs at 10,000/h, 1 × 5 at 1,000/h", async () => {
    const providers =
      "providers:\n  seven:\n    domains: [seven.example]\n    mx: [mx.seven.example]\n    remoteIps: 7\n  five:\n    domains: [five.example]\n    mx: [mx.five.example]\n    remoteIps: 5\n";
    const capacity = async (shared: boolean) => {
      const dir = writeRepo({
        "campaign/serverConf.xml": serverConf([
          { address: "192.0.2.1", publicId: 1 },
          { address: "192.0.2.2", publicId: 2, excludeDomains: "five.example" },
        ]),
        "campaign/mx-rules.yaml": `rules:\n${rule("mx.seven.example", 10_000, shared)}${rule("mx.five.example", 1_000, shared)}`,
        "campaign/traffic.yaml": traffic({ "seven.example": 1_000, "five.example": 1_000 }),
        "campaign/providers.yaml": providers,
      });
      const json = await simulate(dir);
      return [site(json, "seven").hourlyCapacity, site(json, "five").hourlyCapacity];
    };
    // Table rows: shared 2 × 10,000 = 20,000 and 1 × 1,000; unshared 14 × 10,000 = 140,000 and 5 × 1,000.
    expect(await capacity(true)).toEqual([20_000, 1_000]);
    expect(await capacity(false)).toEqual([140_000, 5_000]);
  });

  it("counts yahoo.com's 16 remote IPs × 2 local publicIds as 32 paths (unshared: one bucket each)", async () => {
    const dir = writeRepo({
      "campaign/serverConf.xml": serverConf([
        { address: "192.0.2.1", publicId: 1 },
        { address: "192.0.2.2", publicId: 2 },
      ]),
      "campaign/mx-rules.yaml": `rules:\n${rule("*.yahoodns.net", 1_200, false)}`,
      "campaign/traffic.yaml": traffic({ "yahoo.com": 1_000 }),
    });
    const yahoo = site(await simulate(dir), "yahoo");
    // floor(1,200 / 12) = 100 per period on each of the 32 paths.
    expect(yahoo.slotCapacity).toBe(3_200);
    expect(yahoo.hourlyCapacity).toBe(38_400);
  });

  it("shares traffic by IP weight: 5/5/1 → 45/45/10 %, and 83/17 % when the first IP may not send to the domain", async () => {
    const hourly = async (exclude: boolean, spillOver = false) => {
      const dir = writeRepo({
        ".github/mx-guard.yml": `model:\n  spillOver: ${spillOver}\n`,
        "campaign/serverConf.xml": serverConf([
          { address: "192.0.2.1", publicId: 1, weight: 5, ...(exclude ? { excludeDomains: "gmail.com" } : {}) },
          { address: "192.0.2.2", publicId: 2, weight: 5 },
          { address: "192.0.2.3", publicId: 3, weight: 1 },
        ]),
        "campaign/mx-rules.yaml": `rules:\n${rule("*.google.com", 12_000, true)}`,
        "campaign/traffic.yaml": traffic({ "gmail.com": 10_000 }),
      });
      return site(await simulate(dir), "google").hourlyCapacity;
    };
    // 5/11, 5/11, 1/11 of the traffic; without spill-over the 45 % IPs run out first: 12,000 / (5/11) = 26,400/h.
    expect(await hourly(false)).toBe(26_400);
    // 5/6 and 1/6: 12,000 / (5/6) = 14,400/h.
    expect(await hourly(true)).toBe(14_400);
    // With spill-over the sum over the usable publicIds: 3 × 12,000 and 2 × 12,000.
    expect(await hourly(false, true)).toBe(36_000);
    expect(await hourly(true, true)).toBe(24_000);
  });
});

describe("model.sharedScope: one shared rule, two sites (yahoo.com and aol.com on *.yahoodns.net)", () => {
  // One publicId, a shared rule at 12,000/h = 1,000 per 5-minute period, 30,000 yahoo.com and 10,000 aol.com
  // recipients in one delivery, a working set that holds them all and
  // maxAgeSec 10 h (so nothing is abandoned) and connections that never bind.
  const repo = (scope: "rule" | "site" | null) =>
    writeRepo({
      ".github/mx-guard.yml": scope ? `model:\n  sharedScope: ${scope}\n` : "comment: update\n",
      "campaign/serverConf.xml": serverConf([{ address: "192.0.2.1", publicId: 1 }]),
      "campaign/mx-rules.yaml": `rules:\n${rule("*.yahoodns.net", 12_000, true)}`,
      "campaign/traffic.yaml": traffic({ "yahoo.com": 30_000, "aol.com": 10_000 }),
    });

  it("rule (the default): one bucket of 1,000 per period for both sites, split 3:1 by planned volume", async () => {
    for (const dir of [repo(null), repo("rule")]) {
      const json = await simulate(dir);
      // yahoo 750 and aol 250 per period: 9,000/h and 3,000/h, 12,000/h together, as the rule says.
      expect(site(json, "yahoo").slotCapacity).toBe(750);
      expect(site(json, "aol").slotCapacity).toBe(250);
      expect(site(json, "yahoo").hourlyCapacity).toBe(9_000);
      expect(site(json, "aol").hourlyCapacity).toBe(3_000);
      // Paced: 29,999.5 / 750 = 10,000 / 250 ≈ 40 periods = 3.33 h for both (the last half message left out).
      expect(domain(json, "yahoo.com").pacedHours).toBe(3.33);
      expect(domain(json, "aol.com").pacedHours).toBe(3.33);
      // Modelled: nothing is abandoned, so both finish with the paced bound: 40,000 / 12,000 per hour.
      expect(domain(json, "yahoo.com").completionHours).toBeCloseTo(3.33, 1);
      expect(domain(json, "aol.com").completionHours).toBeCloseTo(3.33, 1);
      expect(domain(json, "yahoo.com").deferred + domain(json, "aol.com").deferred).toBe(0);
      expect(json.instances[0]!.assumptions.join("\n")).toContain("model.sharedScope: rule");
      expect(json.instances[0]!.assumptions.join("\n")).toContain(
        "Sites sharing a shared rule's buckets (model.sharedScope: rule): aol, yahoo.",
      );
    }
  });

  it("site: each site has its own 1,000 per period, 24,000/h together", async () => {
    const json = await simulate(repo("site"));
    expect(site(json, "yahoo").slotCapacity).toBe(1_000);
    expect(site(json, "aol").slotCapacity).toBe(1_000);
    expect(site(json, "yahoo").hourlyCapacity).toBe(12_000);
    // yahoo: 29,999.5 / 1,000 = 30 periods = 2.49 h (floored); aol: 9,999.5 / 1,000 = 10 periods = 0.83 h.
    expect(domain(json, "yahoo.com").pacedHours).toBe(2.49);
    expect(domain(json, "aol.com").pacedHours).toBe(0.83);
    expect(domain(json, "yahoo.com").completionHours).toBeCloseTo(2.5, 1);
    expect(domain(json, "aol.com").completionHours).toBeCloseTo(0.83, 1);
    expect(json.instances[0]!.assumptions.join("\n")).toContain("model.sharedScope: site: each site has its own quota buckets");
  });

  it("an unshared rule matched by both sites is per path in either scope: no split", async () => {
    const dir = writeRepo({
      "campaign/serverConf.xml": serverConf([{ address: "192.0.2.1", publicId: 1 }]),
      "campaign/mx-rules.yaml": `rules:\n${rule("*.yahoodns.net", 1_200, false)}`,
      "campaign/traffic.yaml": traffic({ "yahoo.com": 30_000, "aol.com": 10_000 }),
    });
    const json = await simulate(dir);
    // 100 per period per remote IP: yahoo 16 × 100, aol 8 × 100.
    expect(site(json, "yahoo").slotCapacity).toBe(1_600);
    expect(site(json, "aol").slotCapacity).toBe(800);
  });
});

describe("instances on one statistics server (statServer)", () => {
  // Two instances, the same serverConf (publicId 1) and rules (*.google.com shared, 12,000/h = 1,000 per
  // period), 20,000 gmail.com recipients each, starting together.
  const repo = (eu: string, us: string, usIp = 1) =>
    writeRepo({
      ".github/mx-guard.yml": [
        "instances:",
        "  - name: eu",
        "    instanceConf: false",
        "    traffic: campaign/traffic-eu.yaml",
        ...(eu ? [`    statServer: ${eu}`] : []),
        "  - name: us",
        "    instanceConf: false",
        "    serverConf: campaign/serverConf-us.xml",
        "    traffic: campaign/traffic-us.yaml",
        ...(us ? [`    statServer: ${us}`] : []),
        "",
      ].join("\n"),
      "campaign/serverConf.xml": serverConf([{ address: "192.0.2.1", publicId: 1 }]),
      "campaign/serverConf-us.xml": serverConf([{ address: "198.51.100.1", publicId: usIp }]),
      "campaign/mx-rules.yaml": `rules:\n${rule("*.google.com", 12_000, true)}`,
      "campaign/traffic-eu.yaml": traffic({ "gmail.com": 20_000 }),
      "campaign/traffic-us.yaml": traffic({ "gmail.com": 20_000 }),
    });

  it("sharing one server, the publicId's bucket is counted once: 500 per period each, 3.33 h instead of 1.66 h", async () => {
    const json = await simulate(repo("stat1", "stat1"));
    for (const k of [0, 1]) {
      expect(site(json, "google", k).slotCapacity).toBe(500);
      // 19,999.5 / 500 = 40 periods = 3.33 h.
      expect(domain(json, "gmail.com", k).pacedHours).toBe(3.33);
      expect(domain(json, "gmail.com", k).completionHours).toBeCloseTo(3.33, 1);
    }
    expect(json.instances[0]!.assumptions.join("\n")).toContain("statServer: stat1: this instance shares its statistics server with us");
    expect(json.instances[1]!.assumptions.join("\n")).toContain("statServer: stat1: this instance shares its statistics server with eu");
  });

  it("on different servers, or on one server with different publicIds, each instance keeps its buckets", async () => {
    for (const dir of [repo("stat1", "stat2"), repo("", ""), repo("stat1", "stat1", 2)]) {
      const json = await simulate(dir);
      for (const k of [0, 1]) {
        expect(site(json, "google", k).slotCapacity).toBe(1_000);
        // 19,999.5 / 1,000 = 20 periods = 1.66 h (floored).
        expect(domain(json, "gmail.com", k).pacedHours).toBe(1.66);
      }
    }
  });

  it("a delivery of the other instance that ends before this one starts takes nothing", async () => {
    const dir = repo("stat1", "stat1");
    // The us delivery starts after the eu delivery's validity (5 days by default).
    writeFileSync(join(dir, "campaign/traffic-us.yaml"), traffic({ "gmail.com": 20_000 }, "2026-12-03T08:00:00Z"));
    const json = await simulate(dir);
    expect(site(json, "google", 0).slotCapacity).toBe(1_000);
    expect(site(json, "google", 1).slotCapacity).toBe(1_000);
  });
});
