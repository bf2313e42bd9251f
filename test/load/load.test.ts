/**
 * Load: the built app (`probot run lib/index.js`, Node or Bun per MX_GUARD_E2E_RUNTIME) against the
 * fake GitHub on 127.0.0.1. 200 pull_request.opened webhooks, one every 300 ms (60 s), spread over
 * 20 repositories made from examples/campaign-repo. A fifth of the pull requests break a quota
 * (check failure, review, sticky comment), two fifths change a Campaign file harmlessly (success,
 * sticky comment), two fifths touch docs only (success at once).
 *
 * Asserted: every pull request gets exactly one check run and it is completed, at most one review
 * and one sticky comment each (exactly one of each where expected), no failed call except injected
 * ones, no secret in the logs. Measured: time from webhook sent to check completed (p50/p95/max),
 * the app's RSS (sampled from /proc/<pid>/status, VmHWM at the end), API calls. Everything is
 * bounded: the sending loop is fixed, every wait has a deadline, the app process is always stopped.
 *
 * Knobs: MX_GUARD_LOAD_PULLS (default 200), MX_GUARD_LOAD_REPOS (20), MX_GUARD_LOAD_SECONDS (60).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeGitHub, readTree, replaceAfter, replaceOnce, type PullRequest } from "../e2e/fake-github/index.js";
import {
  ensureBuilt,
  EXAMPLE_REPO,
  leakedSecrets,
  pullRequestEvent,
  REAL_APP,
  runtimeFromEnv,
  sendWebhook,
  sleep,
  startApp,
  waitFor,
  waitForQuiet,
  type AppProcess,
} from "../e2e/harness.js";

const PULLS = positive("MX_GUARD_LOAD_PULLS", 200);
const REPOS = positive("MX_GUARD_LOAD_REPOS", 20);
const SECONDS = positive("MX_GUARD_LOAD_SECONDS", 60);
/** After the last webhook, how long the backlog may take to drain (Probot paces writes ≥1 s apart). */
const DRAIN_DEADLINE_MS = 30 * 60_000;
const CHECK = "MX Guard";
const RULES = "campaign/mx-rules.yaml";

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 10_000) throw new Error(`${name} must be an integer from 1 to 10000`);
  return value;
}

type Kind = "failing" | "passing" | "docs";

interface Job {
  pull: PullRequest;
  kind: Kind;
  sentAt: number;
  answeredAt: number;
  status: number;
  completedAt: number;
}

const runtime = runtimeFromEnv();
const fake = new FakeGitHub();
let app: AppProcess | null = null;
const jobs: Job[] = [];
const rss: { at: number; kb: number }[] = [];
let peakKb = 0;

function statusKb(pid: number, field: "VmRSS" | "VmHWM"): number | null {
  const file = `/proc/${pid}/status`;
  if (!existsSync(file)) return null;
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(file, "utf8"));
  return match ? Number(match[1]) : null;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

beforeAll(async () => {
  ensureBuilt();
  await fake.start();
  const files = readTree(EXAMPLE_REPO);
  const failing = replaceAfter(files, RULES, 'mask: "*.yahoodns.net"', 'messagesPerHour: "20,000"', 'messagesPerHour: "5,000"');
  const passing = replaceOnce(
    files,
    RULES,
    "# MX management (defaultMXRules), in order",
    "# MX management (defaultMXRules, reviewed), in order",
  );
  for (let r = 0; r < REPOS; r++) {
    const { repo, sha: base } = fake.state.createRepository({
      owner: "acme",
      name: `campaign-${String(r + 1).padStart(2, "0")}`,
      files,
      installationId: 42,
    });
    for (let i = r; i < PULLS; i += REPOS) {
      const kind: Kind = i % 5 === 0 ? "failing" : i % 5 <= 2 ? "passing" : "docs";
      const changes =
        kind === "failing" ? failing : kind === "passing" ? passing : { "README.md": `# Campaign configuration\n\nChange ${i}.\n` };
      const head = fake.state.addCommit(repo, base, changes, `Change ${i}`);
      const pull = fake.state.createPullRequest(repo, { baseSha: base, headSha: head, title: `Change ${i}` });
      jobs[i] = { pull, kind, sentAt: 0, answeredAt: 0, status: 0, completedAt: 0 };
    }
  }
  // The moment each run is completed, as the fake sees the PATCH.
  fake.onRequest((request) => {
    if (request.method !== "PATCH" || !/\/check-runs\/\d+$/.test(request.path)) return;
    if ((request.body as { status?: unknown } | null)?.status !== "completed" || request.status >= 400) return;
    const id = Number(/(\d+)$/.exec(request.path)?.[1]);
    const run = fake.state.checkRuns.find((r) => r.id === id);
    const job = run && jobs.find((j) => j.pull.repo === run.repo && j.pull.headSha === run.headSha);
    if (job && job.completedAt === 0) job.completedAt = request.at;
  });
  app = await startApp({ fake, appPath: REAL_APP, runtime, slug: "mx-guard", logLevel: "warn" });
});

afterAll(async () => {
  await app?.stop();
  await fake.stop();
});

