/**
 * policy.comment: `hide-and-new` posts a new summary comment and minimizes the earlier ones as
 * outdated; `delete-and-new` deletes them; `new` keeps them; every mode deletes a second comment
 * for the same head commit. Another author's comment carrying the marker is never touched.
 */
import { describe, expect, it } from "vitest";
import { planCleanup } from "../../src/github/sticky-comment.js";
import { headMarker } from "../../src/github/markers.js";
import { POLICY_YAML, mutations } from "./helpers/github.js";
import { HEAD_SHA, REPO_PATH, deliver, pullRequestEvent } from "./helpers/payloads.js";
import { RULES_CHANGED, RULES_REPO, scenario } from "./helpers/scenario.js";

const STICKY = "<!-- mx-guard:sticky -->";
const comments = [
  { id: 5, body: `${STICKY}\nfirst push\n${headMarker("a".repeat(40))}`, mine: true },
  { id: 6, body: `${STICKY}\nquoted by a person`, mine: false },
  { id: 7, body: `${STICKY}\nsecond push\n${headMarker("b".repeat(40))}`, mine: true, minimized: true },
];
const withMode = (mode: string) => POLICY_YAML.replace("comment: update", `comment: ${mode}`);

describe("summary comment modes", () => {
  it("hide-and-new: posts the new comment, then minimizes the earlier one not yet hidden", async () => {
    const run = await scenario({
      policy: withMode("hide-and-new"),
      files: RULES_CHANGED,
      repo: { ...RULES_REPO, comments },
      review: true,
      comment: true,
    });
    const sent = mutations(run.scope);

    await deliver(run.probot, "pull_request", pullRequestEvent("opened"));

    expect(run.comments).toHaveLength(1);
    expect(run.comments[0]!.body).toContain(headMarker(HEAD_SHA));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.query).toContain("minimizeComment(input: { subjectId: $id0, classifier: OUTDATED })");
    expect(Object.values(sent[0]!.variables)).toEqual(["IC_5"]);
    expect(run.calls.filter((c) => c.startsWith("DELETE"))).toEqual([]);
    // The new comment was posted before the old one was hidden.
    expect(run.calls.indexOf(`POST ${REPO_PATH}/issues/2/comments`)).toBeLessThan(run.calls.lastIndexOf("POST /graphql"));
  });

  it("delete-and-new: posts the new comment, then deletes every earlier one of its own", async () => {
    const run = await scenario({
      policy: withMode("delete-and-new"),
      files: RULES_CHANGED,
      repo: { ...RULES_REPO, comments },
      review: true,
      comment: true,
    });
    run.scope.delete(`${REPO_PATH}/issues/comments/5`).reply(204).delete(`${REPO_PATH}/issues/comments/7`).reply(204);

    await deliver(run.probot, "pull_request", pullRequestEvent("opened"));

    expect(run.comments).toHaveLength(1);
    expect(run.calls.filter((c) => c.startsWith("DELETE"))).toEqual([
      `DELETE ${REPO_PATH}/issues/comments/5`,
      `DELETE ${REPO_PATH}/issues/comments/7`,
    ]);
  });

  it("plans the clean-up of each mode, duplicates for the same head included", () => {
    const sticky = (id: number, head: string | null, isMinimized = false) => ({
      id,
      nodeId: `IC_${id}`,
      body: `${STICKY}\n${head ? headMarker(head) : ""}`,
      isMinimized,
    });
    const h = "c".repeat(40);
    const existing = [sticky(1, null), sticky(2, "d".repeat(40), true), sticky(3, h), sticky(4, h)];
    const ids = (list: { id: number }[]) => list.map((c) => c.id);
    const plan = (mode: Parameters<typeof planCleanup>[0]) => {
      const p = planCleanup(mode, existing, h);
      return { delete: ids(p.delete), minimize: ids(p.minimize) };
    };
    expect(plan("update")).toEqual({ delete: [1, 2, 3], minimize: [] });
    expect(plan("new")).toEqual({ delete: [4], minimize: [] });
    expect(plan("hide-and-new")).toEqual({ delete: [4], minimize: [1] });
    expect(plan("delete-and-new")).toEqual({ delete: [1, 2, 4], minimize: [] });
    expect(plan("off")).toEqual({ delete: [], minimize: [] });
  });
});
