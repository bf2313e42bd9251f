import { describe, expect, it } from "vitest";
import { EXAMPLE, git, runCli, scratchSpace } from "./helpers.js";

const { scratch } = scratchSpace();

describe("mx-guard simulate", () => {
  it("prints the stable JSON contract of SPEC §9 and exits 1 exactly when a failOn finding exists", async () => {
    const { code, stdout, stderr } = await runCli(["simulate", EXAMPLE, "--format", "json"]);
    expect(stderr).toBe("");
    const report = JSON.parse(stdout);
    expect(report.version).toBe(1);
    const [instance] = report.instances;
    expect(instance.name).toBe("prod");
    expect(instance.mode).toBe("mx-rules");
    for (const site of instance.sites) {
      expect(Object.keys(site)).toEqual(
        expect.arrayContaining(["site", "domains", "mx", "rule", "publicIds", "hourlyCapacity", "slotCapacity", "limitedBy", "tls"]),
      );
      expect(["hourly", "connections", "mta", "tls", "no-path", "no-rule"]).toContain(site.limitedBy);
      expect(["plaintext", "opportunistic"]).toContain(site.tls);
    }
    const names = instance.deliveries.map((delivery: { name: string }) => delivery.name);
    expect(names).toEqual(["Black Friday newsletter", "Order confirmations"]);
    for (const delivery of instance.deliveries) {
      expect(delivery.sent + delivery.expired).toBe(delivery.recipients);
      const domainTotal = delivery.domains.reduce((sum: number, domain: { recipients: number }) => sum + domain.recipients, 0);
      expect(domainTotal).toBe(delivery.recipients);
    }
    for (const finding of report.findings) {
      expect(Object.keys(finding)).toEqual(
        expect.arrayContaining(["id", "severity", "instance", "file", "line", "endLine", "message", "fingerprint"]),
      );
      expect(finding).not.toHaveProperty("status");
    }
    const failOn = ["delivery-expiry", "deadline-miss", "tls-required", "no-path", "affinity-missing", "config-error"];
    const blocking = report.findings.some((finding: { id: string }) => failOn.includes(finding.id));
    expect(code).toBe(blocking ? 1 : 0);
  });

  it("passes on the bundled example (both deliveries on time, notices only) and fails on the demo PR's Yahoo rule", async () => {
    const base = await runCli(["simulate", EXAMPLE, "--format", "json"]);
    const report = JSON.parse(base.stdout);
    expect(report.findings.map((finding: { id: string }) => finding.id)).toEqual(Array(4).fill("bulk-sender"));
    const completion = (r: typeof report) =>
      r.instances[0].deliveries.map((delivery: { name: string; completionHours: number }) => [
        delivery.name,
        Math.round(delivery.completionHours * 10) / 10,
      ]);
    expect(completion(report)).toEqual([
      ["Black Friday newsletter", 5.8],
      ["Order confirmations", 0.9],
    ]);
    expect(base.code).toBe(0);

    // The demo pull request lowers that rule to 8,000/h: 1,332 per slot for each delivery's two publicIds.
    const head = await runCli(["simulate", `${EXAMPLE}-pr`, "--format", "json"]);
    const misses = JSON.parse(head.stdout).findings.filter((finding: { id: string }) => finding.id === "deadline-miss");
    expect(misses.map((miss: { file: string; line: number }) => `${miss.file}:${miss.line}`)).toEqual([
      "campaign/mx-rules.yaml:20",
      "campaign/mx-rules.yaml:20",
    ]);
    expect(misses.map((miss: { message: string }) => miss.message).join("\n")).toMatch(
      /8,000 messages\/hour .* holds the other messages back until the next 5-minute slot's quota \(quotas met\)/,
    );
    expect(head.code).toBe(1);
    expect((await runCli(["simulate", `${EXAMPLE}-pr`, "--exit-zero"])).code).toBe(0);
  });

  it("prints a readable text report with a table per delivery and the assumptions", async () => {
    const { stdout } = await runCli(["simulate", EXAMPLE]);
    expect(stdout).toMatch(/^MX Guard: 4 findings, none failing\n/);
    expect(stdout).toContain("prod / Black Friday newsletter: 2,000,000 recipients");
    expect(stdout).toContain("completion 5.8 h, deadline 8 h");
    expect(stdout).toContain("prod / Order confirmations: 150,000 recipients");
    expect(stdout.match(/Domain\s+Site\s+Recipients\s+Sent\s+Deferred\s+Expired\s+Completion/g)).toHaveLength(2);
    expect(stdout).toMatch(/yahoo\s+\*\.yahoodns\.net \(campaign\/mx-rules\.yaml:20\)/);
    expect(stdout).toContain("Assumptions:");
    const head = await runCli(["simulate", `${EXAMPLE}-pr`]);
    expect(head.stdout).toMatch(/^MX Guard: \d+ findings?, 2 failing \(deadline-miss\)\n/);
  });

  it("exits 2 with file:line:column when a file is broken", async () => {
    const copy = scratch();
    copy.edit("campaign/mx-rules.yaml", (text) => text.replace("tls: opportunistic", "tls: sometimes"));
    const { code, stderr } = await runCli(["simulate", copy.dir]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/campaign\/mx-rules\.yaml:12:10: .*sometimes/);
  });

  it("exits 2 when a required file is missing, naming it", async () => {
    const copy = scratch();
    copy.edit(".github/mx-guard.yml", (text) => text.replace("campaign/traffic.yaml", "campaign/plan.yaml"));
    const { code, stderr } = await runCli(["simulate", copy.dir]);
    expect(code).toBe(2);
    expect(stderr).toContain("campaign/plan.yaml");
  });

  it("reports progress on stderr only once a run takes more than a second", async () => {
    let now = 0;
    const slow = await runCli(["simulate", EXAMPLE, "--format", "json"], () => (now += 700));
    expect(slow.stderr).toMatch(/mx-guard: simulating 1 instance\(s\)… \(\d+\.\d s\)/);
    JSON.parse(slow.stdout); // progress never pollutes stdout
    const fast = await runCli(["simulate", EXAMPLE, "--format", "json"]);
    expect(fast.stderr).toBe("");
  });

  it("rejects bad usage with exit 2 and the usage text", async () => {
    for (const argv of [[], ["explode"], ["simulate", "a", "b"], ["diff", "a"], ["simulate", "--format", "yaml"]]) {
      const { code, stderr } = await runCli(argv);
      expect(code, argv.join(" ")).toBe(2);
      expect(stderr).toMatch(/^mx-guard: /);
    }
    expect((await runCli(["simulate", "/nonexistent/dir"])).stderr).toContain("not a directory");
  });
});

