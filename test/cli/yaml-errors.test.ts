/**
 * YAML mistakes a hand-written repository makes, through `mx-guard simulate --format json`: one
 * error per cause, at the cause, in plain words (test/fixtures/onprem-repo, French comments).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";

const FIXTURE = join(import.meta.dirname, "../fixtures/onprem-repo");
const RULES = "campaign/mx-rules.yaml";
const TRAFFIC = "campaign/traffic.yaml";

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

function repoWith(file: string, change: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), "mx-guard-yaml-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(FIXTURE, dir, { recursive: true });
  writeFileSync(join(dir, file), change(readFileSync(join(FIXTURE, file), "utf8")));
  return dir;
}

interface Finding {
  id: string;
  file: string;
  line: number;
  message: string;
}

async function simulate(dir: string) {
  const { code, stdout, stderr } = await runCli(["simulate", dir, "--format", "json"]);
  const report = JSON.parse(stdout) as {
    findings: Finding[];
    instances: { deliveries: { name: string; domains: { domain: string; recipients: number }[] }[] }[];
  };
  const errors = report.findings.filter((f) => f.id === "config-error");
  return { code, stderr, report, errors };
}

/** Line (1-based) of the first line containing `needle`. */
const lineOf = (text: string, needle: string) => text.split(/\r\n|\r|\n/).findIndex((l) => l.includes(needle)) + 1;

describe("YAML errors point at the cause", () => {
  it("one tab gives one error, about the tab, without filler", async () => {
    const dir = repoWith(RULES, (t) => t.replace("    maxConnections: 4\n", "\tmaxConnections: 4\n"));
    const { code, errors, stderr } = await simulate(dir);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: RULES, line: lineOf(readFileSync(join(dir, RULES), "utf8"), "\tmaxConnections") });
    expect(errors[0]!.message).toContain("tabs are not allowed as indentation; indent with spaces");
    expect(stderr).not.toContain("valid YAML");
    expect(code).toBe(2);
  });

  it("an unterminated flow sequence is reported where it opens", async () => {
    const dir = repoWith(RULES, (t) =>
      t.replace("    shared: true\n    maxConnections: 4\n", "    shared: true\n    range: [1, 4\n    maxConnections: 4\n"),
    );
    const { errors } = await simulate(dir);
    expect(errors).toHaveLength(1);
    const text = readFileSync(join(dir, RULES), "utf8");
    const line = lineOf(text, "range: [1, 4");
    expect(errors[0]!.message).toBe(
      `${RULES}:${line}:12: YAML syntax error: the flow sequence "[" opened here is never closed with "]" — found "[1, 4", expected a closing "]" on the same line`,
    );
  });

  it("reads CR-only line endings, with the right lines", async () => {
    const dir = repoWith(RULES, (t) => t.replace(/\n/g, "\r").replace('messagesPerHour: "600"', 'messagesPerHour: "six cents"'));
    const { errors } = await simulate(dir);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.line).toBe(lineOf(readFileSync(join(dir, RULES), "utf8"), "six cents"));
  });

  it("treats 0x10 the same quoted or not", async () => {
    const plain = (await simulate(repoWith(RULES, (t) => t.replace("maxConnections: 30", "maxConnections: 0x10")))).errors;
    const quoted = (await simulate(repoWith(RULES, (t) => t.replace("maxConnections: 30", 'maxConnections: "0x10"')))).errors;
    expect(plain).toHaveLength(1);
    expect(plain.map((e) => e.message)).toEqual(quoted.map((e) => e.message));
    // And a plain decimal stays a number.
    expect((await simulate(repoWith(RULES, (t) => t.replace("maxConnections: 30", "maxConnections: 16")))).errors).toEqual([]);
  });

  it("keeps domains named like Object.prototype keys", async () => {
    const dir = repoWith(TRAFFIC, (t) =>
      t.replace("      comcast.net: 10%\n", "      comcast.net: 10%\n      __proto__: 5%\n      constructor: 5%\n"),
    );
    const { report, errors } = await simulate(dir);
    expect(errors).toEqual([]);
    const domains = report.instances[0]!.deliveries[0]!.domains.map((d) => d.domain);
    expect(domains).toEqual(expect.arrayContaining(["__proto__", "constructor"]));
    expect(report.instances[0]!.deliveries[0]!.domains.find((d) => d.domain === "__proto__")!.recipients).toBe(1000);
  });

  it("a bad value under a domain named __proto__ is reported, not dropped", async () => {
    const dir = repoWith(TRAFFIC, (t) => t.replace("      comcast.net: 10%\n", "      comcast.net: 10%\n      __proto__: beaucoup\n"));
    const { errors } = await simulate(dir);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.line).toBe(lineOf(readFileSync(join(dir, TRAFFIC), "utf8"), "__proto__"));
  });

  it("validates the part above a syntax error: a misspelt key there is reported in the same run", async () => {
    const dir = repoWith(RULES, (t) =>
      t.replace("    maxConnections: 30\n", "    maxConection: 30\n").replace('    messagesPerHour: "600"\n', '\tmessagesPerHour: "600"\n'),
    );
    const { errors } = await simulate(dir);
    const text = readFileSync(join(dir, RULES), "utf8");
    expect(errors.map((e) => e.line)).toEqual([lineOf(text, "maxConection"), lineOf(text, "\tmessagesPerHour")]);
    expect(errors[0]!.message).toContain('unknown key "maxConection"');
    expect(errors[0]!.message).toContain('did you mean "maxConnections"?');
  });
});
