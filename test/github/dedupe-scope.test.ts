/**
 * "Already checked for this event" is this app's run for this pull request: a second pull request
 * with the same head commit, or another integration's "MX Guard" run, does not make MX Guard skip.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createFakeEngine } from "./helpers/fake-engine.js";
import { checkCreated, checkUpdates, github, noPreviousRun, policy, pullFiles, unchangedCampaign } from "./helpers/github.js";
import { HEAD_SHA, deliver, pullRequestEvent } from "./helpers/payloads.js";
import { loadApp } from "./helpers/probot.js";

const APP_ID = "123";

afterEach(() => {
  delete process.env.APP_ID;
});

async function runWith(earlier: Record<string, unknown>[]) {
  const { probot } = await loadApp(createFakeEngine());
  const scope = github();
  noPreviousRun(scope, HEAD_SHA, earlier);
  const started = checkCreated(scope);
  policy(scope);
  pullFiles(scope, [{ filename: "README.md" }]);
  unchangedCampaign(scope);
  const updates = checkUpdates(scope, 1);
  await deliver(probot, "pull_request", pullRequestEvent("opened"));
  return { started, updates };
}

describe("dedupe is scoped to this app and this pull request", () => {
  it("checks pull request #2 although #7, with the same head, was already checked for the same event", async () => {
    const { started, updates } = await runWith([
      { id: 1, name: "MX Guard", status: "completed", conclusion: "success", external_id: "mx-guard:pull_request.opened:d1:pr-7" },
    ]);
    expect(started).toHaveLength(1);
    expect(started[0]!.external_id).toMatch(/^mx-guard:pull_request\.opened:.+:pr-2$/);
    expect(updates[0]).toMatchObject({ status: "completed" });
  });

  it("ignores a completed look-alike run of another app", async () => {
    process.env.APP_ID = APP_ID;
    const { started } = await runWith([
      {
        id: 1,
        name: "MX Guard",
        status: "completed",
        conclusion: "success",
        external_id: "mx-guard:pull_request.opened:forged:pr-2",
        app: { id: 999 },
      },
    ]);
    expect(started).toHaveLength(1);
  });
});
