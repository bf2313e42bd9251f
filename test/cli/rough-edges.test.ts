/** The CLI's rough edges of issue 17, each shown by what the command prints. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXAMPLE, runCli, scratchSpace } from "./helpers.js";

const { scratch, tempDir } = scratchSpace();
const PR = join(EXAMPLE, "../campaign-repo-pr");

const ids = (findings: { id: string; line: number }[]) => findings.map((f) => `${f.id}:${f.line}`);
const textIds = (text: string) =>
  [...text.matchAll(/^ {2}campaign\/\S+?:(\d+)(?:-\d+)?\s+\w+\s+([a-z-]+)/gm)].map((m) => `${m[2]}:${m[1]}`);

describe("diff on paths that are neither directories nor revisions", () => {
  it("inside a git repository says so, instead of git's own error", async () => {
    // The test runs in this repository's work tree, a git repository.
    const { code, stderr } = await runCli(["diff", "no-such-base", "no-such-head"]);
    expect(code).toBe(2);
    expect(stderr).toBe("mx-guard: BASE no-such-base: neither a directory nor a revision of the git repository at .\n");
    expect(stderr).not.toContain("rev-parse");
  });

  it("names the side that is missing when the other is a directory", async () => {
    const { code, stderr } = await runCli(["diff", EXAMPLE, "no-such-head"]);
    expect(code).toBe(2);
    expect(stderr).toContain("HEAD no-such-head: neither a directory nor a revision (no such path)");
  });
});

describe("the capacity sentences", () => {
  it("multiply out a connection-bound rule: connections × messages/s × 300 s = the slot capacity", async () => {
    const copy = scratch();
    // laposte at 1 connection of 1 message per path (2 remote IPs), and enough laposte mail to make it the worst site.
    copy.edit("campaign/mx-rules.yaml", (text) =>
      text.replace(
        'maxConnections: 3\n    maxMessagesPerConnection: 20\n    messagesPerHour: "5,000"',
        'maxConnections: 1\n    maxMessagesPerConnection: 1\n    messagesPerHour: "5,000"',
      ),
    );
    copy.edit("campaign/traffic.yaml", (text) =>
      text.replace("laposte.net: 2%", "laposte.net: 30%").replace("gmail.com: 35%", "gmail.com: 7%"),
    );
    const { stdout } = await runCli(["simulate", copy.dir, "--format", "json", "--exit-zero"]);
    const findings: { id: string; message: string }[] = JSON.parse(stdout).findings;
    const text = findings.map((f) => f.message).join("\n");
    const m = /1 connection per path × 2 remote IPs \(estimate\) × ([\d.]+) messages\/s × 300 s = ([\d,]+) per 5-minute slot/.exec(text);
    expect(m).not.toBeNull();
    const [rate, slot] = [Number(m![1]), Number(m![2]!.replaceAll(",", ""))];
    // The product printed is the product computed (connect 1 s + 0.5 s per message: 0.5 messages/s).
    expect(rate).toBe(0.5);
    expect(slot).toBe(1 * 2 * rate * 300);
    const unreachable = findings.find((f) => f.id === "unreachable-quota" && f.message.includes("laposte"));
    expect(unreachable?.message).toContain(
      "its 1 connection per path × 2 remote IPs (estimate), with assumed connection timings (1 message each)",
    );
  });

  it("reads a shared rule as one bucket per publicId, and explains a Deferred 0 next to quotas met", async () => {
    // The demo pull request's head: the order confirmations' Yahoo mail waits for quotas but none past maxAgeSec.
    const { stdout } = await runCli(["simulate", PR, "--exit-zero"]);
    expect(stdout).toContain(
      'rule "*.yahoodns.net" (campaign/mx-rules.yaml:20) allows 8,000 messages/hour (shared: one bucket per publicId)',
    );
    expect(stdout).not.toContain("shared: 1 bucket");
    expect(stdout).toMatch(/\(quotas met\); none waits past maxAgeSec, so none is abandoned and the report's Deferred count stays 0\./);
  });

  it("shows the per-hour figure that is simulated (12 slots), and names the catch-all rule on the other row", async () => {
    const { stdout } = await runCli(["simulate", EXAMPLE, "--exit-zero"]);
    const table = stdout.slice(stdout.indexOf("prod / sites:"));
    const rows = table.slice(0, table.indexOf("\n\n")).split("\n").slice(3);
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) {
      const [perHour, perSlot] = [...row.matchAll(/\s([\d,]+)(?=\s)/g)].slice(-2).map((m) => Number(m[1]!.replaceAll(",", "")));
      expect(perHour).toBe(perSlot! * 12);
    }
    expect(rows.find((row) => row.startsWith("laposte"))).toMatch(/\s9,984\s+832\s/);
    expect(rows.find((row) => row.startsWith("other"))).toMatch(/^other\s+\* per domain \(campaign\/mx-rules\.yaml:74\)/);
  });
});

describe("the output formats agree", () => {
  it("simulate --format json has the conclusion and a blocking flag per finding", async () => {
    // The demo pull request's head misses both deadlines; the bundled base passes.
    const { code, stdout } = await runCli(["simulate", PR, "--format", "json"]);
    const json = JSON.parse(stdout);
    expect(json.conclusion).toBe("failure");
    expect(code).toBe(1);
    for (const finding of json.findings) expect(finding.blocking).toBe(finding.id === "deadline-miss");
    const passing = await runCli(["simulate", PR, "--format", "json", "--config", writePolicy("failOn: [tls-required]\n")]);
    expect(JSON.parse(passing.stdout).conclusion).toBe("success");
    expect(JSON.parse(passing.stdout).findings.some((f: { blocking: boolean }) => f.blocking)).toBe(false);
  });

  it("lists the findings in the same order in text, JSON and SARIF, for simulate and for diff", async () => {
    for (const args of [
      ["simulate", EXAMPLE],
      ["diff", EXAMPLE, PR],
    ]) {
      const text = textIds((await runCli([...args, "--exit-zero"])).stdout);
      const json = ids(JSON.parse((await runCli([...args, "--format", "json", "--exit-zero"])).stdout).findings);
      const sarif = JSON.parse((await runCli([...args, "--format", "sarif", "--exit-zero"])).stdout);
      const sarifIds = sarif.runs[0].results.map(
        (r: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }) =>
          `${r.ruleId}:${r.locations[0]!.physicalLocation.region.startLine}`,
      );
      expect(text.length).toBeGreaterThan(3);
      expect(json.filter((id) => !id.startsWith("fixed"))).toEqual(text);
      expect(sarifIds).toEqual(text);
      expect(sarif.runs[0].tool.driver.version).toMatch(/^\d+\.\d+\.\d+/);
    }
  });

  it("the text diff has the head's sites table, as the Markdown one does", async () => {
    const text = (await runCli(["diff", EXAMPLE, PR, "--exit-zero"])).stdout;
    const markdown = (await runCli(["diff", EXAMPLE, PR, "--format", "markdown", "--exit-zero"])).stdout;
    expect(markdown).toContain("Sites on the head");
    expect(text).toContain("Sites on the head: prod / sites:");
    expect(text).toMatch(/\nyahoo\s+\*\.yahoodns\.net \(campaign\/mx-rules\.yaml:20\)\s+1,2,3,4\s+18,228\s+1,519\s/);
  });
});

describe("small wording", () => {
  it("a missing file without a policy file does not send the user to check a policy that does not exist", async () => {
    const bare = tempDir("mx-guard-bare-");
    const alone = await runCli(["simulate", bare]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain("campaign/serverConf.xml");
    expect(alone.stderr).not.toContain("check the paths in");
    expect(alone.stderr).toContain("no .github/mx-guard.yml, so this is the default path");
    mkdirSync(join(bare, ".github"));
    writeFileSync(join(bare, ".github/mx-guard.yml"), "comment: off\n");
    expect((await runCli(["simulate", bare])).stderr).toContain("(check the paths in .github/mx-guard.yml)");
  });

  it("a duration written without a unit is said once, not twice", async () => {
    const copy = scratch();
    copy.edit("campaign/mx-rules.yaml", (text) => text.replace("timeout: 1m", "timeout: 60"));
    const { code, stderr } = await runCli(["simulate", copy.dir]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      'a number without a unit — found 60, expected a duration with a unit s, m, h or d (e.g. 10s, 4m, 1h30m, 5d) (write "60s"',
    );
    expect(stderr.match(/a duration with a unit/g)).toHaveLength(1);
  });
});

function writePolicy(text: string): string {
  const file = join(tempDir("mx-guard-policy-"), "mx-guard.yml");
  writeFileSync(file, text);
  return file;
}
