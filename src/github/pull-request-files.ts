/**
 * The files a pull request changes (paginated, 100 per page, GitHub's 3,000-file ceiling), reduced
 * to what the App needs: names (including the old name of a rename), status and patch. Used only to
 * place review comments: whether a watched file changed is decided from blob ids (fetch-files.ts).
 */
import { LIMITS } from "./constants.js";
import { parsePatch, type HunkLines } from "./diff-lines.js";
import type { GitHub } from "./types.js";

export interface ChangedFile {
  filename: string;
  /** Set for renames (and copies): the path on the base side. */
  previousFilename?: string;
  status: string;
  /** Absent for binary files and diffs too large for GitHub to show. */
  patch?: string;
}

export async function listPullRequestFiles(gh: GitHub, pullNumber: number): Promise<ChangedFile[]> {
  const files = await gh.octokit.paginate(
    gh.octokit.rest.pulls.listFiles,
    { owner: gh.owner, repo: gh.repo, pull_number: pullNumber, per_page: 100 },
    (response) =>
      response.data.map(
        (entry): ChangedFile => ({
          filename: entry.filename,
          status: entry.status,
          ...(entry.previous_filename ? { previousFilename: entry.previous_filename } : {}),
          ...(entry.patch !== undefined ? { patch: entry.patch } : {}),
        }),
      ),
  );
  return files.slice(0, LIMITS.pullRequestFiles);
}

/** Strips a leading "./" or "/" so policy paths compare with GitHub's repository-relative names. */
export function normalizePath(path: string): string {
  return path.replace(/^(?:\.\/|\/)+/, "");
}

/** Commentable RIGHT-side lines per path (head-side names; removed files have none). */
export function hunksByPath(files: ChangedFile[]): Map<string, HunkLines> {
  const map = new Map<string, HunkLines>();
  for (const file of files) {
    if (file.status === "removed") continue;
    map.set(file.filename, parsePatch(file.patch));
  }
  return map;
}
