/**
 * One hostile pull request never hurts the others: the built app as a real process, a pull request
 * in one installation whose configuration keeps an engine worker busy until the deadline (the
 * worst fix search within the caps, hostile-files.ts: about 6 s of review on a quiet 2-core machine,
 * cut off at MX_GUARD_ENGINE_DEADLINE_MS = 4.5 s), and meanwhile another installation's pull requests and the health
 * endpoint. Asserted while the hostile run is still going: the health endpoint answers at once,
 * the other installation's webhooks are answered at once and their checks completed; then the
 * hostile run's check completed as a failure naming the budget.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeGitHub, readTree, replaceOnce, type PullRequest } from "./fake-github/index.js";
import { hostileFiles } from "./hostile-files.js";
import { ensureBuilt, EXAMPLE_REPO, pullRequestEvent, REAL_APP, sendWebhook, startApp, waitFor, type AppProcess } from "./harness.js";

const CHECK = "MX Guard";
const DEADLINE_MS = 4_500;
const fake = new FakeGitHub();
let app: AppProcess | null = null;
const files = readTree(EXAMPLE_REPO);

function completedRun(pull: PullRequest) {
  return fake.state.checkRuns.find(
    (r) => r.repo === pull.repo && r.headSha === pull.headSha && r.name === CHECK && r.status === "completed",
  );
}

beforeAll(async () => {
  ensureBuilt();
  await fake.start();
  app = await startApp({
    fake,
    appPath: REAL_APP,
    runtime: "node",
    slug: "mx-guard",
    env: { MX_GUARD_ENGINE_DEADLINE_MS: String(DEADLINE_MS) },
  });
});

afterAll(async () => {
  await app?.stop();
  await fake.stop();
});

describe("a hostile pull request in one installation", () => {
  it("delays neither the health endpoint nor another installation's webhooks and checks", async () => {
    const proc = app!;
    const hostileRepo = fake.state.createRepository({ owner: "acme", name: "hostile", files, installationId: 42 });
    const hostile = fake.state.createPullRequest(hostileRepo.repo, {
      baseSha: hostileRepo.sha,
      headSha: fake.state.addCommit(hostileRepo.repo, hostileRepo.sha, hostileFiles(files), "Big set-up"),
      title: "Big set-up",
    });
    fake.addInstallation(43, "beta");
    const other = fake.state.createRepository({ owner: "beta", name: "campaign", files, installationId: 43 });
    const docs = fake.state.createPullRequest(other.repo, {
      baseSha: other.sha,
      headSha: fake.state.addCommit(other.repo, other.sha, { ...files, "README.md": "# Docs\n" }, "Docs"),
      title: "Docs",
    });
    const harmless = fake.state.createPullRequest(other.repo, {
      baseSha: other.sha,
      headSha: fake.state.addCommit(
        other.repo,
        other.sha,
        replaceOnce(
          files,
          "campaign/mx-rules.yaml",
          "# MX management (defaultMXRules), in order",
          "# MX management (defaultMXRules, reviewed), in order",
        ),
        "Comment",
      ),
      title: "Comment",
    });

    const hostileSent = Date.now();
    const first = await sendWebhook(proc, { event: "pull_request", payload: pullRequestEvent("opened", hostile, { installationId: 42 }) });
    expect(first.status).toBe(200);
    expect(first.durationMs).toBeLessThan(1_000);
    // The hostile run is in the engine once its files were read.
    await waitFor(
      "the hostile run to read its files",
      () => fake.requests.some((r) => r.route === "POST /graphql" && JSON.stringify(r.body).includes(hostile.headSha)),
      { timeoutMs: 15_000, onTimeout: () => proc.stderr().slice(-3_000) },
    );

    const health: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      const response = await fetch(`${proc.baseUrl}/mx-guard/health`, { signal: AbortSignal.timeout(2_000) });
      expect(response.status).toBe(200);
      health.push(Date.now() - started);
    }
    const answers = await Promise.all(
      [docs, harmless].map((pull) =>
        sendWebhook(proc, { event: "pull_request", payload: pullRequestEvent("opened", pull, { installationId: 43 }) }),
      ),
    );
    await waitFor("the other installation's checks", () => completedRun(docs) && completedRun(harmless), {
      timeoutMs: DEADLINE_MS,
      onTimeout: () => proc.stdout().slice(-3_000),
    });
    const otherDone = Date.now();
    // All of that happened while the hostile run was still going.
    expect(completedRun(hostile)).toBeUndefined();
    expect(Math.max(...health)).toBeLessThan(500);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.durationMs).toBeLessThan(1_000);
    }
    expect(completedRun(docs)?.conclusion).toBe("success");
    expect(completedRun(harmless)?.conclusion).toBe("success");

    await waitFor("the hostile run's check", () => completedRun(hostile), { timeoutMs: DEADLINE_MS + 20_000 });
    const run = completedRun(hostile)!;
    expect(run.conclusion).toBe("failure");
    expect(`${run.output.title}\n${run.output.summary}`).toMatch(/too large to simulate within the budget/);
    console.log(
      `hostile run cut off ${Date.now() - hostileSent} ms after its webhook; meanwhile health answered in ≤ ${Math.max(...health)} ms, ` +
        `the other installation's webhooks in ≤ ${Math.max(...answers.map((a) => a.durationMs))} ms, its checks completed ${otherDone - hostileSent} ms after the hostile webhook`,
    );
  }, 90_000);
});
