/** `comment: update` keeps one summary comment: older copies MX Guard finds are deleted. */
import { describe, expect, it } from "vitest";
import { REPO_PATH, deliver, pullRequestEvent } from "./helpers/payloads.js";
import { RULES_CHANGED, RULES_REPO, scenario } from "./helpers/scenario.js";

describe("duplicate summary comments", () => {
  it("updates the newest and deletes the older copies; another author's comment is left alone", async () => {
    const {
      probot,
      scope,
      calls,
      edits: edited,
    } = await scenario({
      files: RULES_CHANGED,
      repo: {
        ...RULES_REPO,
        comments: [
          { id: 7, body: "<!-- mx-guard:sticky -->\nold copy", mine: true },
          { id: 11, body: "<!-- mx-guard:sticky -->\nquoted by a person", mine: false },
          { id: 8, body: "<!-- mx-guard:sticky -->\nnewest copy", mine: true },
        ],
      },
      review: true,
      edit: 8,
    });
    scope.delete(`${REPO_PATH}/issues/comments/7`).reply(204);

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(edited).toHaveLength(1);
    expect(calls).toContain(`DELETE ${REPO_PATH}/issues/comments/7`);
    expect(calls.filter((c) => c.startsWith("DELETE"))).toEqual([`DELETE ${REPO_PATH}/issues/comments/7`]);
  });
});
