/**
 * What mx-guard already posted on a pull request, read with GraphQL (in the same request as the
 * files, see snapshot.ts): its sticky comment(s), its reviews (which head commits were reviewed and
 * which finding fingerprints already have an inline comment) and the review threads its inline
 * comments opened (to resolve them once their finding is fixed, tidy.ts). Only items the App itself
 * authored count (`viewerDidAuthor`). Older pages are read only when GitHub says there are more.
 */
import { parseFingerprintMarker } from "../render/review-comments.js";
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
  /** GraphQL node id, for minimizeComment. */
  nodeId: string;
  body: string;
  isMinimized: boolean;
}

/** A review thread whose first comment is one of mx-guard's inline comments. */
export interface OwnThread {
  /** GraphQL node id of the thread, for resolveReviewThread. */
  id: string;
  isResolved: boolean;
  viewerCanResolve: boolean;
  /** The finding the comment is about (its fingerprint marker, as rendered). */
  fingerprint: string;
  /** GraphQL node id of that first comment, for minimizeComment. */
  commentId: string;
  isMinimized: boolean;
}

export interface PrHistory {
  /** mx-guard's comments carrying STICKY_MARKER, oldest first. */
  stickies: StickyComment[];
  /** Head commits that already have a review from mx-guard. */
  reviewedShas: Set<string>;
  /** Fingerprints that already have an inline comment from mx-guard on this pull request. */
  postedFingerprints: Set<string>;
  /** Threads opened by mx-guard's inline and file-level comments, oldest first. */
  threads: OwnThread[];
}

interface PageInfo {
  hasPreviousPage: boolean;
  startCursor: string | null;
}
interface CommentNode {
  id?: string;
  fullDatabaseId: string | number | null;
  body: string;
  viewerDidAuthor: boolean;
  isMinimized?: boolean;
  updatedAt?: string | null;
}
interface ThreadNode {
  id: string;
  isResolved: boolean;
  viewerCanResolve: boolean;
  comments: { nodes: ({ id: string; body: string; viewerDidAuthor: boolean; isMinimized: boolean; updatedAt?: string | null } | null)[] };
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
  /** Absent in answers from before threads were read (tests' fixtures): no threads. */
  reviewThreads?: Connection<ThreadNode>;
}

const COMMENTS = "pageInfo { hasPreviousPage startCursor } nodes { id fullDatabaseId body viewerDidAuthor isMinimized updatedAt }";
const REVIEWS = "pageInfo { hasPreviousPage startCursor } nodes { body viewerDidAuthor commit { oid } submittedAt }";
/** A thread's first comment is the one that opened it: mx-guard never replies. */
const THREADS =
  "pageInfo { hasPreviousPage startCursor } nodes { id isResolved viewerCanResolve comments(first: 1) { nodes { id body viewerDidAuthor isMinimized updatedAt } } }";

/** Selection for the combined query; needs `$number: Int!` declared. */
export const HISTORY_SELECTION = `pullRequest(number: $number) { comments(last: ${PAGE}) { ${COMMENTS} } reviews(last: ${PAGE}) { ${REVIEWS} } reviewThreads(last: ${PAGE}) { ${THREADS} } }`;

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
  const openers = node.reviewThreads
    ? (await allNodes(gh, pullNumber, "reviewThreads", THREADS, node.reviewThreads)).flatMap((thread) => {
        const first = thread.comments.nodes[0];
        return first?.viewerDidAuthor ? [{ thread, first, body: first.body }] : [];
      })
    : [];
  const ownOpeners = await ownOnly(gh, openers, (o) => o.first.updatedAt);
  const history: PrHistory = { stickies: [], reviewedShas: new Set(), postedFingerprints: new Set(), threads: [] };
  for (const comment of comments) {
    if (!comment.viewerDidAuthor || !comment.body.includes(STICKY_MARKER)) continue;
    const id = Number(comment.fullDatabaseId);
    if (Number.isSafeInteger(id) && id > 0)
      history.stickies.push({ id, nodeId: comment.id ?? "", body: comment.body, isMinimized: comment.isMinimized === true });
  }
  for (const { thread, first } of ownOpeners) {
    const fingerprint = parseFingerprintMarker(first.body);
    if (fingerprint === null) continue;
    history.postedFingerprints.add(fingerprint);
    history.threads.push({
      id: thread.id,
      isResolved: thread.isResolved,
      viewerCanResolve: thread.viewerCanResolve,
      fingerprint,
      commentId: first.id,
      isMinimized: first.isMinimized,
    });
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
  field: "comments" | "reviews" | "reviewThreads",
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
