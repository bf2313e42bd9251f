/**
 * The client of the Action and `mx-guard review` (src/github/rest-client.ts) with its plugins as
 * they ship (throttling on), against nock: which failures it waits out, and which it never re-sends.
 */
import nock from "nock";
import { Context, ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { readPolicyFile } from "../../src/github/policy.js";
import { createRestClient } from "../../src/github/rest-client.js";
import type { Log } from "../../src/github/types.js";
import { recordingLogger } from "./helpers/probot.js";

const API = "https://api.github.com";
const TOKEN = "ghs_restClientTest0123456789";

/** `throttle: false` where pacing is beside the point: plugin-throttling spaces writes 1 s, reviews and comments 3 s. */
function client(options: { throttle?: boolean } = {}) {
  const warnings: string[] = [];
  const sleeps: number[] = [];
  const log: Log = { debug: () => {}, info: () => {}, warn: (_fields, message) => void warnings.push(message), error: () => {} };
  const octokit = createRestClient({
    token: TOKEN,
    baseUrl: API,
    log,
    waitUnitMs: 1,
    throttle: options.throttle ?? true,
    retry: {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
  });
  return { octokit, warnings, sleeps };
}

const github = () => nock(API, { reqheaders: { authorization: `token ${TOKEN}` } });
const getPull = (octokit: ReturnType<typeof client>["octokit"]) => octokit.rest.pulls.get({ owner: "o", repo: "r", pull_number: 1 });

describe("the REST client's rate-limit handling", () => {
  it("retries a GET answered 429 with Retry-After once, after the wait GitHub asked for", async () => {
    const { octokit, sleeps } = client();
    github()
      .get("/repos/o/r/pulls/1")
      .reply(429, { message: "Too Many Requests" }, { "retry-after": "7" })
      .get("/repos/o/r/pulls/1")
      .reply(200, { number: 1 });
    await expect(getPull(octokit)).resolves.toMatchObject({ status: 200, data: { number: 1 } });
    expect(sleeps).toEqual([7_000]);
  });

  it("re-sends a review POST that hit a secondary rate limit (GitHub refused it, nothing was posted)", { timeout: 15_000 }, async () => {
    const { octokit, sleeps } = client();
    github()
      .post("/repos/o/r/pulls/1/reviews")
      .reply(403, { message: "You have exceeded a secondary rate limit." }, { "retry-after": "2" })
      .post("/repos/o/r/pulls/1/reviews")
      .reply(200, { id: 5 });
    await expect(
      octokit.rest.pulls.createReview({ owner: "o", repo: "r", pull_number: 1, event: "COMMENT", body: "b" }),
    ).resolves.toMatchObject({ data: { id: 5 } });
    expect(sleeps).toEqual([2_000]);
  });

  it("waits out a primary rate limit until its reset (plugin-throttling), and gives up when the reset is too far away", async () => {
    const { octokit, warnings } = client();
    const soon = String(Math.floor(Date.now() / 1000) + 1);
    github()
      .get("/repos/o/r/pulls/1")
      .reply(403, { message: "API rate limit exceeded" }, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": soon })
      .get("/repos/o/r/pulls/1")
      .reply(200, { number: 1 });
    await expect(getPull(octokit)).resolves.toMatchObject({ status: 200 });
    expect(warnings).toEqual(["GitHub rate limit reached: waiting for the reset"]);

    const later = String(Math.floor(Date.now() / 1000) + 3_600);
    github()
      .get("/repos/o/r/pulls/1")
      .reply(403, { message: "API rate limit exceeded" }, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": later });
    await expect(getPull(octokit)).rejects.toMatchObject({ status: 403 });
    expect(warnings.at(-1)).toBe("GitHub rate limit reached: the reset is too far away to wait for");
  });
});

describe("the REST client's 5xx handling (plugin-retry)", () => {
  it("retries a GET answered 502", async () => {
    const { octokit } = client({ throttle: false });
    github().get("/repos/o/r/pulls/1").reply(502, { message: "Bad Gateway" }).get("/repos/o/r/pulls/1").reply(200, { number: 1 });
    await expect(getPull(octokit)).resolves.toMatchObject({ status: 200 });
  });

  it("does not re-send a review or comment POST answered 502: it may have been posted", async () => {
    const { octokit } = client({ throttle: false });
    // One interceptor each: a second attempt would be a request nock did not expect.
    github()
      .post("/repos/o/r/pulls/1/reviews")
      .reply(502, { message: "Bad Gateway" })
      .post("/repos/o/r/issues/1/comments")
      .reply(502, { message: "Bad Gateway" });
    await expect(
      octokit.rest.pulls.createReview({ owner: "o", repo: "r", pull_number: 1, event: "COMMENT", body: "b" }),
    ).rejects.toMatchObject({ status: 502 });
    await expect(octokit.rest.issues.createComment({ owner: "o", repo: "r", issue_number: 1, body: "b" })).rejects.toMatchObject({
      status: 502,
    });
  });

  it("re-sends a check-run POST answered 502 (GitHub shows the latest run of a name)", async () => {
    const { octokit } = client({ throttle: false });
    github().post("/repos/o/r/check-runs").reply(502, { message: "Bad Gateway" }).post("/repos/o/r/check-runs").reply(201, { id: 9 });
    await expect(octokit.rest.checks.create({ owner: "o", repo: "r", name: "MX Guard", head_sha: "a".repeat(40) })).resolves.toMatchObject({
      data: { id: 9 },
    });
  });
});

describe("reading the policy", () => {
  it("follows _extends and merges like Probot's context.config", async () => {
    const answer = (scope: nock.Scope) => {
      scope
        .get("/repos/o/r/contents/.github%2Fmx-guard.yml")
        .reply(200, "_extends: .github\nfailOn: [tls-downgrade]\nreview: false\n", {
          "content-type": "application/vnd.github.raw; charset=utf-8",
        })
        .get("/repos/o/.github/contents/.github%2Fmx-guard.yml")
        .reply(200, "failOn: [deadline-miss]\ncomment: off\n", { "content-type": "application/vnd.github.raw; charset=utf-8" });
    };
    answer(github());
    const ours = await readPolicyFile(client({ throttle: false }).octokit, { owner: "o", repo: "r" });
    // The same two files through Probot's own context.config.
    answer(nock(API));
    const context = new Context(
      { id: "1", name: "push", payload: { repository: { name: "r", owner: { login: "o" } } } } as unknown as ConstructorParameters<
        typeof Context
      >[0],
      new ProbotOctokit({ auth: TOKEN, throttle: { enabled: false }, retry: { enabled: false } }),
      recordingLogger([]),
    );
    const probots = await context.config("mx-guard.yml");
    expect(ours).toEqual(probots);
    expect(ours).toEqual({ failOn: ["deadline-miss", "tls-downgrade"], comment: "off", review: false });
  });

  it("is null when no policy file exists", async () => {
    github()
      .get("/repos/o/r/contents/ops%2Fpolicy.yml")
      .reply(404, { message: "Not Found" })
      .get("/repos/o/.github/contents/ops%2Fpolicy.yml")
      .reply(404, { message: "Not Found" });
    expect(await readPolicyFile(client({ throttle: false }).octokit, { owner: "o", repo: "r" }, "ops/policy.yml")).toBeNull();
  });
});
