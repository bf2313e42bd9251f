/**
 * The one retry policy (src/github/retry.ts) with Probot's own Octokit as production builds it:
 * plugin-retry and plugin-throttling enabled. A 429 is sent again once after its Retry-After (not 16
 * times), a 502 on the review POST is not re-sent blindly, and a GraphQL rate limit answered with
 * HTTP 200 is waited out.
 */
import { Probot, ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/github/app.js";
import { secondaryRateLimitWait } from "../../src/github/retry.js";
import { createFakeEngine } from "./helpers/fake-engine.js";
import { unchangedCampaign } from "./helpers/github.js";
import { REPO_PATH, deliver, pullRequestEvent } from "./helpers/payloads.js";
import { privateKey, recordingLogger, type LogRecord } from "./helpers/probot.js";
import { githubEvent, RULES_CHANGED, RULES_REPO } from "./helpers/scenario.js";

/** Probot's ProbotOctokit unchanged: its retry and throttling plugins on, as in production. */
async function productionApp() {
  const logs: LogRecord[] = [];
  const sleeps: number[] = [];
  const probot = new Probot({ appId: 123, privateKey, log: recordingLogger(logs), Octokit: ProbotOctokit });
  await probot.load(createApp(createFakeEngine(), { retry: { sleep: async (ms) => void sleeps.push(ms) } }));
  return { probot, logs, sleeps };
}

describe("the retry policy with Probot's retry and throttling plugins enabled", () => {
  it("sends a GET answered 429 with Retry-After again once, after that wait", async () => {
    const { probot, sleeps } = await productionApp();
    const { scope, calls, updates } = githubEvent({
      first: (s) => s.get(`${REPO_PATH}/pulls/2/files`).query(true).reply(429, { message: "Too many requests" }, { "retry-after": "2" }),
      files: [{ filename: "README.md" }],
    });
    unchangedCampaign(scope);

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(calls.filter((c) => c === `GET ${REPO_PATH}/pulls/2/files`)).toHaveLength(2);
    expect(sleeps).toEqual([2_000]);
    expect(updates[0]).toMatchObject({ status: "completed", conclusion: "success" });
  }, 30_000);

  it("after a 502 on the review POST, looks whether it landed and does not send it again when it did", async () => {
    const { probot } = await productionApp();
    const { scope, calls, updates } = githubEvent({ files: RULES_CHANGED, repo: RULES_REPO });
    let sent = "";
    scope
      .post(`${REPO_PATH}/pulls/2/reviews`, (body: { body: string }) => {
        sent = body.body;
        return true;
      })
      .reply(502, { message: "Bad Gateway" });
    scope
      .get(`${REPO_PATH}/pulls/2/reviews`)
      .query(true)
      .reply(200, () => [{ id: 5, body: sent }]);
    scope.post(`${REPO_PATH}/issues/2/comments`).reply(201, { id: 6 });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(updates[0]).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(calls.filter((c) => c === `POST ${REPO_PATH}/pulls/2/reviews`)).toHaveLength(1);
    expect(calls.filter((c) => c === `POST ${REPO_PATH}/issues/2/comments`)).toHaveLength(1);
  }, 30_000);

  it("sends the review once more when GitHub shows it did not land", async () => {
    const { probot } = await productionApp();
    const { scope, calls } = githubEvent({ files: RULES_CHANGED, repo: RULES_REPO });
    scope.post(`${REPO_PATH}/pulls/2/reviews`).reply(502, { message: "Bad Gateway" });
    scope.get(`${REPO_PATH}/pulls/2/reviews`).query(true).reply(200, []);
    scope.post(`${REPO_PATH}/pulls/2/reviews`).reply(200, { id: 7 });
    scope.post(`${REPO_PATH}/issues/2/comments`).reply(201, { id: 6 });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(calls.filter((c) => c === `POST ${REPO_PATH}/pulls/2/reviews`)).toHaveLength(2);
  }, 30_000);
});

describe("GraphQL rate limits", () => {
  it("waits out a RATE_LIMITED answer that came with HTTP 200 (plugin-throttling's primary limit), then reads the files", async () => {
    const { probot } = await productionApp();
    const { scope, calls, updates } = githubEvent({
      first: (s) =>
        s.post("/graphql").reply(200, { errors: [{ type: "RATE_LIMITED", message: "API rate limit exceeded for installation" }] }),
      files: RULES_CHANGED,
      repo: RULES_REPO,
    });
    scope.post(`${REPO_PATH}/pulls/2/reviews`).reply(200, { id: 7 });
    scope.post(`${REPO_PATH}/issues/2/comments`).reply(201, { id: 6 });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(calls.filter((c) => c === "POST /graphql")).toHaveLength(2);
    expect(updates[0]).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(updates[0]!.output.title).not.toBe("MX Guard could not finish");
  }, 30_000);
});

describe("rate-limit waits", () => {
  it("honours x-ratelimit-reset on a 429 without Retry-After, and a GraphQL RATE_LIMITED answer (HTTP 200)", () => {
    const now = Date.UTC(2026, 11, 1, 12, 0, 0);
    const reset = String(now / 1000 + 17);
    expect(secondaryRateLimitWait({ status: 429, response: { headers: { "x-ratelimit-reset": reset } } }, now)).toBe(17);
    expect(
      secondaryRateLimitWait({ errors: [{ type: "RATE_LIMITED", message: "API rate limit exceeded" }], response: { headers: {} } }, now),
    ).toBe(60);
    expect(secondaryRateLimitWait({ errors: [{ type: "RATE_LIMITED" }], response: { headers: { "x-ratelimit-reset": reset } } }, now)).toBe(
      17,
    );
    expect(secondaryRateLimitWait({ data: { errors: [{ type: "RATE_LIMITED" }] }, response: { headers: {} } }, now)).toBe(60);
    expect(secondaryRateLimitWait({ errors: [{ type: "NOT_FOUND", message: "Could not resolve" }] }, now)).toBeNull();
  });
});
