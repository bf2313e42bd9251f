/** MemoryQueue: collapsing, fair turns between installations, quick before review, retries. */
import { describe, expect, it } from "vitest";
import { pullDedupeKey, type QueuedJob } from "../../src/github/queue/index.js";
import { MemoryQueue } from "../../src/github/queue/memory.js";

function job(id: string, installationId: number, extra: Partial<QueuedJob> = {}): QueuedJob {
  return {
    id,
    installationId,
    owner: "acme",
    repo: `r${installationId}`,
    eventKey: "pull_request.opened",
    deliveryId: id,
    task: { type: "pull", pull: { number: 1, headSha: "a".repeat(40), baseSha: "b".repeat(40), draft: false }, rerequest: false },
    lane: "quick",
    ...extra,
  };
}

/** A handler whose jobs finish only when released, recording the order they started in. */
function gatedHandler() {
  const started: string[] = [];
  const gates = new Map<string, () => void>();
  const handler = (j: QueuedJob) =>
    new Promise<void>((resolve) => {
      started.push(j.id);
      gates.set(j.id, resolve);
    });
  const release = (id: string) => {
    const gate = gates.get(id);
    if (!gate) throw new Error(`${id} has not started`);
    gate();
  };
  return { started, handler, release };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("MemoryQueue", () => {
  it("collapses a job whose id or dedupe key is waiting or running, and takes it again once done", async () => {
    const queue = new MemoryQueue();
    const { handler, release, started } = gatedHandler();
    queue.start(handler);
    expect(await queue.add(job("d1", 1, { dedupeKey: "k" }))).toBe("queued");
    expect(await queue.add(job("d1", 1))).toBe("duplicate");
    expect(await queue.add(job("d2", 1, { dedupeKey: "k" }))).toBe("duplicate");
    await tick();
    release("d1");
    await queue.idle();
    expect(started).toEqual(["d1"]);
    expect(await queue.add(job("d1", 1, { dedupeKey: "k" }))).toBe("queued");
    await tick();
    release("d1");
    await queue.idle();
    expect(started).toEqual(["d1", "d1"]);
  });

  it("gives installations turns: a busy one never holds every worker, and others start at once", async () => {
    const queue = new MemoryQueue({ concurrency: 3, perInstallation: 2 });
    const { handler, release, started } = gatedHandler();
    queue.start(handler);
    for (let i = 1; i <= 6; i++) await queue.add(job(`busy-${i}`, 1));
    await tick();
    expect(started).toEqual(["busy-1", "busy-2"]);
    await queue.add(job("other-1", 2));
    await queue.add(job("third-1", 3));
    await tick();
    // The third worker went to the second installation at once; the third waits for a free worker.
    expect(started).toEqual(["busy-1", "busy-2", "other-1"]);
    release("busy-1");
    await tick();
    // The next turn is the third installation's, not the busy one's.
    expect(started.at(-1)).toBe("third-1");
    expect(queue.waitingFor(1)).toBe(4);
    for (const id of ["busy-2", "other-1", "third-1"]) release(id);
    for (let i = 3; i <= 6; i++) {
      await tick();
      release(`busy-${i}`);
    }
    await queue.idle();
    expect(started).toHaveLength(8);
    expect(queue.status()).toEqual({ backend: "memory", waiting: 0, active: 0 });
  });

  it("runs an installation's quick jobs before its reviews", async () => {
    const queue = new MemoryQueue({ concurrency: 1, perInstallation: 1 });
    const { handler, release, started } = gatedHandler();
    queue.start(handler);
    await queue.add(job("first", 1));
    await queue.add(job("review-1", 1, { lane: "review" }));
    await queue.add(job("review-2", 1, { lane: "review" }));
    await queue.add(job("docs", 1));
    for (const id of ["first", "docs", "review-1", "review-2"]) {
      await tick();
      release(id);
    }
    await queue.idle();
    expect(started).toEqual(["first", "docs", "review-1", "review-2"]);
  });

  it("retries a failed job after a backoff and reports it once it fails its last try", async () => {
    const failed: string[] = [];
    const queue = new MemoryQueue({ attempts: 3, backoffMs: 5, onFailed: (j) => failed.push(j.id) });
    let tries = 0;
    queue.start(async (j) => {
      tries += 1;
      if (j.id === "flaky" && tries < 2) throw new Error("502");
      if (j.id === "broken") throw new Error("always");
    });
    await queue.add(job("flaky", 1));
    await queue.idle();
    expect(tries).toBe(2);
    expect(failed).toEqual([]);
    tries = 0;
    await queue.add(job("broken", 1));
    await queue.idle();
    expect(tries).toBe(3);
    expect(failed).toEqual(["broken"]);
    expect(queue.failures.map((f) => (f.error as Error).message)).toEqual(["always"]);
  });

  it("keys pull request runs by app, check, repository, pull request, head and event", () => {
    const pull = { number: 7, headSha: "c".repeat(40), baseSha: "d".repeat(40), draft: false };
    const scope = { appId: 12, checkName: "MX Guard" };
    const job = { owner: "Acme", repo: "Config", eventKey: "pull_request.synchronize" };
    const key = pullDedupeKey(job, pull, scope);
    expect(key).toBe(`12/mx guard:acme/config#7@${"c".repeat(40)}:pull_request.synchronize`);
    expect(pullDedupeKey(job, { ...pull, headSha: "e".repeat(40) }, scope)).not.toBe(key);
    expect(pullDedupeKey({ ...job, eventKey: "pull_request.opened" }, pull, scope)).not.toBe(key);
    expect(pullDedupeKey(job, { ...pull, number: 8 }, scope)).not.toBe(key);
    expect(pullDedupeKey(job, pull, { ...scope, appId: 13 })).not.toBe(key);
  });
});
