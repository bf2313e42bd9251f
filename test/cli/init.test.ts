/** `mx-guard init`: templates that parse, pre-filled from serverConf.xml, never written over an existing file. */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXAMPLE, runCli, scratchSpace } from "./helpers.js";
import { main } from "../../src/cli/main.js";

const { scratch, tempDir } = scratchSpace();
const DAY = new Date("2026-12-01T16:00:00Z");

async function init(dir: string) {
  let stdout = "";
  let stderr = "";
  const out = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t), isInteractive: false, now: () => 0 };
  const code = await main(["init", dir], out, { initDay: () => DAY });
  return { code, stdout, stderr };
}

const read = (dir: string, path: string) => readFileSync(join(dir, path), "utf8");

describe("mx-guard init", () => {
  it("in an empty directory writes the three commented templates, says serverConf.xml is missing, and simulates", async () => {
    const dir = join(tempDir("mx-guard-init-"), "repo");
    const { code, stdout, stderr } = await init(dir);
    expect(code).toBe(0);
    for (const path of ["campaign/mx-rules.yaml", "campaign/traffic.yaml", ".github/mx-guard.yml"]) {
      expect(stdout).toContain(`created ${path}\n`);
      expect(read(dir, path)).toMatch(/^# /);
    }
    expect(stdout).toContain("next: copy conf/serverConf.xml from the Campaign server to campaign/serverConf.xml");
    expect(stdout).toContain(`mx-guard simulate ${dir}\nMX Guard:`);
    // The only problem the simulation finds is the file init cannot write: the templates themselves parse.
    expect(stderr).toMatch(/campaign\/serverConf\.xml/);
    expect(stderr).not.toMatch(/mx-rules\.yaml|traffic\.yaml/);
    expect(read(dir, "campaign/traffic.yaml")).toContain("start: 2026-12-02T08:00:00Z");
  });

  it("pre-fills the instance, its affinities and publicIds from campaign/serverConf.xml and config-<instance>.xml", async () => {
    const dir = tempDir("mx-guard-init-");
    mkdirSync(join(dir, "campaign"));
    for (const file of ["serverConf.xml", "config-prod.xml"]) copyFileSync(join(EXAMPLE, "campaign", file), join(dir, "campaign", file));
    const { code, stdout, stderr } = await init(dir);
    expect(code).toBe(0);
    expect(stdout).toContain("read    campaign/serverConf.xml and campaign/config-prod.xml: 2 IP affinities, 4 publicIds\n");
    const policy = read(dir, ".github/mx-guard.yml");
    expect(policy).toMatch(/- name: prod\n/);
    expect(policy).toMatch(/\n {4}instanceConf: campaign\/config-prod\.xml /);
    const traffic = read(dir, "campaign/traffic.yaml");
    expect(traffic.match(/^ {4}affinity: .*$/gm)).toEqual(["    affinity: default", "    affinity: transactional"]);
    const rules = read(dir, "campaign/mx-rules.yaml");
    expect(rules).toContain("#   default;marketing: 1, 2\n#   transactional: 3, 4\n");
    expect(stdout).not.toContain("next: copy conf/serverConf.xml");
    // Everything parses and simulates: one table per pre-filled delivery, no configuration error.
    expect(stderr).toBe("");
    expect(stdout).toContain("prod / Planned delivery 1 (default): 100,000 recipients");
    expect(stdout).toContain("prod / Planned delivery 2 (transactional): 100,000 recipients");
  });

  it("finds a serverConf.xml copied to the top of the directory and points the policy at it", async () => {
    const dir = tempDir("mx-guard-init-");
    copyFileSync(join(EXAMPLE, "campaign/serverConf.xml"), join(dir, "serverConf.xml"));
    const { stdout, stderr } = await init(dir);
    expect(stderr).toBe("");
    expect(stdout).toContain("read    serverConf.xml: 2 IP affinities, 4 publicIds");
    expect(read(dir, ".github/mx-guard.yml")).toMatch(/\n {4}serverConf: serverConf\.xml /);
    expect(read(dir, ".github/mx-guard.yml")).toMatch(/- name: default\n/);
  });

  it("writes nothing over existing files, says which it kept, and simulates them as they are", async () => {
    const copy = scratch();
    const before = read(copy.dir, "campaign/traffic.yaml");
    const { code, stdout } = await init(copy.dir);
    expect(code).toBe(0);
    expect(stdout).toContain("kept    campaign/mx-rules.yaml (it exists; init never writes over a file)\n");
    expect(stdout).toContain("kept    campaign/traffic.yaml (it exists");
    expect(stdout).toContain("kept    .github/mx-guard.yml");
    expect(read(copy.dir, "campaign/traffic.yaml")).toBe(before);
    const simulated = await runCli(["simulate", copy.dir, "--exit-zero"]);
    expect(stdout.endsWith(simulated.stdout)).toBe(true);
    expect(simulated.stdout).toContain("Black Friday newsletter");
  });

  it("keeps an existing policy and uses its paths", async () => {
    const dir = tempDir("mx-guard-init-");
    mkdirSync(join(dir, ".github"));
    const policy =
      "instances:\n  - name: eu\n    serverConf: conf/serverConf.xml\n    mxRules: rules/mx.yaml\n    traffic: rules/traffic.yaml\n";
    writeFileSync(join(dir, ".github/mx-guard.yml"), policy);
    const { stdout } = await init(dir);
    expect(stdout).toContain("kept    .github/mx-guard.yml");
    expect(existsSync(join(dir, "rules/mx.yaml"))).toBe(true);
    expect(existsSync(join(dir, "rules/traffic.yaml"))).toBe(true);
    expect(existsSync(join(dir, "campaign"))).toBe(false);
    expect(read(dir, ".github/mx-guard.yml")).toBe(policy);
    expect(stdout).toContain("next: copy conf/serverConf.xml from the Campaign server to conf/serverConf.xml");
  });

  it("still writes the templates when serverConf.xml cannot be read, and says where it broke", async () => {
    const dir = tempDir("mx-guard-init-");
    mkdirSync(join(dir, "campaign"));
    writeFileSync(join(dir, "campaign/serverConf.xml"), "<serverconf>\n  <mta>\n</serverconf>\n");
    const { code, stdout, stderr } = await init(dir);
    expect(code).toBe(0);
    expect(stderr).toContain("campaign/serverConf.xml could not be read, so the templates are not pre-filled");
    expect(stderr).toMatch(/campaign\/serverConf\.xml:\d+:\d+/);
    expect(stdout).toContain("created campaign/traffic.yaml");
    expect(read(dir, "campaign/traffic.yaml")).toContain("# affinity: default");
  });
});
