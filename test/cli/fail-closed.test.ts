import { unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXAMPLE, runCli, scratchSpace } from "./helpers.js";

const { scratch, tempDir } = scratchSpace();

function emptyDir(): string {
  return tempDir("mx-guard-empty-");
}

describe("mx-guard diff fails closed when the head cannot be checked", () => {
  it("exits 2 for two directories without Campaign files, naming every path it looked for", async () => {
    const { code, stdout, stderr } = await runCli(["diff", emptyDir(), emptyDir(), "--format", "json"]);
    expect(code).toBe(2);
    const result = JSON.parse(stdout);
    expect(result.conclusion).toBe("failure");
    const errors = result.findings.filter((finding: { id: string }) => finding.id === "config-error");
    expect(errors.length).toBeGreaterThan(0);
    for (const finding of errors) expect(finding.status).toBe("existing");
    for (const path of ["campaign/serverConf.xml", "campaign/mx-rules.yaml", "campaign/traffic.yaml"]) {
      expect(stderr).toContain(path);
    }
    expect(stderr).toMatch(/could not check/);
  });

  it("lists the errors the base shared up front, in text and Markdown, not among the unchanged findings", async () => {
    const [base, head] = [emptyDir(), emptyDir()];
    const text = await runCli(["diff", base, head]);
    expect(text.stdout).toMatch(/^Configuration errors on the head, also on the base \(\d+\):\n {2}campaign\//m);
    expect(text.stdout).not.toContain("Existing findings");
    const markdown = await runCli(["diff", base, head, "--format", "markdown"]);
    expect(markdown.stdout).toMatch(/^## MX Guard could not check this change: \d+ configuration errors on the head$/m);
    expect(markdown.stdout).toContain("#### Configuration errors on the head, also on the base (");
  });

  it("exits 2 when the head lost a file the base had, and the title says nothing was checked", async () => {
    const head = scratch();
    unlinkSync(join(head.dir, "campaign/mx-rules.yaml"));
    const json = await runCli(["diff", EXAMPLE, head.dir, "--format", "json"]);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).conclusion).toBe("failure");
    expect(json.stderr).toContain("campaign/mx-rules.yaml");
    const text = await runCli(["diff", EXAMPLE, head.dir]);
    expect(text.stdout.split("\n")[0]).toBe("MX Guard could not check this change: 1 configuration error on the head");
  });

  it("exits 2 for an unreadable head even when the base had the same error and failOn leaves config-error out", async () => {
    const base = scratch();
    base.edit(".github/mx-guard.yml", (text) => text.replace(/^failOn: .*$/m, "failOn: [delivery-expiry]"));
    base.edit("campaign/traffic.yaml", (text) => text.replace('recipients: "2,000,000"', "recipients: lots"));
    const head = scratch();
    head.edit("campaign/traffic.yaml", (text) => text.replace('recipients: "2,000,000"', "recipients: lots"));
    const { code, stdout, stderr } = await runCli(["diff", base.dir, head.dir, "--format", "json", "--exit-zero"]);
    expect(code).toBe(2);
    const result = JSON.parse(stdout);
    expect(result.conclusion).toBe("failure");
    expect(result.findings.find((finding: { id: string }) => finding.id === "config-error").status).toBe("existing");
    expect(stderr).toMatch(/campaign\/traffic\.yaml:\d+:\d+: .*lots/);
  });

  it("still passes an unreadable base with a readable head (the change repairs it)", async () => {
    const base = scratch();
    writeFileSync(join(base.dir, "campaign/mx-rules.yaml"), "rules: [\n");
    const { code, stdout } = await runCli(["diff", base.dir, EXAMPLE, "--format", "json"]);
    const result = JSON.parse(stdout);
    expect(
      result.findings.filter((finding: { id: string }) => finding.id === "config-error").map((f: { status: string }) => f.status),
    ).toEqual(["fixed"]);
    expect(code).not.toBe(2);
  });
});
