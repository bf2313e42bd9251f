/**
 * Three replicas of the built app (`probot run lib/index.js`, Node) behind "one webhook URL": the
 * test plays the load balancer and spreads deliveries over them. They share one fake GitHub and one
 * real redis-server (REDIS_URL). Scenarios run in order on the same cluster:
 *
 * 1. pull requests spread over the replicas;
 * 2. the same delivery sent to two replicas at once;
 * 3. two pushes racing on one pull request (A then B, to different replicas, milliseconds apart);
 * 4. the replica holding a queued job SIGKILLed in the middle of its run: another replica takes the
 *    job over (BullMQ's stalled-job check) and completes the check run it left in progress;
 * 5. Redis SIGKILLed in the middle of a run: the replicas keep serving on their own.
 *
 * After each: every check run completed, no duplicate review or comment.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeGitHub, type Repository } from "../e2e/fake-github/index.js";
import { ensureBuilt, pullRequestEvent, sendWebhook, waitFor, waitForQuiet, type AppProcess, type WebhookResult } from "../e2e/harness.js";
import {
  botComments,
  commentOnly,
  dumpLogs,
  exampleFiles,
  logsWith,
  loweredYahoo,
  openPull,
  reviewsOf,
  runsFor,
  startReplicas,
  unfinishedRuns,
} from "./cluster.js";
import { startRedis, type RedisServer } from "./redis-server.js";

/** A run takes ~6 s of Probot pacing; a takeover waits up to one lease (15 s) for a dead replica. */
const RUN_TIMEOUT = 60_000;
const UNREACHABLE = "Redis is unreachable";

const fake = new FakeGitHub();
let redis: RedisServer;
let replicas: AppProcess[] = [];
let repo: Repository;
let base = "";

function replica(i: number): AppProcess {
  const app = replicas[i];
  if (!app) throw new Error(`no replica ${i}`);
  return app;
}

function logs(): string {
  return dumpLogs(replicas);
}

async function post(app: AppProcess, payload: unknown, deliveryId?: string): Promise<WebhookResult> {
  const response = await sendWebhook(app, {
    event: "pull_request",
    payload,
    ...(deliveryId ? { deliveryId } : {}),
    timeoutMs: RUN_TIMEOUT,
  });
  expect([200, 202], `webhook answered ${response.status}: ${response.text}`).toContain(response.status);
  return response;
}

async function completed(sha: string, count = 1) {
  return waitFor(
    `${count} completed MX Guard run(s) on ${sha.slice(0, 7)}`,
    () => {
      const runs = runsFor(fake, sha);
      return runs.length >= count && runs.every((r) => r.status === "completed") && runs;
    },
    { timeoutMs: RUN_TIMEOUT, intervalMs: 100, onTimeout: logs },
  );
}

async function settled(): Promise<void> {
  await waitForQuiet(fake, 2_500, RUN_TIMEOUT);
  expect(unfinishedRuns(fake).map((r) => `${r.id} ${r.headSha.slice(0, 7)} ${r.status}`)).toEqual([]);
}

async function health(app: AppProcess): Promise<Record<string, unknown>> {
  const response = await fetch(`${app.baseUrl}/mx-guard/health`, { signal: AbortSignal.timeout(2_000) });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  ensureBuilt();
  await fake.start();
  redis = await startRedis();
  ({ repo, sha: base } = fake.state.createRepository({ owner: "acme", name: "campaign-config", files: exampleFiles, installationId: 42 }));
  // Check runs created at once (in progress), so a kill lands while one is: the takeover must finish it.
  replicas = await startReplicas(fake, 3, { REDIS_URL: redis.url, MX_GUARD_QUICK_CHECK_MS: "1" });
});

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.stop()));
  await redis?.stop();
  await fake.stop();
});

