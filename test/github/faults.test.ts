/**
 * GitHub faults: timeouts, rate limits, 404/409/422 answers, and a crash at every stage of a run.
 * Whatever happens after the check run was created, it ends completed (with the cause when MX
 * Guard could not finish), never left in progress, and nothing is posted twice.
 */
import nock from "nock";
import { describe, expect, it } from "vitest";
import { createFakeEngine, type FakeEngine } from "./helpers/fake-engine.js";
import { API, CHECK_RUN_ID, capture, github, UNCHANGED_REPO } from "./helpers/github.js";
import { BASE_SHA, HEAD_SHA, REPO_PATH, deliver, pullRequestEvent } from "./helpers/payloads.js";
import { loadApp } from "./helpers/probot.js";
import { LOOKUP_ONLY, RULES_CHANGED, RULES_REPO, scenario, type EventSteps } from "./helpers/scenario.js";

const FILES = `${REPO_PATH}/pulls/2/files`;
const TIMEOUT_MS = 150;
/** Longer than TIMEOUT_MS: GitHub "hangs". */
const HANG_MS = 2_000;

/** The App with a short request timeout (`sleeps` records the backoffs instead of waiting). */
const TIMED = { app: { retry: { requestTimeoutMs: TIMEOUT_MS } } };
/** Every step of a run that reviews the common change. */
const FULL_FLOW: EventSteps = { files: RULES_CHANGED, repo: RULES_REPO };

/** The last PATCH completes the run: status, conclusion, and the cause when there is one. */
function expectCompleted(updates: Record<string, any>[], conclusion: "success" | "failure", cause?: string | RegExp): void {
  const last = updates.at(-1);
  expect(last, "the check run was completed").toMatchObject({ status: "completed", conclusion });
  if (cause !== undefined) expect(last!.output.summary).toMatch(cause);
}

describe("requests GitHub does not answer", () => {
  it("retries a hung read after a backoff and completes the run", async () => {
    const { probot, sleeps, logs, updates } = await scenario({
      ...TIMED,
      files: [{ filename: "README.md" }],
      repo: UNCHANGED_REPO,
      first: (scope) => scope.get(FILES).query({ per_page: "100" }).delay(HANG_MS).reply(200, []),
    });
    const started = Date.now();

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(Date.now() - started).toBeLessThan(HANG_MS);
    expect(sleeps).toEqual([1_000]);
    expectCompleted(updates, "success");
    expect(logs.some((l) => l.level === "warn" && l.text.includes("GitHub did not answer in time"))).toBe(true);
  });

  it("gives up after 3 retries (1 s, 2 s, 4 s) and completes the run as a failure naming the request", async () => {
    const { probot, sleeps, updates } = await scenario({
      ...TIMED,
      first: (scope) => scope.get(FILES).query({ per_page: "100" }).times(4).delay(HANG_MS).reply(200, []),
    });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(sleeps).toEqual([1_000, 2_000, 4_000]);
    expectCompleted(updates, "failure", /GitHub did not answer GET \/repos\/Codertocat\/Hello-World\/pulls\/2\/files within 0\.2 s/);
  });

  it("retries a hung check-run creation (GitHub shows the latest run) and a hung GraphQL query", async () => {
    const { probot, sleeps, updates } = await scenario({
      ...TIMED,
      ...FULL_FLOW,
      review: true,
      comment: true,
      first: (scope) => {
        scope.post(`${REPO_PATH}/check-runs`).delay(HANG_MS).reply(201, { id: 1 });
        scope.post("/graphql").delay(HANG_MS).reply(200, { data: {} });
      },
    });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(sleeps).toEqual([1_000, 1_000]);
    expectCompleted(updates, "failure");
    expect(updates[0]!.output.title).not.toBe("MX Guard could not finish");
  });

  it("never re-sends a review or a comment that timed out and did land: it looks first, one attempt each", async () => {
    const { probot, sleeps, scope, updates, calls } = await scenario({ ...TIMED, ...FULL_FLOW });
    const sent: { review?: string; comment?: string } = {};
    scope
      .post(`${REPO_PATH}/pulls/2/reviews`, (body: { body: string }) => {
        sent.review = body.body;
        return true;
      })
      .delay(HANG_MS)
      .reply(200, { id: 1 });
    scope
      .post(`${REPO_PATH}/issues/2/comments`, (body: { body: string }) => {
        sent.comment = body.body;
        return true;
      })
      .delay(HANG_MS)
      .reply(201, { id: 2 });
    // GitHub did create both before the answer was lost.
    scope
      .get(`${REPO_PATH}/pulls/2/reviews`)
      .query(true)
      .reply(200, () => [{ id: 1, body: sent.review }]);
    scope
      .get(`${REPO_PATH}/issues/2/comments`)
      .query(true)
      .reply(200, () => [{ id: 2, body: sent.comment }]);

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(sleeps).toEqual([]);
    expectCompleted(updates, "failure");
    expect(calls.filter((c) => c === `POST ${REPO_PATH}/pulls/2/reviews`)).toHaveLength(1);
    expect(calls.filter((c) => c === `POST ${REPO_PATH}/issues/2/comments`)).toHaveLength(1);
  });
});

