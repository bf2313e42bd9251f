/**
 * Verdicts that went stale without a push to the pull request: its base was changed
 * (`pull_request.edited` with `changes.base`), or the policy on the default branch was (`push`
 * touching .github/mx-guard.yml). Those pull requests are checked again, as a Re-run would.
 */
import { POLICY_PATH } from "../model/config.js";
import type { GitHub, PullTarget } from "./types.js";

/** Pull requests re-checked for one policy push at most, newest first (each run costs several requests). */
export const MAX_RECHECKED = 30;

interface PushPayload {
  ref?: string;
  repository?: { default_branch?: string };
  commits?: { added?: string[]; modified?: string[]; removed?: string[] }[];
}

/** The default branch when this push changed the policy file there; null otherwise. */
export function policyPushBranch(payload: PushPayload): string | null {
  const branch = payload.repository?.default_branch;
  if (!branch || payload.ref !== `refs/heads/${branch}`) return null;
  const touched = (payload.commits ?? []).some((c) => [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])].includes(POLICY_PATH));
  return touched ? branch : null;
}

/** The open pull requests into `branch`, newest first, at most MAX_RECHECKED. */
export async function openPullsInto(gh: GitHub, branch: string): Promise<PullTarget[]> {
  const { data } = await gh.octokit.rest.pulls.list({ owner: gh.owner, repo: gh.repo, state: "open", base: branch, sort: "created", direction: "desc", per_page: MAX_RECHECKED });
  return data.map((pr) => ({ number: pr.number, headSha: pr.head.sha, baseSha: pr.base.sha, draft: pr.draft === true }));
}
