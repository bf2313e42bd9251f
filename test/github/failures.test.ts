import { describe, expect, it } from "vitest";
import { UNCHANGED_REPO } from "./helpers/github.js";
import { createFakeEngine } from "./helpers/fake-engine.js";
import { REPO_PATH, deliver, pullRequestEvent } from "./helpers/payloads.js";
import { privateKey } from "./helpers/probot.js";
import { LOOKUP_ONLY, RULES_CHANGED, RULES_REPO, scenario } from "./helpers/scenario.js";

const TOKEN = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";

describe("the check run is always completed", () => {
  it("completes as a failure with the cause, without stack trace or secrets, when the engine throws", async () => {
    const engine = createFakeEngine();
    engine.throwIn = "review";
    engine.error = new Error(`simulation blew up near token ${TOKEN}`);
    const { probot, logs, updates } = await scenario({ engine, files: RULES_CHANGED, repo: RULES_REPO });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(updates[0]).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "MX Guard could not finish" } });
    const summary: string = updates[0]!.output.summary;
    expect(summary).toContain("simulation blew up near token");
    expect(summary).not.toContain(TOKEN);
    expect(summary).not.toMatch(/\n\s+at /);
    const logged = logs.map((l) => l.text).join("\n");
    expect(logged).toContain("MX Guard run failed");
    expect(logged).not.toContain(TOKEN);
    expect(logged).not.toContain(privateKey.split("\n")[1]!);
  });

  it("completes as a failure naming the GitHub request when GitHub fails after the check was created", async () => {
    const { probot, updates } = await scenario({
      files: RULES_CHANGED,
      // A query is safe to repeat: retry.ts sends it 4 times (1, 2, 4 s apart) before giving up.
      first: (scope) => scope.post("/graphql").times(4).reply(502, { message: "Server Error" }),
    });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(updates[0]).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(updates[0]!.output.summary).toContain("GitHub answered 502 to POST /graphql");
  });

  it("sends the completing request again when it fails once: the run gets its real verdict", async () => {
    const { probot, updates } = await scenario({
      files: [{ filename: "README.md", patch: "@@ -1 +1 @@\n-a\n+b" }],
      repo: UNCHANGED_REPO,
      first: (scope) => scope.patch(`${REPO_PATH}/check-runs/4242`).reply(500, { message: "boom" }),
    });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(updates[0]).toMatchObject({
      status: "completed",
      conclusion: "success",
      output: { title: "No Campaign configuration changed" },
    });
  });

  it("fails the check with the policy error, without reading any file, when the policy is invalid", async () => {
    const { probot, engine, updates } = await scenario({ policy: "comment: sometimes\nreview: true\n" });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(updates[0]).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "MX Guard: the policy is invalid" } });
    expect(updates[0]!.output.summary).toContain(".github/mx-guard.yml");
    expect(updates[0]!.output.summary).toContain("sometimes");
    expect(engine.sides).toHaveLength(0);
  });

  it("fails the check when the policy file is not even YAML", async () => {
    const { probot, updates } = await scenario({ policy: "instances: [unclosed\n  - {\n" });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(updates[0]).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(updates[0]!.output.summary).toContain("invalid YAML");
  });
});

describe("a review GitHub refuses (422)", () => {
  it("is logged and not retried; the check is completed and the sticky comment still posted", async () => {
    const { probot, logs, scope, updates, comments } = await scenario({
      retry: true,
      files: RULES_CHANGED,
      repo: RULES_REPO,
      comment: true,
    });
    scope
      .post(`${REPO_PATH}/pulls/2/reviews`)
      .once()
      .reply(422, { message: "Unprocessable Entity", errors: ["Pull request review thread line must be part of the diff"] });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(updates[0]).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(updates[0]!.output.annotations).toHaveLength(1);
    expect(comments).toHaveLength(1);
    expect(logs.some((l) => l.level === "warn" && l.text.includes("GitHub rejected the review (422)"))).toBe(true);
  });
});

describe("retries", () => {
  it("lets Probot retry a 5xx (plugin-retry enabled)", async () => {
    const { probot, updates } = await scenario({
      retry: true,
      files: [{ filename: "README.md" }],
      repo: UNCHANGED_REPO,
      first: (scope) => scope.get(`${REPO_PATH}/pulls/2/files`).query({ per_page: "100" }).reply(502, { message: "Bad Gateway" }),
    });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(updates[0]).toMatchObject({
      status: "completed",
      conclusion: "success",
      output: { title: "No Campaign configuration changed" },
    });
  });

  it("waits Retry-After on a secondary rate limit (403) and retries, without really sleeping", async () => {
    const { probot, sleeps, updates } = await scenario({
      files: [{ filename: "README.md" }],
      repo: UNCHANGED_REPO,
      first: (scope) => {
        scope
          .post(`${REPO_PATH}/check-runs`)
          .reply(
            403,
            { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." },
            { "retry-after": "7" },
          );
        scope.get(`${REPO_PATH}/pulls/2/files`).query({ per_page: "100" }).reply(429, { message: "Too many requests" });
      },
    });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(sleeps).toEqual([7000, 60000]);
    expect(updates[0]).toMatchObject({ conclusion: "success" });
  });

  it("gives up when GitHub asks for a longer wait than the bound, and lets a redelivery try again", async () => {
    const refused = await scenario({
      ...LOOKUP_ONLY,
      first: (scope) => scope.post(`${REPO_PATH}/check-runs`).reply(403, { message: "secondary rate limit" }, { "retry-after": "600" }),
    });
    const { probot, sleeps } = refused;
    const id = "d5a0c1e2-0000-4000-8000-000000000001";
    await expect(deliver(probot, "pull_request", pullRequestEvent("opened"), id)).rejects.toThrow(/secondary rate limit/);
    expect(sleeps).toEqual([]);

    // Nothing was created: the same delivery, redelivered, is handled.
    refused.next({ files: [{ filename: "README.md" }], repo: UNCHANGED_REPO });
    await deliver(probot, "pull_request", pullRequestEvent("opened"), id);
  });

  it("does not retry a plain 403 (missing permission)", async () => {
    const { probot, sleeps } = await scenario({
      ...LOOKUP_ONLY,
      first: (scope) => scope.post(`${REPO_PATH}/check-runs`).reply(403, { message: "Resource not accessible by integration" }),
    });
    await expect(deliver(probot, "pull_request", pullRequestEvent("opened"))).rejects.toThrow(/Resource not accessible/);
    expect(sleeps).toEqual([]);
  });
});
