/**
 * Throughput of 1 vs 3 replicas: N pull_request.opened webhooks (each PR lowers Yahoo's quota, so
 * each run posts a check, a review and a comment), sent round-robin to the replicas at once; the
 * time until every check run is completed and until every comment is posted. Fresh fake GitHub,
 * Redis and replicas per configuration. N = MX_GUARD_BENCH_PRS (default 6).
 *
 * Probot paces writes (≥1 s apart; review/comment POSTs ≥3 s apart) per process and for all
 * installations together (event clients carry no throttle id); with REDIS_URL that pacing is shared
 * by all replicas, so replicas add no throughput. The numbers are printed as a table for
 * BENCHMARKS.md / docs/replicas.md.
 */
import { afterAll, describe, expect, it } from "vitest";
import { FakeGitHub, type PullRequest } from "../e2e/fake-github/index.js";
import { ensureBuilt, pullRequestEvent, sendWebhook, waitFor, type AppProcess } from "../e2e/harness.js";
import { botComments, dumpLogs, exampleFiles, loweredYahoo, openPull, reviewsOf, runsFor, startReplicas } from "./cluster.js";
import { startRedis, type RedisServer } from "./redis-server.js";

const N = Math.max(1, Number(process.env.MX_GUARD_BENCH_PRS ?? 6) || 6);
const INSTALLATIONS = [
  { id: 42, owner: "acme" },
  { id: 43, owner: "beta" },
  { id: 44, owner: "gamma" },
];

interface Row {
  setup: string;
  replicas: number;
  redis: boolean;
  installations: number;
  checksMs: number;
  outputsMs: number;
  writes: number;
}

const rows: Row[] = [];

afterAll(() => {
  const lines = [
    `| setup | replicas | REDIS_URL | installations | ${N} checks completed | all reviews + comments | write requests |`,
    "|---|---:|---|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.setup} | ${r.replicas} | ${r.redis ? "yes" : "no"} | ${r.installations} | ${(r.checksMs / 1000).toFixed(1)} s | ${(r.outputsMs / 1000).toFixed(1)} s | ${r.writes} |`,
    ),
  ];
  console.log(`\nThroughput, ${N} pull requests (Node ${process.version}):\n${lines.join("\n")}\n`);
});

async function measure(setup: string, replicas: number, withRedis: boolean, installations: number): Promise<void> {
  const fake = new FakeGitHub();
  let redis: RedisServer | null = null;
  let apps: AppProcess[] = [];
  try {
    await fake.start();
    const repos = INSTALLATIONS.slice(0, installations).map((inst) => {
      fake.addInstallation(inst.id, inst.owner);
      return {
        ...fake.state.createRepository({ owner: inst.owner, name: "campaign-config", files: exampleFiles, installationId: inst.id }),
        installationId: inst.id,
      };
    });
    if (withRedis) redis = await startRedis();
    apps = await startReplicas(fake, replicas, redis ? { REDIS_URL: redis.url } : {}, "warn");
    const pulls: { pull: PullRequest; installationId: number }[] = [];
    for (let i = 0; i < N; i++) {
      const target = repos[i % repos.length]!;
      pulls.push({ pull: openPull(fake, target.repo, target.sha, loweredYahoo(), `Bench ${i}`), installationId: target.installationId });
    }
    const mark = fake.lastSeq;
    const started = Date.now();
    await Promise.all(
      pulls.map(({ pull, installationId }, i) =>
        sendWebhook(apps[i % apps.length]!, {
          event: "pull_request",
          payload: pullRequestEvent("opened", pull, { installationId }),
          timeoutMs: 30_000,
        }).then((r) => expect([200, 202]).toContain(r.status)),
      ),
    );
    const timeoutMs = 20_000 + N * 12_000;
    await waitFor(
      "every check run completed",
      () => pulls.every(({ pull }) => runsFor(fake, pull.headSha).some((r) => r.status === "completed")),
      {
        timeoutMs,
        intervalMs: 50,
        onTimeout: () => dumpLogs(apps),
      },
    );
    const checksMs = Date.now() - started;
    await waitFor(
      "every review and comment",
      () => pulls.every(({ pull }) => reviewsOf(fake, pull).length > 0 && botComments(fake, pull).length > 0),
      {
        timeoutMs,
        intervalMs: 50,
        onTimeout: () => dumpLogs(apps),
      },
    );
    const outputsMs = Date.now() - started;
    for (const { pull } of pulls) {
      expect(runsFor(fake, pull.headSha)).toHaveLength(1);
      expect(reviewsOf(fake, pull)).toHaveLength(1);
      expect(botComments(fake, pull)).toHaveLength(1);
    }
    const writes = fake.requestsSince(mark).filter((r) => r.method !== "GET" && !r.route.includes("access_tokens")).length;
    rows.push({ setup, replicas, redis: withRedis, installations, checksMs, outputsMs, writes });
  } finally {
    await Promise.all(apps.map((a) => a.stop()));
    await redis?.stop();
    await fake.stop();
  }
}

describe(`throughput, ${N} pull requests`, () => {
  it("prepares lib/", () => {
    ensureBuilt();
  });
  it("1 replica, no Redis (today's single process)", () => measure("single process", 1, false, 1), 300_000);
  it("1 replica, REDIS_URL", () => measure("one replica + Redis", 1, true, 1), 300_000);
  it("3 replicas, REDIS_URL, one installation", () => measure("three replicas + Redis", 3, true, 1), 300_000);
  it("3 replicas, REDIS_URL, three installations", () => measure("three replicas + Redis", 3, true, 3), 300_000);
  // Reference only: without Redis each replica paces on its own, but nothing is coordinated.
  it("3 replicas, no Redis (uncoordinated)", () => measure("three replicas, no Redis (uncoordinated)", 3, false, 1), 300_000);
});
