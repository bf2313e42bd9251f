/**
 * Verdicts that went stale without a push to the pull request: its base was changed
 * (`pull_request.edited` with `changes.base`), or the policy on the default branch was (`push`
 * touching .github/mx-guard.yml). Those pull requests are checked again, as a Re-run would. And
 * pull requests opened before the app was installed on their repository get their first check.
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
  const touched = (payload.commits ?? []).some((c) =>
    [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])].includes(POLICY_PATH),
  );
  return touched ? branch : null;
}

/** The open pull requests into `branch`, newest first, at most MAX_RECHECKED. */
export async function openPullsInto(gh: GitHub, branch: string): Promise<PullTarget[]> {
  const { data } = await gh.octokit.rest.pulls.list({
    owner: gh.owner,
    repo: gh.repo,
    state: "open",
    base: branch,
    sort: "created",
    direction: "desc",
    per_page: MAX_RECHECKED,
  });
  return data.map((pr) => ({ number: pr.number, headSha: pr.head.sha, baseSha: pr.base.sha, draft: pr.draft === true }));
}

/** Repositories an installation event names (created: all chosen; installation_repositories.added: the new ones), at most 20. */
export function installedRepositories(payload: {
  repositories?: { full_name: string }[];
  repositories_added?: { full_name: string }[];
}): { owner: string; repo: string }[] {
  return (payload.repositories_added ?? payload.repositories ?? [])
    .slice(0, 20)
    .map((r) => r.full_name.split("/"))
    .filter((parts): parts is [string, string] => parts.length === 2 && parts.every((p) => p !== ""))
    .map(([owner, repo]) => ({ owner, repo }));
}

/** The open pull requests (newest 30) whose head has no completed MX Guard run of this app for them yet. */
export async function uncheckedOpenPulls(gh: GitHub, checkName: string): Promise<PullTarget[]> {
  const { data } = await gh.octokit.rest.pulls.list({
    owner: gh.owner,
    repo: gh.repo,
    state: "open",
    sort: "created",
    direction: "desc",
    per_page: MAX_RECHECKED,
  });
  const unchecked: PullTarget[] = [];
  for (const pr of data) {
    const runs = await gh.octokit.rest.checks.listForRef({
      owner: gh.owner,
      repo: gh.repo,
      ref: pr.head.sha,
      check_name: checkName,
      filter: "all",
      per_page: 100,
    });
    // This app's run, for this pull request: another integration's "MX Guard" or the run of another
    // pull request with the same head (external_id `…:pr-<n>`, check-run.ts) does not count.
    const done = runs.data.check_runs.some(
      (r) => r.status === "completed" && (gh.appId === undefined || r.app?.id === gh.appId) && forPull(r.external_id, pr.number),
    );
    if (!done) unchecked.push({ number: pr.number, headSha: pr.head.sha, baseSha: pr.base.sha, draft: pr.draft === true });
  }
  return unchecked;
}

/** Whether a run's external_id is for pull request `number` (ids without `:pr-<n>` predate it and match any). */
function forPull(externalId: string | null | undefined, number: number): boolean {
  const pull = /:pr-(\d+)$/.exec(externalId ?? "")?.[1];
  return pull === undefined || Number(pull) === number;
}
