/**
 * A review or comment POST that failed with a 5xx or a timeout may still have been posted: GitHub
 * sometimes creates it and then fails the answer. retry.ts never re-sends such a POST; this looks
 * whether it landed (the same body, by mx-guard's markers in it) and sends it again only if not,
 * once.
 */
import { isTimeout } from "./probot-patches/request-timeout.js";
import type { GitHub } from "./types.js";

/** A failure after which the POST may or may not have been applied. */
function outcomeUnknown(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return isTimeout(error) || (typeof status === "number" && status >= 500);
}

const normalize = (text: string): string => text.replace(/\r\n?/g, "\n").trimEnd();

/** `send()`; after an unknown outcome, `send()` again only when `landed(body)` finds nothing. */
export async function postOnce(
  gh: GitHub,
  what: string,
  body: string,
  send: () => Promise<unknown>,
  bodies: () => Promise<string[]>,
): Promise<void> {
  try {
    await send();
  } catch (error) {
    if (!outcomeUnknown(error)) throw error;
    const found = (await bodies()).some((existing) => normalize(existing) === normalize(body));
    gh.log.warn(
      { what, landed: found },
      found ? `GitHub failed the answer but the ${what} was posted` : `the ${what} was not posted; sending it again once`,
    );
    if (!found) await send();
  }
}

/** Bodies of the reviews on the pull request (newest last). */
export async function reviewBodies(gh: GitHub, pullNumber: number): Promise<string[]> {
  const reviews = await gh.octokit.paginate(gh.octokit.rest.pulls.listReviews, {
    owner: gh.owner,
    repo: gh.repo,
    pull_number: pullNumber,
    per_page: 100,
  });
  return reviews.map((r) => r.body ?? "");
}

/** Bodies of the pull request's review comments (inline and file-level). */
export async function reviewCommentBodies(gh: GitHub, pullNumber: number): Promise<string[]> {
  const comments = await gh.octokit.paginate(gh.octokit.rest.pulls.listReviewComments, {
    owner: gh.owner,
    repo: gh.repo,
    pull_number: pullNumber,
    per_page: 100,
  });
  return comments.map((c) => c.body ?? "");
}

/** Bodies of the pull request's conversation comments. */
export async function commentBodies(gh: GitHub, pullNumber: number): Promise<string[]> {
  const comments = await gh.octokit.paginate(gh.octokit.rest.issues.listComments, {
    owner: gh.owner,
    repo: gh.repo,
    issue_number: pullNumber,
    per_page: 100,
  });
  return comments.map((c) => c.body ?? "");
}
