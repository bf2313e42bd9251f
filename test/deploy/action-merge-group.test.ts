import { describe, expect, it } from "vitest";
import { toRun } from "../../src/action/main.js";
import type { ActionSettings } from "../../src/action/settings.js";

const settings = (eventName: string, runAttempt = 1) => ({ eventName, runAttempt }) as ActionSettings;
const repository = { id: 7, name: "campaign", owner: { login: "acme" } };
const group = { head_sha: "a".repeat(40), base_sha: "b".repeat(40), head_ref: `refs/heads/gh-readonly-queue/main/pr-3-${"b".repeat(40)}` };

describe("the Action on merge_group", () => {
  it("checks the group's head commit against its base, as a merge group (no review, no comment)", () => {
    const run = toRun(settings("merge_group"), { action: "checks_requested", merge_group: group, repository });
    expect(run).toEqual({
      owner: "acme",
      repo: "campaign",
      repositoryId: 7,
      pull: { number: 0, headSha: group.head_sha, baseSha: group.base_sha, draft: false, mergeGroup: { headRef: group.head_ref } },
      eventKey: "merge_group.checks_requested",
      rerequest: false,
    });
  });

  it("does nothing for a destroyed group, and says why", () => {
    expect(toRun(settings("merge_group"), { action: "destroyed", merge_group: group, repository })).toEqual({
      skip: "merge_group.destroyed does not start a check (MX Guard runs on checks_requested)",
    });
  });
});