describe("rate limits", () => {
  it("waits the Retry-After of a 429 (not the one-minute fallback) and retries", async () => {
    const { probot, sleeps, updates } = await scenario({
      files: [{ filename: "README.md" }],
      repo: UNCHANGED_REPO,
      first: (scope) => scope.get(FILES).query({ per_page: "100" }).reply(429, { message: "Too many requests" }, { "retry-after": "3" }),
    });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(sleeps).toEqual([3_000]);
    expectCompleted(updates, "success");
  });

  it("a 429 on the completing PATCH is waited out too: the run is completed, not replaced", async () => {
    const { probot, sleeps, updates } = await scenario({
      files: [{ filename: "README.md" }],
      repo: UNCHANGED_REPO,
      first: (scope) =>
        scope.patch(`${REPO_PATH}/check-runs/${CHECK_RUN_ID}`).reply(429, { message: "secondary rate limit" }, { "retry-after": "1" }),
    });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(sleeps).toEqual([1_000]);
    expectCompleted(updates, "success");
  });
});

describe("404: things that are gone", () => {
  it("a base commit that no longer exists fails the check with that cause instead of comparing against nothing", async () => {
    const { probot, engine, updates } = await scenario({
      files: RULES_CHANGED,
      first: (scope) => scope.post("/graphql").reply(200, { data: { repository: { baseCommit: null, headCommit: { oid: HEAD_SHA } } } }),
    });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expectCompleted(updates, "failure", /the base commit f95f852 of this pull request no longer exists/);
    expect(engine.sides).toHaveLength(0);
  });

  it("a pull request or repository GitHub no longer shows (404 on its files) fails the check naming the request", async () => {
    const { probot, updates } = await scenario({
      first: (scope) => scope.get(FILES).query({ per_page: "100" }).reply(404, { message: "Not Found" }),
    });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expectCompleted(updates, "failure", "GitHub answered 404 to GET /repos/Codertocat/Hello-World/pulls/2/files: Not Found");
  });

  it("a head commit force-pushed away before the run (422 No commit found for two minutes, then a new head) is skipped quietly: nothing to check", async () => {
    const { probot, logs } = await scenario({
      ...LOOKUP_ONLY,
      first: (scope) => {
        // Waits of 1, 2, 4 … s up to 120 s in all (commit-visibility.ts): 8 attempts.
        scope
          .post(`${REPO_PATH}/check-runs`)
          .times(8)
          .reply(422, { message: `No commit found for SHA: ${HEAD_SHA}` });
        scope.get(`${REPO_PATH}/pulls/2`).reply(200, { number: 2, state: "open", head: { sha: "f".repeat(40) }, base: { sha: BASE_SHA } });
      },
    });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(logs.filter((l) => l.level === "error")).toEqual([]);
    expect(logs.some((l) => l.text.includes("the head commit no longer exists"))).toBe(true);
  });

  it("a deleted branch's pull request on Re-run (no open pull request has the commit) re-runs nothing", async () => {
    const { probot } = await loadApp(createFakeEngine());
    const scope = github();
    scope.get(`${REPO_PATH}/pulls`).query(true).reply(200, []);
    const payload = JSON.parse(JSON.stringify(pullRequestEvent("opened")));
    const checkRun = {
      action: "rerequested",
      check_run: { id: 1, name: "MX Guard", head_sha: HEAD_SHA, pull_requests: [] },
      repository: payload.repository,
      installation: payload.installation,
      sender: payload.sender,
    };

    await deliver(probot, "check_run", checkRun);
  });
});

