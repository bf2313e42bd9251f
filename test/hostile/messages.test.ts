/**
 * Messages quote bounded excerpts of input strings (docs/limits.md#messages): a megabyte-long name in
 * any file gives findings of bounded size, in-process, whichever message template quotes it.
 */
import { describe, expect, it } from "vitest";
import { simulateSide } from "../../src/engine/index.js";
import { MESSAGE_CHARS } from "../../src/model/excerpt.js";
import { examplePolicy } from "../fuzz/support/repo.js";
import { exampleRepo, serverConfWith, trafficWith } from "./helpers.js";

const policy = examplePolicy();
const HUGE = 1_000_000;

/** `longest`: an input string the details may keep whole once (a delivery name: the fix search matches on it). */
function findingsOf(edit: Record<string, string>, longest = 0) {
  const side = simulateSide({ ...exampleRepo(), ...edit }, policy);
  for (const f of side.report.findings) {
    expect(f.message.length).toBeLessThanOrEqual(MESSAGE_CHARS);
    expect((f.title ?? "").length).toBeLessThanOrEqual(255);
    expect(JSON.stringify(f.details ?? {}).length).toBeLessThan(20_000 + longest);
  }
  return side.report.findings;
}

describe("a megabyte-long name stays a bounded excerpt in every message", () => {
  it("in the root element's name (a config error quoting it)", () => {
    const [error] = findingsOf({ "campaign/serverConf.xml": `<${"r".repeat(HUGE)}/>` });
    expect(error).toMatchObject({ id: "config-error", file: "campaign/serverConf.xml", line: 1 });
  });

  it("in a delivery name (deadline-miss, retry guideline and the other capacity findings)", () => {
    const traffic = exampleRepo()["campaign/traffic.yaml"]!.replace("Black Friday newsletter", "b".repeat(HUGE));
    const findings = findingsOf({ "campaign/traffic.yaml": traffic }, HUGE);
    expect(findings.some((f) => f.message.includes("characters left out") || f.message.includes("(1,000,000 characters)"))).toBe(true);
  });

  it("in a heloHost shared by an IP with another name (helo-conflict) and in 100 affinity names (affinity-missing)", () => {
    const ips = [
      '<IP address="192.0.2.1" publicId="1" heloHost="a.example"/>',
      `<IP address="192.0.2.2" publicId="1" heloHost="${"h".repeat(HUGE)}"/>`,
    ];
    const names = Array.from({ length: 99 }, (_, i) => `${"n".repeat(10_000)}${i}`).join(";");
    const findings = findingsOf({
      "campaign/serverConf.xml": serverConfWith(ips, `default;${names}`),
      "campaign/config-prod.xml": "<serverconf/>",
      "campaign/traffic.yaml": trafficWith([["gmail.com"]], { affinity: "missing" }),
    });
    const missing = findings.find((f) => f.id === "affinity-missing")!;
    expect(missing.message).toMatch(/\(defined: default, n+… \(10,001 characters\), .* and 95 more\)/);
    expect(missing.details).toMatchObject({ definedCount: 100 });
    const helo = findings.find((f) => f.id === "helo-conflict")!;
    expect(helo.message).toContain("a.example (campaign/serverConf.xml:4), hhhh");
    expect(helo.message).toContain("(1,000,000 characters)");
  });
});
