/** `comment: update` keeps one summary comment: older copies MX Guard finds are deleted. */
import { describe, expect, it } from "vitest";
import { RULES_BAD, RULES_OK, TRAFFIC } from "./helpers/campaign.js";
import { createFakeEngine } from "./helpers/fake-engine.js";
import {
  capture,
  checkCreated,
  checkUpdates,
  github,
  graphql,
  hunkPatch,
  noPreviousRun,
  policy,
  pullFiles,
  recordCalls,
} from "./helpers/github.js";
import { BASE_SHA, HEAD_SHA, REPO_PATH, deliver, pullRequestEvent } from "./helpers/payloads.js";
import { loadApp } from "./helpers/probot.js";

describe("duplicate summary comments", () => {
  it("updates the newest and deletes the older copies; another author's comment is left alone", async () => {
    const { probot } = await loadApp(createFakeEngine());
    const scope = github();
    const calls = recordCalls(scope);
    noPreviousRun(scope);
    checkCreated(scope);
    policy(scope);
    pullFiles(scope, [{ filename: "campaign/mx-rules.yaml", patch: hunkPatch(RULES_BAD, 1, 7) }]);
    graphql(scope, {
      trees: {
        [BASE_SHA]: { "campaign/mx-rules.yaml": RULES_OK, "campaign/traffic.yaml": TRAFFIC },
        [HEAD_SHA]: { "campaign/mx-rules.yaml": RULES_BAD, "campaign/traffic.yaml": TRAFFIC },
      },
      comments: [
        { id: 7, body: "<!-- mx-guard:sticky -->\nold copy", mine: true },
        { id: 11, body: "<!-- mx-guard:sticky -->\nquoted by a person", mine: false },
        { id: 8, body: "<!-- mx-guard:sticky -->\nnewest copy", mine: true },
      ],
    });
    checkUpdates(scope, 1);
    capture(scope, "post", `${REPO_PATH}/pulls/2/reviews`, 200, { id: 1 });
    const edited = capture(scope, "patch", `${REPO_PATH}/issues/comments/8`, 200, { id: 8 });
    scope.delete(`${REPO_PATH}/issues/comments/7`).reply(204);

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(edited).toHaveLength(1);
    expect(calls).toContain(`DELETE ${REPO_PATH}/issues/comments/7`);
    expect(calls.filter((c) => c.startsWith("DELETE"))).toEqual([`DELETE ${REPO_PATH}/issues/comments/7`]);
  });
});