describe(`load: ${PULLS} pull requests over ${SECONDS} s on ${REPOS} repositories (${runtime})`, () => {
  it("completes every check run, posts nothing twice, and reports latency and memory", async () => {
    const proc = app!;
    const sampler = setInterval(() => {
      const kb = statusKb(proc.pid, "VmRSS");
      if (kb !== null) rss.push({ at: Date.now(), kb });
    }, 250);
    try {
      const start = Date.now();
      const interval = (SECONDS * 1000) / PULLS;
      const answers: Promise<void>[] = [];
      for (let i = 0; i < PULLS; i++) {
        const due = start + i * interval;
        if (due > Date.now()) await sleep(due - Date.now());
        const job = jobs[i]!;
        job.sentAt = Date.now();
        answers.push(
          sendWebhook(proc, { event: "pull_request", payload: pullRequestEvent("opened", job.pull), timeoutMs: 30_000 }).then(
            (answer) => {
              job.status = answer.status;
              job.answeredAt = Date.now();
            },
            () => {
              job.status = -1;
              job.answeredAt = Date.now();
            },
          ),
        );
      }
      const sendingMs = Date.now() - start;
      await Promise.all(answers);
      await waitFor(`${PULLS} completed check runs`, () => jobs.every((j) => j.completedAt > 0), {
        timeoutMs: DRAIN_DEADLINE_MS,
        intervalMs: 500,
        onTimeout: () => `${jobs.filter((j) => j.completedAt === 0).length} not completed\n${proc.stderr().slice(-4000)}`,
      });
      const drainedMs = Date.now() - start;
      // Reviews and comments follow the completion: wait for the fake to fall quiet.
      await waitForQuiet(fake, 8_000, DRAIN_DEADLINE_MS);
      peakKb = Math.max(statusKb(proc.pid, "VmHWM") ?? 0, ...rss.map((s) => s.kb));

      // ---- correctness ------------------------------------------------------------------------
      const problems: string[] = [];
      for (const job of jobs) {
        const { pull } = job;
        const name = `${pull.repo.name}#${pull.number} (${job.kind})`;
        if (job.status !== 200 && job.status !== 202) problems.push(`${name}: webhook answered ${job.status}`);
        const runs = fake.state.checkRuns.filter((r) => r.repo === pull.repo && r.headSha === pull.headSha && r.name === CHECK);
        if (runs.length !== 1) problems.push(`${name}: ${runs.length} check runs`);
        if (runs.some((r) => r.status !== "completed")) problems.push(`${name}: a run is ${runs.map((r) => r.status).join(",")}`);
        const expected = job.kind === "failing" ? "failure" : "success";
        if (runs[0]?.conclusion !== expected) problems.push(`${name}: ${runs[0]?.conclusion} instead of ${expected}`);
        const reviews = fake.state.reviews.filter((r) => r.pull === pull).length;
        const stickies = fake.state.issueComments.filter(
          (c) => c.repo === pull.repo && c.issueNumber === pull.number && c.user.type === "Bot",
        ).length;
        const want = { reviews: job.kind === "failing" ? 1 : 0, stickies: job.kind === "docs" ? 0 : 1 };
        if (reviews !== want.reviews) problems.push(`${name}: ${reviews} reviews, expected ${want.reviews}`);
        if (stickies !== want.stickies) problems.push(`${name}: ${stickies} sticky comments, expected ${want.stickies}`);
      }
      const failedCalls = fake.requests.filter((r) => r.status >= 400 && !r.injected).map((r) => `${r.route} → ${r.status}`);

      // ---- numbers ----------------------------------------------------------------------------
      const latencies = jobs.map((j) => j.completedAt - j.sentAt).sort((a, b) => a - b);
      const byKind = (kind: Kind) =>
        jobs
          .filter((j) => j.kind === kind)
          .map((j) => j.completedAt - j.sentAt)
          .sort((a, b) => a - b);
      const writes = fake.requests.filter((r) => /^(POST|PATCH|PUT|DELETE) /.test(r.route) && !r.route.includes("access_tokens"));
      const summary = {
        runtime,
        pulls: PULLS,
        repositories: REPOS,
        sendingSeconds: +(sendingMs / 1000).toFixed(1),
        drainedSeconds: +(drainedMs / 1000).toFixed(1),
        webhookAnswers: { ok200: jobs.filter((j) => j.status === 200).length, accepted202: jobs.filter((j) => j.status === 202).length },
        sentToCompletedSeconds: {
          p50: +(percentile(latencies, 50) / 1000).toFixed(1),
          p95: +(percentile(latencies, 95) / 1000).toFixed(1),
          max: +(latencies.at(-1)! / 1000).toFixed(1),
          docsOnlyP50: +(percentile(byKind("docs"), 50) / 1000).toFixed(1),
          failingP50: +(percentile(byKind("failing"), 50) / 1000).toFixed(1),
        },
        rssMiB: { start: +((rss[0]?.kb ?? 0) / 1024).toFixed(0), peak: +(peakKb / 1024).toFixed(0), samples: rss.length },
        apiCalls: fake.requests.length,
        writeCalls: writes.length,
        writesPerSecondWhileDraining: +(writes.length / (drainedMs / 1000)).toFixed(2),
      };
      const text = `\nmx-guard load test\n${JSON.stringify(summary, null, 2)}\n`;
      console.log(text);
      writeFileSync(join(tmpdir(), `mx-guard-load-${runtime}.json`), JSON.stringify(summary, null, 2));

      expect(problems).toEqual([]);
      expect(failedCalls).toEqual([]);
      expect(leakedSecrets(proc, fake)).toEqual([]);
      expect(proc.exitCode()).toBeNull();
    } finally {
      clearInterval(sampler);
    }
  });
});
