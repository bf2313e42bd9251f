/**
 * Coordination without Redis: the head rule (pure), the in-memory coordinator, and how the handlers
 * use a coordinator (newest head wins, a delivery another replica handles, an unfinished run resumed),
 * with nock standing in for GitHub.
 */
import { describe, expect, it } from "vitest";
import { nextHead, superseded, type Coordinator, type DeliveryClaim, type HeadState } from "../../src/github/coordination/coordinator.js";
import { healthHandler, MemoryCoordinator } from "../../src/github/coordination/index.js";
import { LocalPacer } from "../../src/github/probot-patches/throttle-fallback.js";
import { RULES_BAD, RULES_OK } from "./helpers/campaign.js";
import { createFakeEngine } from "./helpers/fake-engine.js";
import { capture, checkUpdates, github, graphql, noPreviousRun, policy, pullFiles } from "./helpers/github.js";
import { BASE_SHA, HEAD_SHA, REPO_PATH, deliver, pullRequestEvent } from "./helpers/payloads.js";
import { loadApp } from "./helpers/probot.js";
import { RULES_CHANGED, scenario } from "./helpers/scenario.js";

const A = "a".repeat(40);
const B = "b".repeat(40);
const C = "c".repeat(40);
const X = "9".repeat(40);
const PR = { owner: "acme", repo: "config", number: 7 };

function apply(events: [string, string?][]): HeadState {
  return events.reduce<HeadState>((state, [sha, before]) => nextHead(state, sha, before), { head: null, older: new Set() });
}

describe("the head rule", () => {
  it("takes pushes in order", () => {
    const state = apply([[A], [B, A], [C, B]]);
    expect(state.head).toBe(C);
    expect(superseded(state, A)).toBe(true);
    expect(superseded(state, B)).toBe(true);
    expect(superseded(state, C)).toBe(false);
  });

  it("keeps the newer head when the older push's event arrives last", () => {
    // synchronize X→A and A→B, delivered B first.
    const state = apply([[X], [B, A], [A, X]]);
    expect(state.head).toBe(B);
    expect(superseded(state, A)).toBe(true);
    expect(superseded(state, B)).toBe(false);
  });

  it("follows a force-push back to an earlier commit", () => {
    const state = apply([
      [A, X],
      [B, A],
      [A, B],
    ]);
    expect(state.head).toBe(A);
    expect(superseded(state, B)).toBe(true);
    expect(superseded(state, A)).toBe(false);
  });

  it("lets the last event win when nothing orders them (opened, reopened)", () => {
    expect(apply([[A], [B]]).head).toBe(B);
    expect(superseded(undefined, A)).toBe(false);
    expect(apply([[A], [A]]).head).toBe(A);
  });
});

describe("MemoryCoordinator", () => {
  it("claims a delivery once, and again after a release", async () => {
    const c = new MemoryCoordinator();
    const first = await c.claimDelivery("d1");
    expect(first.kind).toBe("claimed");
    expect((await c.claimDelivery("d1")).kind).toBe("duplicate");
    if (first.kind === "claimed") await first.lease.release();
    const again = await c.claimDelivery("d1");
    expect(again.kind).toBe("claimed");
    if (again.kind === "claimed") await again.lease.complete();
    expect((await c.claimDelivery("d1")).kind).toBe("duplicate");
    expect(c.status()).toEqual({ backend: "memory", redis: "off" });
  });

  it("runs one task at a time per pull request, in arrival order, and others in parallel", async () => {
    const c = new MemoryCoordinator();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`${name}:start`);
      await new Promise((r) => setTimeout(r, ms));
      log.push(`${name}:end`);
      return name;
    };
    const results = await Promise.all([
      c.withPullRequestLock(PR, task("one", 40)),
      c.withPullRequestLock(PR, task("two", 1)),
      c.withPullRequestLock({ ...PR, number: 8 }, task("other", 1)),
    ]);
    expect(results).toEqual(["one", "two", "other"]);
    expect(log.indexOf("two:start")).toBeGreaterThan(log.indexOf("one:end"));
    expect(log.indexOf("other:end")).toBeLessThan(log.indexOf("one:end"));
    expect(c.activePulls).toBe(0);
  });

  it("still runs the next task when one fails", async () => {
    const c = new MemoryCoordinator();
    await expect(c.withPullRequestLock(PR, async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(c.withPullRequestLock(PR, async (lock) => lock.stillHeld())).resolves.toBe(true);
  });

  it("records heads per pull request, case-insensitively on owner and repository", async () => {
    const c = new MemoryCoordinator();
    await c.recordHead(PR, A);
    await c.recordHead({ ...PR, owner: "ACME" }, B, A);
    expect(await c.isSuperseded(PR, A)).toBe(true);
    expect(await c.isSuperseded(PR, B)).toBe(false);
    expect(await c.isSuperseded({ ...PR, number: 8 }, A)).toBe(false);
  });

  it("forgets the oldest pull requests beyond its capacity", async () => {
    const c = new MemoryCoordinator({ headCapacity: 2 });
    for (const number of [1, 2, 3]) await c.recordHead({ ...PR, number }, A);
    await c.recordHead({ ...PR, number: 1 }, B); // #1 was forgotten: B is simply its head now
    expect(await c.isSuperseded({ ...PR, number: 1 }, A)).toBe(true);
    expect(await c.isSuperseded({ ...PR, number: 2 }, B)).toBe(false); // forgotten: nothing supersedes
    expect(await c.isSuperseded({ ...PR, number: 3 }, B)).toBe(true);
  });
});

