/**
 * Old comments tidied: a thread mx-guard opened whose finding the head no longer has is resolved
 * (or its comment minimized as outdated when GitHub does not let the App resolve it); a person's
 * thread, an already resolved one and one whose finding is still there are left alone.
 */
import { describe, expect, it } from "vitest";
import { fingerprintMarker } from "../../src/render/review-comments.js";
import type { Engine } from "../../src/engine/index.js";
import { createFakeEngine } from "./helpers/fake-engine.js";
import { UNCHANGED_REPO, mutations } from "./helpers/github.js";
import { deliver, pullRequestEvent } from "./helpers/payloads.js";
import { RULES_CHANGED, RULES_REPO, scenario } from "./helpers/scenario.js";

const own = (id: string, fingerprint: string, extra: Record<string, unknown> = {}) => ({
  id,
  body: `**mx-guard** finding\n\n${fingerprintMarker(fingerprint)}`,
  mine: true,
  ...extra,
});

describe("review threads of fixed findings", () => {
  it("resolves mx-guard's threads whose finding is gone and minimizes the one it may not resolve, in one request each", async () => {
    const threads = [
      own("T_still", "google-quota"),
      own("T_fixed", "fixed-one"),
      own("T_done", "fixed-two", { resolved: true }),
      own("T_locked", "fixed-three", { canResolve: false }),
      { ...own("T_person", "fixed-four"), mine: false },
      { id: "T_plain", body: "mx-guard, no marker", mine: true },
    ];
    const { probot, scope, reviews } = await scenario({ files: RULES_CHANGED, repo: { ...RULES_REPO, threads }, comment: true });
    const sent = mutations(scope, 2);

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(sent).toHaveLength(2);
    expect(sent[0]!.query).toContain("m0: resolveReviewThread(input: { threadId: $id0 })");
    expect(Object.values(sent[0]!.variables)).toEqual(["T_fixed"]);
    expect(sent[1]!.query).toContain("m0: minimizeComment(input: { subjectId: $id0, classifier: OUTDATED })");
    expect(Object.values(sent[1]!.variables)).toEqual(["C_T_locked"]);
    // google-quota already has its thread: no second inline comment for it.
    expect(reviews).toHaveLength(0);
  });

  it("minimizes the comment when GitHub refuses to resolve its thread", async () => {
    const threads = [own("T_a", "gone-a"), own("T_b", "gone-b")];
    const { probot, scope } = await scenario({ files: RULES_CHANGED, repo: { ...RULES_REPO, threads }, comment: true, review: true });
    const sent = mutations(scope, 2, (name, id) => name === "resolveReviewThread" && id === "T_b");

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(Object.values(sent[0]!.variables)).toEqual(["T_a", "T_b"]);
    expect(sent[1]!.query).toContain("minimizeComment");
    expect(Object.values(sent[1]!.variables)).toEqual(["C_T_b"]);
  });

  it("sends nothing when every finding of mx-guard's threads is still found", async () => {
    const { probot, calls } = await scenario({
      files: RULES_CHANGED,
      repo: { ...RULES_REPO, threads: [own("T_still", "google-quota")] },
      comment: true,
    });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(calls.filter((c) => c === "POST /graphql")).toHaveLength(1); // the snapshot only
  });

  it("tidies every thread of mx-guard when a push reverts every watched change", async () => {
    const { probot, scope, updates } = await scenario({
      files: [{ filename: "README.md" }],
      repo: { ...UNCHANGED_REPO, threads: [own("T_a", "google-quota"), { ...own("T_person", "x"), mine: false }] },
    });
    const sent = mutations(scope);

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(updates[0]).toMatchObject({ conclusion: "success", output: { title: "No Campaign configuration changed" } });
    expect(sent).toHaveLength(1);
    expect(Object.values(sent[0]!.variables)).toEqual(["T_a"]);
  });

  it("leaves every thread open while the head has a configuration error: a finding that could not be computed is not fixed", async () => {
    const fake = createFakeEngine();
    const engine: Engine = {
      watchedPaths: (policy) => fake.watchedPaths(policy),
      reviewChange: async (base, head, policy) => {
        const result = await fake.reviewChange(base, head, policy);
        result.review.findings.push({
          id: "config-error",
          severity: "failure",
          instance: "prod",
          file: "campaign/traffic.yaml",
          line: 1,
          endLine: 1,
          message: "does not parse",
          fingerprint: "cfg",
          title: "Configuration error",
          status: "new",
        });
        return result;
      },
    };
    const { probot, calls } = await scenario({
      engine,
      files: RULES_CHANGED,
      repo: { ...RULES_REPO, threads: [own("T_gone", "gone")] },
      comment: true,
      review: true,
    });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(calls.filter((c) => c === "POST /graphql")).toHaveLength(1); // the snapshot only
  });
});
