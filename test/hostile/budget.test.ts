/**
 * Valid configurations inside every cap whose products would make one simulation take minutes or
 * exhaust memory: refused by the work budget before any work, with the product and its largest
 * factor's position (src/simulate/budget.ts).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parsePolicy, simulateSide } from "../../src/engine/index.js";
import { WORK_LIMITS } from "../../src/simulate/budget.js";
import { timed } from "./helpers.js";

const EXAMPLE = join(import.meta.dirname, "../../examples/campaign-repo");
const parsed = parsePolicy(readFileSync(join(EXAMPLE, ".github/mx-guard.yml"), "utf8"), ".github/mx-guard.yml");
if (!parsed.ok) throw new Error("example policy does not parse");
const policy = parsed.value;
const RULES = readFileSync(join(EXAMPLE, "campaign/mx-rules.yaml"), "utf8");

function repo(ips: string[], domains: string[]) {
  const serverConf = `<serverconf>\n<mta><child><smtp>\n<IPAffinity name="default;marketing">\n${ips.join("\n")}\n</IPAffinity>\n</smtp></child></mta>\n</serverconf>\n`;
  const traffic = `deliveries:\n  - name: big\n    start: 2026-11-27T08:00:00Z\n    affinity: marketing\n    recipients: 10000000\n    domains:\n${domains.map((d) => `      ${d}: 1000`).join("\n")}\n`;
  return {
    files: {
      "campaign/serverConf.xml": serverConf,
      "campaign/config-prod.xml": "<serverconf/>",
      "campaign/mx-rules.yaml": RULES,
      "campaign/traffic.yaml": traffic,
    },
    serverConf,
    traffic,
  };
}

describe("the work budget", () => {
  it("refuses 998 publicIds × 2,001 sites (2 million paths, a V8 out-of-memory abort before) at the larger factor, the domains", () => {
    const ips = Array.from({ length: 998 }, (_, i) => `<IP address="10.${i >> 8}.${i & 255}.1" publicId="${i + 1}"/>`);
    const domains = Array.from({ length: 2_000 }, (_, k) => `d${k}.example`);
    const { files } = repo(ips, domains);
    const { value, ms } = timed(() => simulateSide(files, policy));
    const [error] = value.report.findings.filter((f) => f.id === "config-error");
    expect(error).toMatchObject({ file: "campaign/traffic.yaml", line: 7 });
    expect(error!.message).toContain("998 publicIds × 2,001 sites = 1,996,998 paths");
    expect(error!.message).toContain(`at most ${WORK_LIMITS.paths.toLocaleString("en-US")} are simulated`);
    expect(value.report.instances[0]!.sites).toEqual([]);
    expect(ms).toBeLessThan(5_000);
  });

  it("refuses 100 IPs × 100 exclude masks × 200 long domains (126 s of mask matching before) at the IP with the most masks", () => {
    const masks = (ip: number) => Array.from({ length: ip === 7 ? 100 : 99 }, (_, k) => `*${"a".repeat(30)}b${ip}x${k}*`).join(",");
    const ips = Array.from({ length: 100 }, (_, i) => `<IP address="198.51.100.${i + 1}" publicId="1" excludeDomains="${masks(i)}"/>`);
    const domains = Array.from({ length: 200 }, (_, k) => `${"a".repeat(200)}.x0y${k}.example`);
    const { files } = repo(ips, domains);
    const { value, ms } = timed(() => simulateSide(files, policy));
    const [error] = value.report.findings.filter((f) => f.id === "config-error");
    expect(error).toMatchObject({ file: "campaign/serverConf.xml", line: 4 + 7 }); // the <IP> with the most masks (100)
    expect(error!.message).toContain("9,901 includeDomains / excludeDomains masks × 200 recipient domains = 1,980,200 mask checks");
    expect(ms).toBeLessThan(5_000);
  });

  it("lets a large but real set-up through: 20 publicIds, 5 masks each, 2,000 domains", () => {
    const ips = Array.from(
      { length: 20 },
      (_, i) => `<IP address="198.51.100.${i + 1}" publicId="${i + 1}" excludeDomains="*.a${i},*.b${i},*.c${i},*.d${i},*.e${i}"/>`,
    );
    const domains = Array.from({ length: 2_000 }, (_, k) => `d${k}.example`);
    const { files } = repo(ips, domains);
    const side = simulateSide(files, policy);
    expect(side.report.findings.filter((f) => f.id === "config-error")).toEqual([]);
    expect(side.report.instances[0]!.sites.length).toBeGreaterThan(1);
  });
});
