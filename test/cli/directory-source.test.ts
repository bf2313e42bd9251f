import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { directorySource } from "../../src/io/directory-source.js";
import { runCli, scratchSpace } from "./helpers.js";

const { scratch, tempDir } = scratchSpace();

function outsideDir(): string {
  return tempDir("mx-guard-outside-");
}

describe("directory mode reads only regular files inside the directory", () => {
  it("refuses a symbolic link that points outside, without printing the target's content", async () => {
    const copy = scratch();
    const secret = join(outsideDir(), "token.yaml");
    writeFileSync(secret, "GITHUB_TOKEN=ghp_FAKE0123456789abcdef\n");
    unlinkSync(join(copy.dir, "campaign/traffic.yaml"));
    symlinkSync(secret, join(copy.dir, "campaign/traffic.yaml"));
    const { code, stdout, stderr } = await runCli(["simulate", copy.dir, "--format", "json"]);
    expect(code).toBe(2);
    expect(stderr).toContain("campaign/traffic.yaml: refusing to read a symbolic link that points outside");
    expect(stdout + stderr).not.toContain("ghp_FAKE");
  });

  it("follows a symbolic link that stays inside the directory", async () => {
    const copy = scratch();
    const target = join(copy.dir, "campaign/rules-v2.yaml");
    writeFileSync(target, readFileSync(join(copy.dir, "campaign/mx-rules.yaml")));
    unlinkSync(join(copy.dir, "campaign/mx-rules.yaml"));
    symlinkSync("rules-v2.yaml", join(copy.dir, "campaign/mx-rules.yaml"));
    expect(await directorySource(copy.dir).read("campaign/mx-rules.yaml")).toContain("rules:");
  });

  it("refuses a FIFO at once instead of waiting for a writer", async () => {
    const copy = scratch();
    unlinkSync(join(copy.dir, "campaign/serverConf.xml"));
    execFileSync("mkfifo", [join(copy.dir, "campaign/serverConf.xml")]);
    const started = Date.now();
    const { code, stderr } = await runCli(["simulate", copy.dir]);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(code).toBe(2);
    expect(stderr).toContain("campaign/serverConf.xml: refusing to read a FIFO (named pipe)");
  });

  it("still refuses paths that leave the directory", async () => {
    const copy = scratch();
    await expect(directorySource(copy.dir).read("../etc/passwd")).rejects.toThrow(/refusing to read outside/);
  });
});

describe("--config", () => {
  it("accepts an explicit absolute path outside the repository", async () => {
    const copy = scratch();
    const policy = join(outsideDir(), "policy.yml");
    writeFileSync(policy, readFileSync(join(copy.dir, ".github/mx-guard.yml")));
    rmSync(join(copy.dir, ".github"), { recursive: true });
    const ok = await runCli(["simulate", copy.dir, "--config", policy, "--format", "json"]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).instances[0].name).toBe("prod");
    // The newsletter's deadline cut to 5h: a deadline-miss, in the policy's failOn, so the policy was read and used.
    copy.edit("campaign/traffic.yaml", (text) => text.replace("deadline: 8h", "deadline: 5h"));
    const { code, stdout } = await runCli(["simulate", copy.dir, "--config", policy, "--format", "json"]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout).instances[0].name).toBe("prod");
  });

  it("still refuses policy paths that leave the repository", async () => {
    const copy = scratch();
    const policy = join(outsideDir(), "policy.yml");
    writeFileSync(policy, "instances:\n  - name: prod\n    traffic: ../../outside/traffic.yaml\n");
    const { code, stderr } = await runCli(["simulate", copy.dir, "--config", policy]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/policy\.yml:3:\d+: .*leaves the repository/);
  });
});