describe("three replicas sharing Redis", () => {
  it("report Redis as ready on the health endpoint", async () => {
    for (const app of replicas) expect(await health(app)).toEqual({ status: "ok", coordination: { backend: "redis", redis: "ready" } });
  });

  it("handle pull requests spread over the replicas: one check, one review, one comment each", async () => {
    const pulls = [0, 1, 2].map((i) => openPull(fake, repo, base, loweredYahoo(), `Spread ${i}`));
    await Promise.all(pulls.map((pull, i) => post(replica(i), pullRequestEvent("opened", pull))));
    for (const pull of pulls) await completed(pull.headSha);
    await waitFor(
      "three reviews and three comments",
      () => pulls.every((p) => reviewsOf(fake, p).length > 0 && botComments(fake, p).length > 0),
      {
        timeoutMs: RUN_TIMEOUT,
        onTimeout: logs,
      },
    );
    await settled();
    for (const pull of pulls) {
      expect(runsFor(fake, pull.headSha)).toHaveLength(1);
      expect(runsFor(fake, pull.headSha)[0]?.conclusion).toBe("failure");
      expect(reviewsOf(fake, pull)).toHaveLength(1);
      expect(botComments(fake, pull)).toHaveLength(1);
    }
    // The jobs went through the shared queue: whichever replicas took them, each ran once.
    const handled = replicas.flatMap((app) => logsWith(app, "MX Guard handled the event"));
    expect(handled).toHaveLength(3);
  });

  it("handle a delivery sent to two replicas at once only once", async () => {
    const pull = openPull(fake, repo, base, loweredYahoo(), "Twice");
    const payload = pullRequestEvent("opened", pull);
    const id = `twice-${pull.headSha.slice(0, 12)}`;
    const [r0, r1] = await Promise.all([post(replica(0), payload, id), post(replica(1), payload, id)]);
    await completed(pull.headSha);
    await waitFor("the sticky comment", () => botComments(fake, pull).length > 0, { timeoutMs: RUN_TIMEOUT, onTimeout: logs });
    await settled();
    expect(runsFor(fake, pull.headSha)).toHaveLength(1);
    expect(reviewsOf(fake, pull)).toHaveLength(1);
    expect(botComments(fake, pull)).toHaveLength(1);
    // One replica ran it; the second copy collapsed into the queued job or met the delivery's claim.
    const ran = [0, 1, 2].filter((i) => logsWith(replica(i), "MX Guard handled the event").some((r) => JSON.stringify(r).includes(id)));
    const skipped = [0, 1, 2].filter((i) =>
      ["already queued or running", "delivery already handled", "another replica is handling this delivery"].some((text) =>
        logsWith(replica(i), text).some((r) => JSON.stringify(r).includes(id)),
      ),
    );
    expect(ran).toHaveLength(1);
    expect(skipped.length).toBeGreaterThan(0);
    expect([r0.deliveryId, r1.deliveryId]).toEqual([id, id]);
  });

  it("let the newest head win when two pushes race on one pull request", async () => {
    const pull = openPull(fake, repo, base, commentOnly("first"), "Race");
    await post(replica(2), pullRequestEvent("opened", pull));
    await completed(pull.headSha);
    await waitFor("the first sticky comment", () => botComments(fake, pull).length > 0, { timeoutMs: RUN_TIMEOUT, onTimeout: logs });
    await settled();
    const stickyId = botComments(fake, pull)[0]?.id;

    // A: Yahoo lowered (failure); B: on top of A, Yahoo back and a comment edit (success).
    const head0 = pull.headSha;
    const headA = fake.state.addCommit(repo, pull.headSha, loweredYahoo(), "Lower Yahoo");
    fake.state.pushToPullRequest(pull, headA);
    const syncA = pullRequestEvent("synchronize", pull);
    const headB = fake.state.addCommit(repo, headA, commentOnly("second"), "Restore Yahoo");
    fake.state.pushToPullRequest(pull, headB);
    const syncB = pullRequestEvent("synchronize", pull);
    expect(syncA.before).toBe(head0);
    expect(syncB.before).toBe(headA);

    await Promise.all([post(replica(0), syncA), post(replica(1), syncB)]);
    const [runA] = await completed(headA);
    const [runB] = await completed(headB);
    await settled();

    expect(runA?.conclusion).toBe("failure");
    expect(runB?.conclusion).toBe("success");
    expect(runsFor(fake, headA)).toHaveLength(1);
    expect(runsFor(fake, headB)).toHaveLength(1);
    // The older head posted nothing on the pull request; the sticky comment reports head B.
    expect(reviewsOf(fake, pull, headA)).toHaveLength(0);
    const stickies = botComments(fake, pull);
    expect(stickies).toHaveLength(1);
    expect(stickies[0]?.id).toBe(stickyId);
    expect(stickies[0]?.body).toContain(String(runB?.output.title));
    expect(stickies[0]?.body).not.toContain(String(runA?.output.title));
    expect(stickies[0]?.edits.every((body) => !body.includes(String(runA?.output.title)))).toBe(true);
    expect(replicas.some((app) => logsWith(app, "a newer head of this pull request has arrived").length > 0)).toBe(true);
  });

  it("hand a queued job whose replica was SIGKILLed mid-run to another replica, which completes its check run", async () => {
    const pull = openPull(fake, repo, base, loweredYahoo(), "Crash");
    const id = `crash-${pull.headSha.slice(0, 12)}`;
    const payload = pullRequestEvent("opened", pull);
    // The replica that took the job last: a run may first be triaged by one replica and moved to the
    // review lane, then taken by another.
    const holder = (): AppProcess | undefined => {
      const takes = replicas.flatMap((app) =>
        logsWith(app, "MX Guard took a job from the queue")
          .filter((r) => r.delivery === id)
          .map((r) => ({ app, time: Number(r.time ?? 0) })),
      );
      return takes.sort((a, b) => b.time - a.time)[0]?.app;
    };
    let victim: AppProcess | undefined;
    let killedAt = 0;
    // Kill the replica holding the job the moment it asks for the files (its check run is in progress by then).
    const stopListening = fake.onRequest((request) => {
      if (!killedAt && request.route === "POST /graphql" && runsFor(fake, pull.headSha).length === 1) {
        victim = holder();
        if (!victim) return;
        killedAt = Date.now();
        process.kill(victim.pid, "SIGKILL");
      }
    });
    try {
      // Acknowledged at once: the job waits in Redis for any replica.
      const answer = await post(replica(0), payload, id);
      expect(answer.status).toBe(200);
      await waitFor("the replica holding the job to be killed", () => victim?.exitCode() !== null && victim !== undefined, {
        timeoutMs: RUN_TIMEOUT,
        onTimeout: logs,
      });
    } finally {
      stopListening();
    }
    expect(killedAt).toBeGreaterThan(0);
    expect(runsFor(fake, pull.headSha).map((r) => r.status)).toEqual(["in_progress"]);
    replicas = replicas.filter((r) => r !== victim);

    // No redelivery: a surviving replica's stalled-job check finds the job and runs it again.
    const runs = await completed(pull.headSha);
    const takeoverMs = Date.now() - killedAt;
    await waitFor("the sticky comment", () => botComments(fake, pull).length > 0, { timeoutMs: RUN_TIMEOUT, onTimeout: logs });
    await settled();
    // The run left in progress was finished, not doubled.
    expect(runs).toHaveLength(1);
    expect(runs[0]?.conclusion).toBe("failure");
    expect(reviewsOf(fake, pull)).toHaveLength(1);
    expect(botComments(fake, pull)).toHaveLength(1);
    expect(replicas.flatMap((app) => logsWith(app, "resuming the check run an earlier attempt left in progress"))).toHaveLength(1);
    console.log(`takeover after SIGKILL: check completed ${takeoverMs} ms after the kill, without a redelivery`);
  });

  it("keep serving when Redis is killed mid-run: every check completed, one warning per replica", async () => {
    const [first, second] = [replica(0), replica(1)];
    const pulls = [0, 1, 2].map((i) => openPull(fake, repo, base, loweredYahoo(), `No Redis ${i}`));
    let killed = false;
    const stopListening = fake.onRequest((request) => {
      if (
        !killed &&
        request.route === "POST /repos/{owner}/{repo}/check-runs" &&
        (request.body as { head_sha?: string }).head_sha === pulls[0]!.headSha
      ) {
        killed = true;
        void redis.kill();
      }
    });
    const started = Date.now();
    try {
      await post(first, pullRequestEvent("opened", pulls[0]!));
      await waitFor("Redis to be killed", () => killed, { timeoutMs: RUN_TIMEOUT, onTimeout: logs });
      await Promise.all([post(second, pullRequestEvent("opened", pulls[1]!)), post(first, pullRequestEvent("opened", pulls[2]!))]);
      for (const pull of pulls) await completed(pull.headSha);
      await waitFor(
        "every review and comment",
        () => pulls.every((p) => reviewsOf(fake, p).length > 0 && botComments(fake, p).length > 0),
        {
          timeoutMs: RUN_TIMEOUT,
          onTimeout: logs,
        },
      );
    } finally {
      stopListening();
    }
    const elapsed = Date.now() - started;
    await settled();
    const timeline = fake.requests
      .filter((r) => r.at >= started)
      .map((r) => `${String(r.at - started).padStart(6)} ms  ${r.status}  ${r.route}`)
      .join("\n");
    const flood = [first, second].map(
      (app) =>
        app.logRecords().filter((r) => Number(r.level) >= 50 && /ECONNREFUSED|Connection is closed|max retries/i.test(JSON.stringify(r)))
          .length,
    );
    console.log(`GitHub requests after the kill:\n${timeline}\nProbot's own Redis error records per replica: ${flood.join(", ")}`);
    for (const pull of pulls) {
      expect(runsFor(fake, pull.headSha)).toHaveLength(1);
      expect(reviewsOf(fake, pull)).toHaveLength(1);
      expect(botComments(fake, pull)).toHaveLength(1);
    }
    for (const app of [first, second]) {
      expect(logsWith(app, UNREACHABLE)).toHaveLength(1);
      expect(await health(app)).toEqual({ status: "degraded", coordination: { backend: "redis", redis: "degraded" } });
      expect(app.exitCode()).toBeNull();
    }
    console.log(`Redis killed mid-run: 3 pull requests completed in ${elapsed} ms`);
  });
});
