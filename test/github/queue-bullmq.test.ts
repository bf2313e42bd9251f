/**
 * BullMqQueue against a real redis-server (started here, killed in afterAll). Two queues with their
 * own connections play two replicas: shared jobs, collapsing, a replica that dies holding a job
 * (another takes it over once its lock runs out), fairness between installations, Redis unreachable.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BullMqQueue, bullJobId } from "../../src/github/queue/bullmq.js";
import type { QueuedJob } from "../../src/github/queue/index.js";
import { freePort, waitFor } from "../e2e/harness.js";
import { startRedis, type RedisServer } from "../replicas/redis-server.js";
import { recordingLogger, type LogRecord } from "./helpers/probot.js";

let server: RedisServer;
const queues: BullMqQueue[] = [];
let counter = 0;

function replica(options: { url?: string; perInstallation?: number; concurrency?: number } = {}) {
  const logs: LogRecord[] = [];
  const queue = new BullMqQueue({
    url: options.url ?? server.url,
    log: recordingLogger(logs),
    lockMs: 1_000,
    stalledMs: 500,
    pushBackMs: 50,
    backoffMs: 50,
    ...(options.perInstallation ? { perInstallation: options.perInstallation } : {}),
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
  });
  queues.push(queue);
  return { queue, logs };
}

function job(installationId: number, extra: Partial<QueuedJob> = {}): QueuedJob {
  counter += 1;
  const id = `delivery-${process.pid}-${counter}`;
  return {
    id,
    installationId,
    owner: "acme",
    repo: "config",
    eventKey: "pull_request.opened",
    deliveryId: id,
    task: { type: "pull", pull: { number: counter, headSha: "a".repeat(40), baseSha: "b".repeat(40), draft: false }, rerequest: false },
    lane: "quick",
    ...extra,
  };
}

async function ready(queue: BullMqQueue): Promise<void> {
  // The producer connects in the background; until then jobs would go to the memory fallback.
  await waitFor("the queue's Redis connection", () => queue.connected, { timeoutMs: 5_000 });
}

beforeAll(async () => {
  server = await startRedis();
});

// Every test's replicas stop before the next one: they all share one Redis queue.
afterEach(async () => {
  for (const queue of queues.splice(0)) await queue.close();
});

afterAll(async () => {
  await server?.stop();
});

describe("BullMqQueue", { timeout: 30_000 }, () => {
  it("shares jobs between replicas, runs each once, and collapses a job already waiting", async () => {
    const a = replica();
    const b = replica();
    await ready(a.queue);
    const ran: { by: string; id: string }[] = [];
    a.queue.start(async (j) => void ran.push({ by: "a", id: j.id }));
    b.queue.start(async (j) => void ran.push({ by: "b", id: j.id }));
    const jobs = Array.from({ length: 6 }, () => job(1));
    for (const j of jobs) expect(await a.queue.add(j)).toBe("queued");
    await waitFor("six jobs run", () => jobs.every((j) => ran.some((r) => r.id === j.id)), { timeoutMs: 10_000 });
    expect(ran.filter((r) => jobs.some((j) => j.id === r.id))).toHaveLength(6);
    // A job with the same dedupe key as one still waiting collapses into it.
    const blocker = job(5, { dedupeKey: "same-head" });
    await a.queue.close();
    await b.queue.close();
    const c = replica();
    await ready(c.queue);
    expect(await c.queue.add(blocker)).toBe("queued");
    expect(await c.queue.add(job(5, { dedupeKey: "same-head" }))).toBe("duplicate");
    expect(await c.queue.add({ ...blocker })).toBe("duplicate");
    c.queue.start(async () => {});
    await waitFor("the blocker run", async () => (await c.queue.add(job(5, { dedupeKey: "same-head" }))) === "queued", {
      timeoutMs: 10_000,
    });
  });

  it("hands a job whose replica died to another replica once its lock runs out", async () => {
    const victim = replica();
    const survivor = replica();
    await ready(victim.queue);
    const j = job(2);
    let victimStarted = false;
    victim.queue.start(() => {
      victimStarted = true;
      return new Promise<void>(() => {}); // never finishes: the process "dies" below
    });
    await victim.queue.add(j);
    await waitFor("the victim to take the job", () => victimStarted, { timeoutMs: 10_000 });
    // Dies: stops renewing the job's lock (force-closed, the job left active).
    await victim.queue.close();
    const taken: string[] = [];
    const started = Date.now();
    survivor.queue.start(async (x) => void taken.push(x.id));
    await waitFor("the survivor to run the job", () => taken.includes(j.id), { timeoutMs: 15_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("pushes back a busy installation's jobs so another installation's job starts at once", async () => {
    const { queue } = replica({ perInstallation: 1, concurrency: 4 });
    await ready(queue);
    const running: string[] = [];
    const gates = new Map<string, () => void>();
    queue.start(
      (j) =>
        new Promise<void>((resolve) => {
          running.push(j.id);
          gates.set(j.id, resolve);
        }),
    );
    const busy = [job(3), job(3), job(3)];
    for (const j of busy) await queue.add(j);
    await waitFor("one busy job running", () => running.length === 1, { timeoutMs: 5_000 });
    const other = job(4);
    await queue.add(other);
    await waitFor("the other installation's job", () => running.includes(other.id), { timeoutMs: 5_000 });
    // The busy installation still has one job running, not several.
    expect(running.filter((id) => busy.some((j) => j.id === id))).toHaveLength(1);
    for (let i = 0; i < busy.length; i++) {
      const current = running.filter((id) => busy.some((j) => j.id === id)).at(-1) as string;
      gates.get(current)?.();
      if (i < busy.length - 1)
        await waitFor(`busy job ${i + 2}`, () => running.filter((id) => busy.some((j) => j.id === id)).length === i + 2, {
          timeoutMs: 5_000,
        });
    }
    gates.get(other.id)?.();
  });

  it("runs jobs in this process when Redis cannot be reached, with one warning", async () => {
    const { queue, logs } = replica({ url: `redis://127.0.0.1:${await freePort()}` });
    const ran: string[] = [];
    queue.start(async (j) => void ran.push(j.id));
    const started = Date.now();
    const first = job(6);
    const second = job(6);
    expect(await queue.add(first)).toBe("queued");
    expect(await queue.add(second)).toBe("queued");
    expect(Date.now() - started).toBeLessThan(3_000);
    await queue.idle();
    expect(ran).toEqual([first.id, second.id]);
    await waitFor("the warning", () => logs.some((l) => l.text.includes("cannot reach Redis")), { timeoutMs: 5_000 });
    expect(logs.filter((l) => l.text.includes("cannot reach Redis"))).toHaveLength(1);
  });

  it("makes delivery ids valid BullMQ job ids", () => {
    expect(bullJobId("a:b:c")).toBe("a_b_c");
    expect(bullJobId("12345")).toBe("d12345");
    expect(bullJobId("72d3162e-cc78.acme/config.1")).toBe("72d3162e-cc78.acme/config.1");
  });
});
