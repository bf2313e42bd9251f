/**
 * What mx-guard already posted on a pull request, read with GraphQL (in the same request as the
 * files, see snapshot.ts): its sticky comment(s) and its reviews, i.e. which head commits were
 * reviewed and which finding fingerprints already have an inline comment. Only items the App itself
 * authored count (`viewerDidAuthor`). Older pages are read only when GitHub says there are more.
 */
import { STICKY_MARKER } from "../render/sticky-comment.js";
import { readFingerprints } from "./markers.js";
import { postedByOwnWorkflow } from "./origin.js";
import type { GitHub } from "./types.js";

const PAGE = 100;
/** At most this many pages per connection (1,000 comments, 1,000 reviews). */
const MAX_PAGES = 10;

export interface StickyComment {
  /** REST id of the issue comment (GraphQL fullDatabaseId). */
  id: number;
  body: string;
}

export interface PrHistory {
  /** mx-guard's comments carrying STICKY_MARKER, oldest first. */
  stickies: StickyComment[];
  /** Head commits that already have a review from mx-guard. */
  reviewedShas: Set<string>;
  /** Fingerprints that already have an inline comment from mx-guard on this pull request. */
  postedFingerprints: Set<string>;
}

interface PageInfo {
  hasPreviousPage: boolean;
  startCursor: string | null;
}
interface CommentNode {
  fullDatabaseId: string | number | null;
  body: string;
  viewerDidAuthor: boolean;
  updatedAt?: string | null;
}
interface ReviewNode {
  body: string;
  viewerDidAuthor: boolean;
  commit: { oid: string } | null;
  submittedAt?: string | null;
}
interface Connection<T> {
  pageInfo: PageInfo;
  nodes: (T | null)[];
}
export interface PullRequestHistoryNode {
  comments: Connection<CommentNode>;
  reviews: Connection<ReviewNode>;
}

const COMMENTS = "pageInfo { hasPreviousPage startCursor } nodes { fullDatabaseId body viewerDidAuthor updatedAt }";
const REVIEWS = "pageInfo { hasPreviousPage startCursor } nodes { body viewerDidAuthor commit { oid } submittedAt }";

/** Selection for the combined query; needs `$number: Int!` declared. */
export const HISTORY_SELECTION = `pullRequest(number: $number) { comments(last: ${PAGE}) { ${COMMENTS} } reviews(last: ${PAGE}) { ${REVIEWS} } }`;

/** Reads the history from the combined answer, fetching older pages when there are any. */
export async function readHistory(gh: GitHub, pullNumber: number, node: PullRequestHistoryNode | null): Promise<PrHistory> {
  if (!node) throw new Error(`pull request #${pullNumber} was not found`);
  // Authored by this token's identity; in Action mode also stamped by a run of this workflow (origin.ts).
  const comments = await ownOnly(
    gh,
    (await allNodes(gh, pullNumber, "comments", COMMENTS, node.comments)).filter((c) => c.viewerDidAuthor),
    (c) => c.updatedAt,
  );
  const reviews = await ownOnly(
    gh,
    (await allNodes(gh, pullNumber, "reviews", REVIEWS, node.reviews)).filter((r) => r.viewerDidAuthor),
    (r) => r.submittedAt,
  );
  const history: PrHistory = { stickies: [], reviewedShas: new Set(), postedFingerprints: new Set() };
  for (const comment of comments) {
    if (!comment.viewerDidAuthor || !comment.body.includes(STICKY_MARKER)) continue;
    const id = Number(comment.fullDatabaseId);
    if (Number.isSafeInteger(id) && id > 0) history.stickies.push({ id, body: comment.body });
  }
  for (const review of reviews) {
    if (!review.viewerDidAuthor) continue;
    if (review.commit?.oid) history.reviewedShas.add(review.commit.oid);
    for (const fingerprint of readFingerprints(review.body)) history.postedFingerprints.add(fingerprint);
  }
  return history;
}

async function ownOnly<T extends { body: string }>(gh: GitHub, items: T[], at: (item: T) => string | null | undefined): Promise<T[]> {
  const own = await postedByOwnWorkflow(
    gh,
    items.map((item) => ({ body: item.body, at: at(item) ?? null })),
  );
  return items.filter((_, index) => own[index]);
}

async function allNodes<T>(
  gh: GitHub,
  pullNumber: number,
  field: "comments" | "reviews",
  selection: string,
  first: Connection<T>,
): Promise<T[]> {
  const pages: T[][] = [first.nodes.filter((n): n is T => n !== null)];
  let info = first.pageInfo;
  for (let page = 1; page < MAX_PAGES && info.hasPreviousPage && info.startCursor; page++) {
    const query = `query MxGuardHistoryPage($owner: String!, $name: String!, $number: Int!, $before: String!) {
  repository(owner: $owner, name: $name) { pullRequest(number: $number) { ${field}(last: ${PAGE}, before: $before) { ${selection} } } }
}`;
    const answer = await gh.octokit.graphql<{
      repository: { pullRequest: Record<typeof field, Connection<T>> | null } | null;
    }>(query, { owner: gh.owner, name: gh.repo, number: pullNumber, before: info.startCursor });
    const connection = answer.repository?.pullRequest?.[field];
    if (!connection) break;
    pages.unshift(connection.nodes.filter((n): n is T => n !== null));
    info = connection.pageInfo;
  }
  return pages.flat();
}
