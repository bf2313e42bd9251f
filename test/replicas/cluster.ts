/**
 * Several app processes (replicas) against one fake GitHub, optionally sharing a Redis: built on
 * the end-to-end harness (test/e2e/harness.ts), which starts each one with `probot run lib/index.js`.
 */
import { type FakeGitHub, readTree, replaceAfter, replaceOnce, type PullRequest, type Repository } from "../e2e/fake-github/index.js";
import type { CheckRun } from "../e2e/fake-github/state.js";
import { EXAMPLE_REPO, REAL_APP, startApp, type AppProcess } from "../e2e/harness.js";

export const CHECK = "MX Guard";
export const RULES = "campaign/mx-rules.yaml";
export const YAHOO = 'mask: "*.yahoodns.net"';
export const exampleFiles = readTree(EXAMPLE_REPO);

/** Yahoo's quota lowered to 5,000/h: the Black Friday newsletter no longer fits (failure, findings). */
export function loweredYahoo(): Record<string, string | Buffer> {
  return replaceAfter(exampleFiles, RULES, YAHOO, 'messagesPerHour: "20,000"', 'messagesPerHour: "5,000"');
}

/** A harmless comment edit in a watched file (success, nothing to comment on). */
export function commentOnly(text = "reviewed"): Record<string, string | Buffer> {
  return replaceOnce(
    exampleFiles,
    RULES,
    "# MX management (defaultMXRules), in order",
    `# MX management (defaultMXRules, ${text}), in order`,
  );
}

export async function startReplicas(
  fake: FakeGitHub,
  count: number,
  env: Record<string, string>,
  logLevel = "info",
): Promise<AppProcess[]> {
  return Promise.all(
    Array.from({ length: count }, () => startApp({ fake, appPath: REAL_APP, runtime: "node", slug: "mx-guard", env, logLevel })),
  );
}

export function runsFor(fake: FakeGitHub, sha: string): CheckRun[] {
  return fake.state.checkRuns.filter((r) => r.headSha === sha && r.name === CHECK);
}

export function botComments(fake: FakeGitHub, pull: PullRequest) {
  return fake.state.issueComments.filter((c) => c.issueNumber === pull.number && c.repo === pull.repo && c.user.type === "Bot");
}

export function reviewsOf(fake: FakeGitHub, pull: PullRequest, commit?: string) {
  return fake.state.reviews.filter((r) => r.pull === pull && (commit === undefined || r.commitId === commit));
}

/** Every MX Guard run on the fake is completed. */
export function unfinishedRuns(fake: FakeGitHub): CheckRun[] {
  return fake.state.checkRuns.filter((r) => r.name === CHECK && r.status !== "completed");
}

/** A pull request on `repo` from `base` to a new commit with `files`. */
export function openPull(
  fake: FakeGitHub,
  repo: Repository,
  base: string,
  files: Record<string, string | Buffer>,
  title: string,
): PullRequest {
  const head = fake.state.addCommit(repo, base, files, title);
  return fake.state.createPullRequest(repo, { baseSha: base, headSha: head, title });
}

/** Log records of `app` whose message contains `text`. */
export function logsWith(app: AppProcess, text: string, minLevel = 0): Record<string, unknown>[] {
  return app.logRecords().filter((r) => String(r.msg ?? "").includes(text) && Number(r.level ?? 0) >= minLevel);
}

export function dumpLogs(apps: AppProcess[]): string {
  return apps
    .map((a, i) => `--- replica ${i} (pid ${a.pid}) stdout:\n${a.stdout().slice(-8_000)}\n--- stderr:\n${a.stderr().slice(-4_000)}`)
    .join("\n");
}