describe("409 Conflict on the check run", () => {
  it("is retried by Probot's retry plugin (409 is not in its do-not-retry list) on creation", async () => {
    const { probot, updates } = await scenario({
      retry: true,
      files: [{ filename: "README.md" }],
      repo: UNCHANGED_REPO,
      first: (scope) => scope.post(`${REPO_PATH}/check-runs`).reply(409, { message: "Conflict" }),
    });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expectCompleted(updates, "success");
  });

  it("when the run cannot be completed at all (409 every time), a new run is created already completed, with the cause", async () => {
    const { probot, scope, started: created } = await scenario({ files: [{ filename: "README.md" }], repo: UNCHANGED_REPO, updates: 0 });
    // Each completion attempt is sent 4 times (retry.ts) before the run is replaced.
    scope.patch(`${REPO_PATH}/check-runs/${CHECK_RUN_ID}`).times(8).reply(409, { message: "Conflict" });
    const replacement = capture(scope, "post", `${REPO_PATH}/check-runs`, 201, { id: 4343 });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(created[0]).toMatchObject({ status: "in_progress" });
    expect(replacement).toHaveLength(1);
    expect(replacement[0]).toMatchObject({
      name: "MX Guard",
      head_sha: HEAD_SHA,
      status: "completed",
      conclusion: "failure",
      external_id: created[0]!.external_id,
    });
    expect(replacement[0]!.output.summary).toContain(
      "GitHub answered 409 to PATCH /repos/Codertocat/Hello-World/check-runs/4242: Conflict",
    );
  });

  it("a persistent 409 on creation fails the delivery (nothing was created) so GitHub can redeliver it", async () => {
    const { probot } = await scenario({
      ...LOOKUP_ONLY,
      first: (scope) => scope.post(`${REPO_PATH}/check-runs`).times(4).reply(409, { message: "Conflict" }),
    });

    await expect(deliver(probot, "pull_request", pullRequestEvent("opened"))).rejects.toThrow(/Conflict/);
  });
});

interface Stage {
  name: string;
  engine?: (engine: FakeEngine) => void;
  github: EventSteps;
  conclusion: "success" | "failure";
  cause?: RegExp;
  posts?: { reviews: number; comments: number };
}