describe("mx-guard diff", () => {
  const lowerYahoo = (text: string) => text.replace('messagesPerHour: "20,000"', 'messagesPerHour: "5,000"');

  it("compares two directories: a lower Yahoo quota is a new blocking finding on the rule's line", async () => {
    const head = scratch();
    head.edit("campaign/mx-rules.yaml", lowerYahoo);
    const { code, stdout } = await runCli(["diff", EXAMPLE, head.dir, "--format", "json"]);
    const result = JSON.parse(stdout);
    expect(result.conclusion).toBe("failure");
    expect(code).toBe(1);
    const worse = result.findings.filter((finding: { status: string }) => finding.status === "new" || finding.status === "worsened");
    expect(worse.length).toBeGreaterThan(0);
    for (const finding of result.findings) expect(["new", "worsened", "existing", "fixed"]).toContain(finding.status);
  });

  it("reads git revisions of --repo without a checkout, and an unchanged head passes", async () => {
    const repo = scratch();
    git(repo.dir, "init", "-q");
    git(repo.dir, "add", "-A");
    git(repo.dir, "commit", "-qm", "base");
    repo.edit("campaign/mx-rules.yaml", lowerYahoo);
    git(repo.dir, "commit", "-qam", "lower yahoo");
    repo.edit("campaign/mx-rules.yaml", (text) => text.replace('"5,000"', '"20,000"')); // working tree differs: must not matter
    const changed = await runCli(["diff", "HEAD~1", "HEAD", "--repo", repo.dir, "--format", "json"]);
    expect(JSON.parse(changed.stdout).conclusion).toBe("failure");
    expect(changed.code).toBe(1);
    const same = await runCli(["diff", "HEAD~1", "HEAD~1", "--repo", repo.dir]);
    expect(same.code).toBe(0);
    const bad = await runCli(["diff", "no-such-rev", "HEAD", "--repo", repo.dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("no-such-rev");
  });

  it("writes SARIF 2.1.0 and Markdown", async () => {
    const head = scratch();
    head.edit("campaign/mx-rules.yaml", lowerYahoo);
    const sarif = JSON.parse((await runCli(["diff", EXAMPLE, head.dir, "--format", "sarif"])).stdout);
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0].tool.driver.name).toBe("mx-guard");
    const markdown = (await runCli(["diff", EXAMPLE, head.dir, "--format", "markdown"])).stdout;
    expect(markdown).toContain("|");
  });
});
