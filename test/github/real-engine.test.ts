/**
 * The App with the real engine (src/engine/engine.ts) on the example configuration repository:
 * a pull request that cuts Gmail's hourly quota tenfold.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { STICKY_MARKER } from "../../src/render/sticky-comment.js";
import { defaultEngine } from "../../src/engine/index.js";
import { UNCHANGED_REPO, expectStarted, type FakeRepository } from "./helpers/github.js";
import { BASE_SHA, HEAD_SHA, deliver, pullRequestEvent } from "./helpers/payloads.js";
import { scenario } from "./helpers/scenario.js";

const EXAMPLE = new URL("../../examples/campaign-repo/", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, EXAMPLE), "utf8");
const POLICY = read(".github/mx-guard.yml");
const BASE_TREE: Record<string, string> = {
  "campaign/serverConf.xml": read("campaign/serverConf.xml"),
  "campaign/config-prod.xml": read("campaign/config-prod.xml"),
  "campaign/mx-rules.yaml": read("campaign/mx-rules.yaml"),
  // Deadlines the base meets: a fix is verified only when it meets them, so one exists for the cut.
  "campaign/traffic.yaml": read("campaign/traffic.yaml").replace("deadline: 8h", "deadline: 12h").replace("deadline: 2h", "deadline: 12h"),
};
const HEAD_RULES = BASE_TREE["campaign/mx-rules.yaml"]!.replace('messagesPerHour: "60,000"', 'messagesPerHour: "6,000"');
const HEAD_TREE = { ...BASE_TREE, "campaign/mx-rules.yaml": HEAD_RULES };
const CHANGED_LINE = HEAD_RULES.split("\n").findIndex((l) => l.includes('"6,000"')) + 1;

/** The patch GitHub shows for a one-line change: 3 lines of context on each side. */
function oneLinePatch(before: string, after: string, line: number): string {
  const a = before.split("\n");
  const b = after.split("\n");
  const from = Math.max(1, line - 3);
  const to = Math.min(b.length, line + 3);
  const body: string[] = [];
  for (let n = from; n <= to; n++) {
    if (n === line) body.push(`-${a[n - 1]}`, `+${b[n - 1]}`);
    else body.push(` ${b[n - 1]}`);
  }
  return [`@@ -${from},${to - from + 1} +${from},${to - from + 1} @@`, ...body].join("\n");
}

describe("the App with the real engine on examples/campaign-repo", () => {
  it("fails the check, suggests a fix on the changed line, and stays quiet on an identical second push", { timeout: 60_000 }, async () => {
    expect(CHANGED_LINE).toBeGreaterThan(0);
    const repo: FakeRepository = { trees: { [BASE_SHA]: BASE_TREE, [HEAD_SHA]: HEAD_TREE }, comments: [], reviews: [] };
    const patch = oneLinePatch(BASE_TREE["campaign/mx-rules.yaml"]!, HEAD_RULES, CHANGED_LINE);

    const first = await scenario({
      engine: defaultEngine,
      policy: POLICY,
      files: [{ filename: "campaign/mx-rules.yaml", patch }],
      repo,
      review: true,
      comment: true,
    });
    const { probot, calls, started, reviews, comments } = first;
    let updates = first.updates;

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expectStarted(started);
    expect(calls).toHaveLength(8);
    const completed = updates.at(-1)!;
    expect(completed).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(completed.output.summary.length).toBeLessThanOrEqual(65_535);
    const annotations = updates.flatMap((u) => u.output.annotations ?? []) as { path: string; annotation_level: string }[];
    expect(annotations.length).toBeGreaterThan(0);
    expect(annotations.some((a) => a.annotation_level === "failure")).toBe(true);

    expect(reviews).toHaveLength(1);
    const posted = reviews[0]!.comments as { path: string; line: number; start_line?: number; body: string }[];
    expect(posted.length).toBeGreaterThan(0);
    // Every comment sits inside the hunk GitHub shows.
    for (const c of posted) {
      expect(c.line).toBeGreaterThanOrEqual(CHANGED_LINE - 3);
      expect(c.line).toBeLessThanOrEqual(CHANGED_LINE + 3);
      if (c.start_line !== undefined) expect(c.start_line).toBeGreaterThanOrEqual(CHANGED_LINE - 3);
    }
    // The engine's fix for the rule, shrunk to the one line that changes: a one-click suggestion.
    const withFix = posted.find((c) => c.body.includes("suggestion\n"));
    expect(withFix).toMatchObject({ path: "campaign/mx-rules.yaml", line: CHANGED_LINE });
    expect(withFix!.start_line).toBeUndefined();
    expect(withFix!.body).toMatch(/suggestion\n {4}messagesPerHour: [^\n]+\n`{3,}/);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain(STICKY_MARKER);

    // A second push with the same configuration: no new review, the sticky comment is unchanged.
    repo.reviews!.push({ body: String(reviews[0]!.body), mine: true, commit: HEAD_SHA });
    repo.comments!.push({ id: 90, body: String(comments[0]!.body), mine: true });
    const second = "7777777777777777777777777777777777777777";
    repo.trees[second] = HEAD_TREE;
    updates = first.next({ head: second, policy: POLICY, files: [{ filename: "campaign/mx-rules.yaml", patch }], repo }).updates;

    await deliver(probot, "pull_request", pullRequestEvent("synchronize", { head: second }));

    expect(updates.at(-1)).toMatchObject({ status: "completed", conclusion: "failure", output: { title: completed.output.title } });
  });

  it("completes at once as success when the pull request touches no Campaign file", async () => {
    const { probot, updates } = await scenario({
      engine: defaultEngine,
      policy: POLICY,
      files: [{ filename: "docs/runbook.md" }],
      repo: UNCHANGED_REPO,
    });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(updates[0]).toMatchObject({ status: "completed", conclusion: "success" });
  });

  it("fails closed when the policy names files the repository does not have, even unchanged", async () => {
    const quiet = POLICY.replace("comment: update", "comment: off").replace("review: true", "review: false");
    const { probot, updates } = await scenario({
      engine: defaultEngine,
      policy: quiet,
      files: [{ filename: "docs/runbook.md" }],
      repo: { trees: {} },
    });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(updates[0]).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(updates[0]!.output.title).toMatch(/^MX Guard could not check this change/);
    expect(updates[0]!.output.summary).toContain("campaign/serverConf.xml");
  });

  it("fails when the head breaks a file the base could not read either", async () => {
    const quiet = POLICY.replace("comment: update", "comment: off").replace("review: true", "review: false");
    const broken = { ...BASE_TREE, "campaign/traffic.yaml": "deliveries: [\n" };
    const { probot, updates } = await scenario({
      engine: defaultEngine,
      policy: quiet,
      files: [{ filename: "campaign/traffic.yaml" }],
      repo: { trees: { [BASE_SHA]: broken, [HEAD_SHA]: { ...broken, "campaign/traffic.yaml": "deliveries: [\n\n" } } },
    });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(updates[0]).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(updates[0]!.output.title).toMatch(/^MX Guard could not check this change/);
  });
});