const STAGES: Stage[] = [
  {
    name: "right after the check run is created: reading the policy fails (500)",
    github: {
      policy: false,
      first: (scope) => scope.get(`${REPO_PATH}/contents/.github%2Fmx-guard.yml`).times(4).reply(500, { message: "Server Error" }),
    },
    conclusion: "failure",
    cause: /GitHub answered 500 to GET \/repos\/Codertocat\/Hello-World\/contents\/\.github%2Fmx-guard\.yml/,
  },
  {
    name: "fetching files: the file list is not a list",
    github: { first: (scope) => scope.get(FILES).query({ per_page: "100" }).reply(200, { unexpected: true }) },
    conclusion: "failure",
    cause: /\*\*Cause:\*\* \S/,
  },
  {
    name: "fetching files: GraphQL answers with errors",
    github: {
      files: RULES_CHANGED,
      first: (scope) =>
        scope
          .post("/graphql")
          .reply(200, { data: null, errors: [{ type: "RESOURCE_LIMITS_EXCEEDED", message: "Resource limits for this query exceeded." }] }),
    },
    conclusion: "failure",
    cause: /Resource limits for this query exceeded/,
  },
  {
    name: "fetching files: a truncated blob is gone when read again (404)",
    github: {
      files: RULES_CHANGED,
      repo: { ...RULES_REPO, truncated: [`${HEAD_SHA}:campaign/mx-rules.yaml`] },
      first: (scope) => scope.get((path) => path.startsWith(`${REPO_PATH}/git/blobs/`)).reply(404, { message: "Not Found" }),
    },
    conclusion: "failure",
    cause: /GitHub answered 404 to GET \/repos\/Codertocat\/Hello-World\/git\/blobs\//,
  },
  {
    name: "in the engine: simulating a side throws",
    engine: (engine) => {
      engine.throwIn = "simulate";
    },
    github: FULL_FLOW,
    conclusion: "failure",
    cause: /fake engine failure/,
  },
  {
    name: "in the engine: rendering throws something that is not an Error",
    engine: (engine) => {
      engine.throwIn = "render";
      engine.error = "a bare string" as unknown as Error;
    },
    github: FULL_FLOW,
    conclusion: "failure",
    cause: /a bare string/,
  },
  {
    name: "while posting: the review and the comment both fail (500): the verdict stands",
    github: {
      ...FULL_FLOW,
      first: (scope) => {
        // Whether they landed cannot be read either (4 attempts each): nothing is sent again blindly.
        scope.post(`${REPO_PATH}/pulls/2/reviews`).reply(500, { message: "Server Error" });
        scope.get(`${REPO_PATH}/pulls/2/reviews`).query(true).times(4).reply(500, { message: "Server Error" });
        scope.post(`${REPO_PATH}/issues/2/comments`).reply(500, { message: "Server Error" });
        scope.get(`${REPO_PATH}/issues/2/comments`).query(true).times(4).reply(500, { message: "Server Error" });
      },
    },
    conclusion: "failure",
    posts: { reviews: 0, comments: 0 },
  },
  {
    name: "while posting: only the review fails: the comment is still posted",
    github: {
      ...FULL_FLOW,
      first: (scope) => {
        scope.post(`${REPO_PATH}/pulls/2/reviews`).reply(502, { message: "Bad Gateway" });
        scope.get(`${REPO_PATH}/pulls/2/reviews`).query(true).times(4).reply(502, { message: "Bad Gateway" });
        scope.post(`${REPO_PATH}/issues/2/comments`).reply(201, { id: 9 });
      },
    },
    conclusion: "failure",
    posts: { reviews: 0, comments: 1 },
  },
];

describe("a crash at any stage leaves the check run completed, never in progress", () => {
  it.each(STAGES.map((s) => [s.name, s] as const))("%s", async (_name, stage) => {
    const engine = createFakeEngine();
    stage.engine?.(engine);
    const { probot, updates, calls } = await scenario({ engine, ...stage.github });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expectCompleted(updates, stage.conclusion, stage.cause);
    expect(updates.every((u) => u.status !== "in_progress")).toBe(true);
    if (stage.cause) expect(updates.at(-1)!.output.title).toBe("MX Guard could not finish");
    else expect(updates.at(-1)!.output.title).not.toBe("MX Guard could not finish");
    expect(updates.at(-1)!.output.summary).not.toMatch(/\n\s+at /);
    // Each write happened once: nothing is posted twice when something fails.
    const writes = calls.filter((c) => /^(POST|PATCH) /.test(c) && !c.endsWith("/graphql"));
    expect(new Set(writes).size).toBe(writes.length);
  });
});

describe("the fake interceptors themselves", () => {
  it("a hung reply really hangs longer than the timeout used above (the timeout tests are not vacuous)", async () => {
    nock(API).get("/hang").delay(HANG_MS).reply(200, "late");
    const started = Date.now();
    const result = await fetch(`${API}/hang`, { signal: AbortSignal.timeout(TIMEOUT_MS) }).then(
      () => "answered",
      (error: Error) => error.name,
    );
    expect(result).toBe("TimeoutError");
    expect(Date.now() - started).toBeLessThan(HANG_MS);
  });
});