describe("LocalPacer (requests while Redis is down)", () => {
  it("spaces writes and review/comment POSTs, and lets reads through at once", async () => {
    const pacer = new LocalPacer(60, 150);
    const started = Date.now();
    const at: Record<string, number> = {};
    await Promise.all([
      pacer.pace("GET", "/repos/o/r/pulls/1/files").then(() => (at.read = Date.now() - started)),
      pacer.pace("POST", "/repos/o/r/check-runs").then(() => (at.w1 = Date.now() - started)),
      pacer.pace("POST", "/graphql").then(() => (at.w2 = Date.now() - started)),
      pacer.pace("POST", "/repos/o/r/pulls/1/reviews").then(() => (at.n1 = Date.now() - started)),
      pacer.pace("POST", "https://ghe.example/api/v3/repos/o/r/issues/1/comments?x=1").then(() => (at.n2 = Date.now() - started)),
    ]);
    expect(at.read).toBeLessThan(30);
    expect(at.w1).toBeLessThan(30);
    expect(at.w2).toBeGreaterThanOrEqual(55);
    expect(at.n1).toBeGreaterThanOrEqual(115);
    expect(at.n2! - at.n1!).toBeGreaterThanOrEqual(145);
  });
});

describe("health endpoint", () => {
  it("answers GET /mx-guard/health with the coordination status and leaves other paths alone", () => {
    const handler = healthHandler(new MemoryCoordinator());
    let status = 0;
    let body = "";
    const response = {
      writeHead: (s: number) => {
        status = s;
        return response;
      },
      end: (b?: string) => (body = b ?? ""),
    } as never;
    expect(handler({ method: "GET", url: "/ping" } as never, response)).toBe(false);
    expect(handler({ method: "POST", url: "/mx-guard/health" } as never, response)).toBe(false);
    expect(handler({ method: "GET", url: "/mx-guard/health?x" } as never, response)).toBe(true);
    expect(status).toBe(200);
    expect(JSON.parse(body)).toEqual({ status: "ok", coordination: { backend: "memory", redis: "off" } });
  });
});

// ---- the handlers with a coordinator -------------------------------------------------------------

const SECOND = "6666666666666666666666666666666666666666";
const TREES = {
  [BASE_SHA]: { "campaign/mx-rules.yaml": RULES_OK },
  [HEAD_SHA]: { "campaign/mx-rules.yaml": RULES_BAD },
  [SECOND]: { "campaign/mx-rules.yaml": RULES_BAD },
};

/** `base`, with some of its methods replaced. */
function delegate(base: Coordinator, overrides: Partial<Coordinator>): Coordinator {
  return {
    claimDelivery: (id) => base.claimDelivery(id),
    withPullRequestLock: (pull, fn) => base.withPullRequestLock(pull, fn),
    recordHead: (pull, sha, before) => base.recordHead(pull, sha, before),
    isSuperseded: (pull, sha) => base.isSuperseded(pull, sha),
    lead: (role, ttlMs) => base.lead(role, ttlMs),
    status: () => base.status(),
    close: () => base.close(),
    ...overrides,
  };
}

