/**
 * Maps an event to the pull request it is about. pull_request events carry it; a Re-run
 * (check_run / check_suite `rerequested`) carries only a head SHA and, except for pull requests
 * from forks, a short `pull_requests` list. For forks that list is empty: the open pull requests
 * are listed (paginated) and matched on head SHA.
 */
import type { GitHub, PullTarget } from "./types.js";

export interface PullRequestPayload {
  number: number;
  draft?: boolean | null;
  head: { sha: string };
  base: { sha: string };
}

export interface MinimalPullRequest {
  number: number;
  head: { sha: string };
  base: { sha: string; repo?: { id: number } | null };
}

export function fromPullRequest(pr: PullRequestPayload): PullTarget {
  return { number: pr.number, headSha: pr.head.sha, baseSha: pr.base.sha, draft: pr.draft === true };
}

/** The open pull request whose head is `headSha` (the re-run commit), or null when there is none. */
export async function findPullForSha(
  gh: GitHub,
  headSha: string,
  candidates: MinimalPullRequest[],
  repositoryId: number,
): Promise<PullTarget | null> {
  const listed = candidates.find((pr) => pr.head.sha === headSha && (pr.base.repo?.id ?? repositoryId) === repositoryId);
  if (listed) {
    const { data } = await gh.octokit.rest.pulls.get({ owner: gh.owner, repo: gh.repo, pull_number: listed.number });
    if (data.state !== "open") return null;
    return { number: data.number, headSha, baseSha: data.base.sha, draft: data.draft === true };
  }
  let found: PullTarget | null = null;
  await gh.octokit.paginate(
    gh.octokit.rest.pulls.list,
    { owner: gh.owner, repo: gh.repo, state: "open", per_page: 100 },
    (response, done) => {
      const match = response.data.find((pr) => pr.head.sha === headSha);
      if (match && !found) {
        found = { number: match.number, headSha, baseSha: match.base.sha, draft: match.draft === true };
        done();
      }
      return [];
    },
  );
  return found;
}
