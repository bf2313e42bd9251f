import { describe, expect, it } from "vitest";
import { DeliveryLog } from "../../src/github/idempotency.js";
import { KeyedQueue } from "../../src/github/serialize.js";
import { RULES_BAD, RULES_OK } from "./helpers/campaign.js";
import { createFakeEngine } from "./helpers/fake-engine.js";
import { github, noPreviousRun, policy, pullFiles, recordCalls, unchangedCampaign } from "./helpers/github.js";
import { BASE_SHA, HEAD_SHA, REPO_PATH, deliver, pullRequestEvent } from "./helpers/payloads.js";
import { loadApp } from "./helpers/probot.js";
import { LOOKUP_ONLY, RULES_CHANGED, scenario } from "./helpers/scenario.js";

const TREES = { [BASE_SHA]: { "campaign/mx-rules.yaml": RULES_OK }, [HEAD_SHA]: { "campaign/mx-rules.yaml": RULES_BAD } };

describe("redelivery", () => {
  it("handles a delivery id once per process: the redelivery makes no API call", async () => {
    const { probot, engine, reviews, comments } = await scenario({
      files: RULES_CHANGED,
      repo: { trees: TREES },
      review: true,
      comment: true,
    });
    const id = "0b9a47d2-1111-4000-8000-00000000beef";

    await deliver(probot, "pull_request", pullRequestEvent("opened"), id);
    await deliver(probot, "pull_request", pullRequestEvent("opened"), id);

    expect(reviews).toHaveLength(1);
    expect(comments).toHaveLength(1);
    expect(engine.sides).toHaveLength(2); // base + head, once
  });

  it("skips an event whose commit already has a completed run for the same event (restart, second process)", async () => {
    const { probot, engine, calls } = await scenario({
      ...LOOKUP_ONLY,
      previousRuns: [
        { id: 1, name: "MX Guard", status: "completed", conclusion: "failure", external_id: "mx-guard:pull_request.reopened:abc" },
        { id: 2, name: "MX Guard", status: "completed", conclusion: "failure", external_id: "mx-guard:pull_request.opened:abc" },
      ],
    });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(calls).toEqual([`GET ${REPO_PATH}/commits/${HEAD_SHA}/check-runs`]);
    expect(engine.sides).toHaveLength(0);
  });

  it("runs again for a different event on the same commit, without posting a finding twice", async () => {
    const { probot, engine, updates } = await scenario({
      previousRuns: [
        { id: 1, name: "MX Guard", status: "completed", conclusion: "failure", external_id: "mx-guard:pull_request.opened:abc" },
      ],
      files: RULES_CHANGED,
      repo: {
        trees: TREES,
        // Posted on an earlier commit of this pull request.
        reviews: [{ body: "x\n<!-- mx-guard:review fingerprints=google-quota -->", mine: true, commit: "1".repeat(40) }],
        comments: [{ id: 50, body: "<!-- mx-guard:sticky -->\n## MX Guard: failure\n- google-quota: new", mine: true }],
      },
    });

    await deliver(probot, "pull_request", pullRequestEvent("reopened"));

    expect(updates[0]).toMatchObject({ conclusion: "failure" });
    expect(engine.sides).toHaveLength(2);
  });
});

describe("concurrent events for one pull request", () => {
  it("are handled one after the other", async () => {
    const { probot } = await loadApp(createFakeEngine());
    const second = "6666666666666666666666666666666666666666";
    const scope = github();
    // Both events may ask for the installation token before the first answer is cached.
    scope.post("/app/installations/2/access_tokens").optionally().reply(200, { token: "ghs_second", permissions: {} });
    const calls = recordCalls(scope);
    for (const sha of [HEAD_SHA, second]) {
      noPreviousRun(scope, sha);
      policy(scope);
      pullFiles(scope, [{ filename: "README.md" }]);
      unchangedCampaign(scope, sha);
    }
    scope.post(`${REPO_PATH}/check-runs`).times(2).reply(201, { id: 4242 });
    // The first run's completion is slow; the second run must wait for it.
    scope.patch(`${REPO_PATH}/check-runs/4242`).delay(100).reply(200, {});
    scope.patch(`${REPO_PATH}/check-runs/4242`).reply(200, {});

    await Promise.all([
      deliver(probot, "pull_request", pullRequestEvent("opened")),
      deliver(probot, "pull_request", pullRequestEvent("synchronize", { head: second })),
    ]);

    const firstDone = calls.indexOf(`PATCH ${REPO_PATH}/check-runs/4242`);
    const secondStart = calls.indexOf(`GET ${REPO_PATH}/commits/${second}/check-runs`);
    expect(calls).toHaveLength(12);
    expect(calls[0]).toBe(`GET ${REPO_PATH}/commits/${HEAD_SHA}/check-runs`);
    expect(firstDone).toBeGreaterThan(0);
    expect(secondStart).toBeGreaterThan(firstDone);
  });
});

describe("DeliveryLog", () => {
  it("forgets the oldest ids beyond its capacity", () => {
    const log = new DeliveryLog(2);
    expect(log.claim("a")).toBe(true);
    expect(log.claim("b")).toBe(true);
    expect(log.claim("a")).toBe(false); // refreshes "a"
    expect(log.claim("c")).toBe(true); // evicts "b"
    expect(log.size).toBe(2);
    expect(log.claim("b")).toBe(true); // "b" was forgotten; now evicts "a"
    expect(log.claim("c")).toBe(false);
    log.release("c");
    expect(log.claim("c")).toBe(true);
    expect(() => new DeliveryLog(0)).toThrow(RangeError);
  });
});

describe("KeyedQueue", () => {
  it("runs tasks of one key one after another, in order, and other keys alongside", async () => {
    const queue = new KeyedQueue();
    const events: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = queue.run("pr#1", async () => {
      events.push("1:start");
      await gate;
      events.push("1:end");
      throw new Error("first fails");
    });
    const second = queue.run("pr#1", async () => {
      events.push("2:start");
      return 2;
    });
    const other = queue.run("pr#9", async () => {
      events.push("9:start");
      return 9;
    });
    await other;
    expect(events).toEqual(["1:start", "9:start"]);
    release();
    await expect(first).rejects.toThrow("first fails");
    await expect(second).resolves.toBe(2);
    expect(events).toEqual(["1:start", "9:start", "1:end", "2:start"]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(queue.activeKeys).toBe(0);
  });
});
