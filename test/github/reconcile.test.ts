/**
 * Nothing missed (reconcile.ts): the leader lists installations and repositories and queues one
 * backfill job each (no token in a job); a replica that does not lead lists nothing; and a pull
 * request counts as checked only with a completed run of this app for that pull request.
 */
import { describe, expect, it } from "vitest";
import { MemoryCoordinator } from "../../src/github/coordination/memory.js";
import { MemoryQueue, type QueuedJob } from "../../src/github/queue/index.js";
import { DEFAULT_RECONCILE, reconcileOnce } from "../../src/github/reconcile.js";
import { uncheckedOpenPulls } from "../../src/github/recheck.js";
import { github, recordCalls } from "./helpers/github.js";
import { HEAD_SHA, OWNER, REPO, REPO_PATH } from "./helpers/payloads.js";
import { recordingLogger, testProbot, type LogRecord } from "./helpers/probot.js";

const BASE = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e";

/** A queue that only records what is added. */
class RecordingQueue extends MemoryQueue {
  readonly added: QueuedJob[] = [];
  override async add(job: QueuedJob) {
    this.added.push(job);
    return "queued" as const;
  }
}

describe("reconcile", () => {
  it("queues a backfill job per repository of every installation, in the review lane, without a token", async () => {
    const logs: LogRecord[] = [];
    const probot = testProbot({ log: recordingLogger(logs) });
    const scope = github();
    scope
      .get("/app/installations")
      .query(true)
      .reply(200, [{ id: 2, account: { login: OWNER } }]);
    scope
      .get("/installation/repositories")
      .query(true)
      .reply(200, {
        total_count: 2,
        repositories: [
          { name: REPO, owner: { login: OWNER } },
          { name: "Other", owner: { login: OWNER } },
        ],
      });
    const queue = new RecordingQueue();
    const queued = await reconcileOnce(probot, new MemoryCoordinator(), queue, DEFAULT_RECONCILE);
    expect(queued).toBe(2);
    expect(queue.added.map((j) => [j.installationId, j.owner, j.repo, j.eventKey, j.task.type, j.lane])).toEqual([
      [2, OWNER, REPO, "reconcile", "backfill", "review"],
      [2, OWNER, "Other", "reconcile", "backfill", "review"],
    ]);
    expect(JSON.stringify(queue.added)).not.toMatch(/ghs_|token/i);
  });

  it("lists nothing on a replica that does not lead", async () => {
    const probot = testProbot({ log: recordingLogger([]) });
    const coordinator = new MemoryCoordinator();
    coordinator.lead = async () => false;
    const queue = new RecordingQueue();
    expect(await reconcileOnce(probot, coordinator, queue, DEFAULT_RECONCILE)).toBe(0);
    expect(queue.added).toEqual([]);
  });

  it("counts a pull request as checked only with a completed run of this app for that pull request", async () => {
    const scope = github(false);
    const calls = recordCalls(scope);
    const pr = (number: number) => ({ number, head: { sha: HEAD_SHA }, base: { sha: BASE }, draft: false });
    scope
      .get(`${REPO_PATH}/pulls`)
      .query(true)
      .reply(200, [pr(2), pr(3), pr(4)]);
    const runs = [
      { id: 1, status: "completed", app: { id: 123 }, external_id: "mx-guard:pull_request.opened:d1:pr-2" },
      // Another integration's "MX Guard" for #3, and an unfinished run of this app for #4.
      { id: 2, status: "completed", app: { id: 999 }, external_id: "mx-guard:pull_request.opened:d2:pr-3" },
      { id: 3, status: "in_progress", app: { id: 123 }, external_id: "mx-guard:pull_request.opened:d3:pr-4" },
    ];
    scope
      .get(`${REPO_PATH}/commits/${HEAD_SHA}/check-runs`)
      .query(true)
      .times(3)
      .reply(200, { total_count: runs.length, check_runs: runs });
    const { Octokit } = await import("@octokit/rest");
    const octokit = new Octokit({ request: { retries: 0 } });
    const log = recordingLogger([]);
    const unchecked = await uncheckedOpenPulls({ octokit, owner: OWNER, repo: REPO, log, appId: 123 }, "MX Guard");
    expect(unchecked.map((p) => p.number)).toEqual([3, 4]);
    expect(calls).toHaveLength(4);
  });
});
