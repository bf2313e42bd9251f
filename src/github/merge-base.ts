/**
 * Which commits a run compares. A pull request's `base.sha` is the tip of its base branch when the
 * event was sent, not where the branch started: changes merged into the base since then would show
 * as the pull request's own. GitHub's "Files changed" diffs against the merge base, and so does
 * MX Guard (docs/github-app.md, "Which commits are compared"). A merge group is built on its base
 * commit, so its base is already right.
 */
import { describeError } from "./errors.js";
import type { GitHub, PullTarget } from "./types.js";

/**
 * The pull request with `baseSha` moved to the merge base of its base tip and head. GitHub cannot
 * always compare (a diff too large to compute answers with an error): the run then compares with
 * the base tip, as GitHub's own payload suggests, and the summary says so.
 */
export async function withMergeBase(gh: GitHub, pull: PullTarget): Promise<PullTarget> {
  if (pull.mergeGroup) return pull;
  try {
    const { data } = await gh.octokit.rest.repos.compareCommitsWithBasehead({
      owner: gh.owner,
      repo: gh.repo,
      basehead: `${pull.baseSha}...${pull.headSha}`,
      per_page: 1,
    });
    const mergeBase = data.merge_base_commit?.sha;
    if (!mergeBase) return { ...pull, mergeBaseUnknown: "GitHub's comparison named no merge base" };
    if (mergeBase === pull.baseSha) return pull;
    return { ...pull, baseSha: mergeBase, baseTipSha: pull.baseSha };
  } catch (error) {
    const cause = describeError(error);
    gh.log.warn({ pull: pull.number, headSha: pull.headSha, cause }, "could not find the merge base; comparing with the base branch's tip");
    return { ...pull, mergeBaseUnknown: cause };
  }
}

/** One sentence for the check run summary: which two commits were simulated. */
export function comparedCommits(pull: PullTarget): string {
  const short = (sha: string) => `\`${sha.slice(0, 7)}\``;
  if (pull.mergeGroup) {
    return `Compared the merge group's head ${short(pull.headSha)} (\`${pull.mergeGroup.headRef}\`) with its base ${short(pull.baseSha)}.`;
  }
  const base = pull.baseTipSha
    ? `the merge base ${short(pull.baseSha)} (the base branch is now at ${short(pull.baseTipSha)})`
    : pull.mergeBaseUnknown
      ? `the base branch's tip ${short(pull.baseSha)} (the merge base is unknown: ${pull.mergeBaseUnknown})`
      : `the merge base ${short(pull.baseSha)}`;
  return `Compared the head ${short(pull.headSha)} with ${base}.`;
}

/** `summary` with the compared commits: on the same line when the summary is one line. */
export function withComparedCommits(summary: string, pull: PullTarget): string {
  const sentence = comparedCommits(pull);
  return summary.includes("\n") ? `${summary}\n\n_${sentence}_` : `${summary} ${sentence}`;
}