describe("the handlers with a coordinator", () => {
  it("newest head wins: a run for an older head completes its check but leaves the review and comment to the newer head", async () => {
    const engine = createFakeEngine();
    const { probot, logs } = await loadApp(engine);
    const scope = github();
    scope.post("/app/installations/2/access_tokens").optionally().reply(200, { token: "ghs_second", permissions: {} });
    for (const sha of [HEAD_SHA, SECOND]) {
      noPreviousRun(scope, sha);
      policy(scope);
      pullFiles(scope, RULES_CHANGED);
      graphql(scope, { trees: TREES });
    }
    const created = capture(scope, "post", `${REPO_PATH}/check-runs`, 201, { id: 4242 }, 2);
    // The first run's completion is slow: the push of SECOND arrives meanwhile.
    const completions: Record<string, any>[] = [];
    scope
      .patch(`${REPO_PATH}/check-runs/4242`, (b) => {
        completions.push(b);
        return true;
      })
      .delay(150)
      .reply(200, {});
    scope
      .patch(`${REPO_PATH}/check-runs/4242`, (b) => {
        completions.push(b);
        return true;
      })
      .reply(200, {});
    const reviews = capture(scope, "post", `${REPO_PATH}/pulls/2/reviews`, 200, { id: 1 });
    const comments = capture(scope, "post", `${REPO_PATH}/issues/2/comments`, 201, { id: 77 });
    const sync = pullRequestEvent("synchronize", { head: SECOND });
    sync.before = HEAD_SHA;

    await Promise.all([deliver(probot, "pull_request", pullRequestEvent("opened")), deliver(probot, "pull_request", sync)]);

    expect(created.map((b) => b.head_sha)).toEqual([HEAD_SHA, SECOND]);
    expect(completions.map((b) => b.status)).toEqual(["completed", "completed"]);
    expect(completions.map((b) => b.conclusion)).toEqual(["failure", "failure"]);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({ commit_id: SECOND });
    expect(comments).toHaveLength(1);
    expect(logs.some((l) => l.level === "info" && l.text.includes("a newer head of this pull request has arrived"))).toBe(true);
  });

  it("does nothing for a delivery another replica is handling", async () => {
    const coordinator = delegate(new MemoryCoordinator(), { claimDelivery: async (): Promise<DeliveryClaim> => ({ kind: "busy" }) });
    const engine = createFakeEngine();
    const { probot, logs } = await loadApp(engine, { app: { coordinator } });
    await deliver(probot, "pull_request", pullRequestEvent("opened"));
    expect(engine.sides).toHaveLength(0);
    expect(logs.some((l) => l.text.includes("another replica is handling this delivery"))).toBe(true);
  });

  it("skips the review and the comment when another run took the pull request's lock, but completes the check", async () => {
    const lostLock = delegate(new MemoryCoordinator(), { withPullRequestLock: (_pull, fn) => fn({ stillHeld: async () => false }) });
    const { probot, calls, updates } = await scenario({ app: { coordinator: lostLock }, files: RULES_CHANGED, repo: { trees: TREES } });
    await deliver(probot, "pull_request", pullRequestEvent("opened"));
    expect(updates[0]).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(calls.filter((c) => c.includes("/reviews") || c.includes("/issues/"))).toEqual([]);
  });

  it("finishes the run this delivery left in progress instead of starting a second one", async () => {
    const id = "0b9a47d2-2222-4000-8000-00000000cafe";
    const { probot, scope, calls } = await scenario({
      previousRuns: [
        { id: 99, name: "MX Guard", status: "in_progress", conclusion: null, external_id: `mx-guard:pull_request.opened:${id}` },
        // Another delivery's unfinished run is not this one's to finish.
        { id: 98, name: "MX Guard", status: "in_progress", conclusion: null, external_id: "mx-guard:pull_request.opened:other" },
      ],
      checkRun: false,
      files: RULES_CHANGED,
      repo: { trees: TREES },
      updates: 0, // they go to run 99, below
      review: true,
      comment: true,
    });
    const updates = checkUpdates(scope, 1, 99);
    await deliver(probot, "pull_request", pullRequestEvent("opened"), id);
    expect(updates[0]).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(calls.filter((c) => c === `POST ${REPO_PATH}/check-runs`)).toEqual([]);
  });
});
