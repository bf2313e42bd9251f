/**
 * The gate through `mx-guard diff --format json`, the way a CI job sees it: a reordered catch-all,
 * a new IP, and fixes that stay under the ceiling and still parse once applied.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseMxRules } from "../../src/parse/mx-rules.js";
import { applySuggestion } from "../../src/review/rule-text.js";
import { EXAMPLE, runCli, scratchSpace } from "./helpers.js";

const RULES = "campaign/mx-rules.yaml";
const { scratch } = scratchSpace();

interface JsonFinding {
  id: string;
  status: string;
  severity: string;
  file: string;
  line: number;
  endLine: number;
  suggestion?: string;
  details?: Record<string, any>;
}

async function diffJson(head: string, base = EXAMPLE) {
  const run = await runCli(["diff", base, head, "--format", "json"]);
  return { code: run.code, result: JSON.parse(run.stdout) as { conclusion: string; findings: JsonFinding[] } };
}

describe("mx-guard diff --format json: the gate", () => {
  it("a catch-all moved above the provider rules is a blocking quota-raise, with rule-change warnings", async () => {
    const head = scratch();
    head.edit(RULES, (text) => {
      const at = text.indexOf('  - mask: "*"  ');
      return `${text
        .slice(0, at)
        .trimEnd()
        .replace("rules:\n", `rules:\n${text.slice(at).trimEnd()}\n\n`)}\n`;
    });
    const { code, result } = await diffJson(head.dir);
    expect(code).toBe(1);
    expect(result.conclusion).toBe("failure");
    const raise = result.findings.find((f) => f.id === "quota-raise" && f.details?.["site"] === "yahoo");
    expect(raise).toMatchObject({ status: "new", severity: "failure", line: 4 });
    expect(result.findings.some((f) => f.id === "rule-change" && f.status === "new" && f.severity === "warning")).toBe(true);
  });

  it("a new IP carrying traffic is an ip-warmup warning", async () => {
    const head = scratch();
    head.edit("campaign/serverConf.xml", (text) =>
      text.replace(
        "</IPAffinity>",
        '  <IP address="192.0.2.13" publicId="9" heloHost="mta3.news.shop.example" weight="5"/>\n        </IPAffinity>',
      ),
    );
    const { result } = await diffJson(head.dir);
    expect(result.findings.filter((f) => f.id === "ip-warmup")).toMatchObject([
      { status: "new", severity: "warning", details: { publicId: 9 } },
    ]);
  });

  it("every suggested messagesPerHour stays within maxRaise × the base's value and parses once applied", async () => {
    // Deadlines the base meets, so a fix that meets them exists.
    const relax = (text: string) => text.replace("deadline: 8h", "deadline: 12h").replace("deadline: 2h", "deadline: 12h");
    const base = scratch();
    base.edit("campaign/traffic.yaml", relax);
    const head = scratch();
    head.edit("campaign/traffic.yaml", relax);
    head.edit(RULES, (text) => text.replace('messagesPerHour: "60,000"', 'messagesPerHour: "6,000"'));
    const { result } = await diffJson(head.dir, base.dir);
    const fixed = result.findings.filter((f) => f.suggestion !== undefined);
    expect(fixed.length).toBeGreaterThan(0);
    const text = readFileSync(join(head.dir, RULES), "utf8");
    for (const f of fixed) {
      expect(f.details?.["fix"]).toMatchObject({ verified: true });
      const to = f.details?.["fix"]?.messagesPerHour?.to;
      if (to !== undefined) expect(to).toBeLessThanOrEqual(2 * 60_000);
      const applied = applySuggestion(text, f.line, f.endLine, f.suggestion!);
      expect(parseMxRules(applied, RULES).ok).toBe(true);
      // Applied, the change passes the gate (no quota-raise, the deadline met).
      writeFileSync(join(head.dir, RULES), applied);
      const after = await diffJson(head.dir, base.dir);
      expect(after.result.findings.filter((x) => x.id === "quota-raise")).toEqual([]);
      writeFileSync(join(head.dir, RULES), text);
    }
  });
});
