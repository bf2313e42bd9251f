/**
 * The files a run compares: a pull request's own file list, or for a merge group (no pull request)
 * the comparison of its base and head commits, in GitHub's diff format.
 */
import { listPullRequestFiles, type ChangedFile } from "./pull-request-files.js";
import type { GitHub, PullTarget } from "./types.js";

export async function listChangedFiles(gh: GitHub, pull: PullTarget): Promise<ChangedFile[]> {
  if (!pull.mergeGroup) return listPullRequestFiles(gh, pull.number);
  const { data } = await gh.octokit.rest.repos.compareCommitsWithBasehead({
    owner: gh.owner,
    repo: gh.repo,
    basehead: `${pull.baseSha}...${pull.headSha}`,
    per_page: 100,
  });
  return (data.files ?? []).map(
    (entry): ChangedFile => ({
      filename: entry.filename,
      status: entry.status,
      ...(entry.previous_filename ? { previousFilename: entry.previous_filename } : {}),
      ...(entry.patch !== undefined ? { patch: entry.patch } : {}),
    }),
  );
}
