/**
 * Merge queues: GitHub builds a temporary branch (`gh-readonly-queue/…`) for each group of queued
 * pull requests and waits for the required checks on its head commit (`merge_group` event,
 * `checks_requested`). MX Guard checks that commit against the group's base, completes the check
 * run and posts nothing else: a group is not one pull request, so there is no review or comment.
 */
import type { PullTarget } from "./types.js";

export interface MergeGroupPayload {
  head_sha: string;
  head_ref: string;
  base_sha: string;
  base_ref?: string;
}

export function fromMergeGroup(group: MergeGroupPayload): PullTarget {
  return { number: 0, headSha: group.head_sha, baseSha: group.base_sha, draft: false, mergeGroup: { headRef: group.head_ref } };
}
