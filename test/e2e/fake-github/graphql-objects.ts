/**
 * The objects behind the fake's GraphQL (run by graphql.ts against GitHub's schema, which checks
 * every type and argument): `repository(owner, name)` with `object(expression|oid)` (Blob / Tree /
 * Commit, text cut at 512,000 bytes with `isTruncated`) and `pullRequest(number)` with `comments` /
 * `reviews` / `reviewThreads` connections (first/last/after/before, at most 100, as on GitHub)
 * carrying `viewerDidAuthor` for the token's actor; and the mutations `minimizeComment` and
 * `resolveReviewThread`. The token's permissions are enforced on every field that needs one
 * (FORBIDDEN, "Resource not accessible by integration"). A field missing here is an error, not a null.
 */
import { gqlObject, GraphqlFieldError, type GqlObject } from "./graphql.js";
import { nodeId } from "./http.js";
import { allows, NOT_ACCESSIBLE, type Permissions, type Requirement } from "./permissions.js";
import {
  gitBlobSha,
  isBinary,
  type Actor,
  type Commit,
  type FakeState,
  type IssueComment,
  type PullRequest,
  type Repository,
  type Review,
  type ReviewComment,
} from "./state.js";

export const GRAPHQL_BLOB_TEXT_BYTES = 512_000;

/** Who asks: the token's actor, its installation (null: any repository) and its permissions. */
export interface Viewer {
  actor: Actor | null;
  installationId: number | null;
  permissions: Permissions;
}

function need(viewer: Viewer, requirement: Requirement): void {
  if (!allows(viewer.permissions, requirement)) throw new GraphqlFieldError(NOT_ACCESSIBLE, "FORBIDDEN");
}

const PULLS_READ: Requirement = [["pull_requests", "read"]];
const PULLS_WRITE: Requirement = [["pull_requests", "write"]];
const COMMENTS_WRITE: Requirement = [
  ["issues", "write"],
  ["pull_requests", "write"],
];

function actorObject(actor: Actor): GqlObject {
  return gqlObject(actor.type === "Bot" ? "Bot" : "User", {
    login: () => actor.login,
    id: () => nodeId(actor.type, actor.id),
    databaseId: () => actor.id,
  });
}

function blobObject(content: Buffer): GqlObject {
  const oid = gitBlobSha(content);
  const binary = isBinary(content);
  const truncated = !binary && content.length > GRAPHQL_BLOB_TEXT_BYTES;
  return gqlObject("Blob", {
    oid: () => oid,
    abbreviatedOid: () => oid.slice(0, 7),
    id: () => nodeId("Blob", oid),
    byteSize: () => content.length,
    isBinary: () => binary,
    isTruncated: () => truncated,
    text: () => (binary ? null : (truncated ? content.subarray(0, GRAPHQL_BLOB_TEXT_BYTES) : content).toString("utf8")),
  });
}

function treeObject(commit: Commit, path: string): GqlObject {
  const prefix = path === "" ? "" : `${path}/`;
  const entries = new Map<string, "blob" | "tree">();
  for (const file of commit.files.keys()) {
    if (!file.startsWith(prefix)) continue;
    const [first, ...rest] = file.slice(prefix.length).split("/");
    if (first) entries.set(first, rest.length > 0 ? "tree" : "blob");
  }
  const oid = gitBlobSha(Buffer.from(`tree ${commit.sha}:${path}`));
  return gqlObject("Tree", {
    oid: () => oid,
    abbreviatedOid: () => oid.slice(0, 7),
    entries: () =>
      [...entries.entries()].sort().map(([name, type]) =>
        gqlObject("TreeEntry", {
          name: () => name,
          type: () => type,
          path: () => `${prefix}${name}`,
          oid: () => (type === "blob" ? gitBlobSha(commit.files.get(`${prefix}${name}`) ?? Buffer.alloc(0)) : "0".repeat(40)),
        }),
      ),
  });
}

function commitObject(commit: Commit): GqlObject {
  return gqlObject("Commit", {
    oid: () => commit.sha,
    abbreviatedOid: () => commit.sha.slice(0, 7),
    message: () => commit.message,
  });
}

interface ConnectionArgs {
  first?: unknown;
  last?: unknown;
  after?: unknown;
  before?: unknown;
}

function cursor(index: number): string {
  return Buffer.from(`cursor:v2:${index}`).toString("base64");
}

function cursorIndex(value: unknown, name: string): number {
  if (typeof value !== "string") throw new GraphqlFieldError(`\`${name}\` is not a valid cursor`);
  const match = /^cursor:v2:(\d+)$/.exec(Buffer.from(value, "base64").toString("utf8"));
  if (!match) throw new GraphqlFieldError(`\`${name}\` does not appear to be a valid cursor.`);
  return Number(match[1]);
}

/** GitHub's connection pagination over `items` (oldest first). */
function connection<T>(typename: string, items: T[], args: ConnectionArgs, toNode: (item: T) => GqlObject): GqlObject {
  const hasFirst = args.first !== undefined && args.first !== null;
  const hasLast = args.last !== undefined && args.last !== null;
  if (!hasFirst && !hasLast)
    throw new GraphqlFieldError(`You must provide a \`first\` or \`last\` value to properly paginate the \`${typename}\` connection.`);
  for (const [key, value] of [
    ["first", args.first],
    ["last", args.last],
  ] as const) {
    if (value === undefined || value === null) continue;
    if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 100) {
      throw new GraphqlFieldError(
        `Requesting ${String(value)} records on the \`${typename}\` connection exceeds the \`${key}\` limit of 100 records.`,
      );
    }
  }
  let start = 0;
  let end = items.length; // exclusive
  if (args.after !== undefined && args.after !== null) start = Math.max(start, cursorIndex(args.after, "after") + 1);
  if (args.before !== undefined && args.before !== null) end = Math.min(end, cursorIndex(args.before, "before"));
  if (hasFirst) end = Math.min(end, start + (args.first as number));
  if (hasLast) start = Math.max(start, end - (args.last as number));
  const slice = items.slice(start, Math.max(start, end)).map((item, offset) => ({ item, index: start + offset }));
  const first = slice[0];
  const last = slice[slice.length - 1];
  return gqlObject(typename, {
    totalCount: () => items.length,
    nodes: () => slice.map(({ item }) => toNode(item)),
    edges: () =>
      slice.map(({ item, index }) =>
        gqlObject(`${typename.replace(/Connection$/, "")}Edge`, { cursor: () => cursor(index), node: () => toNode(item) }),
      ),
    pageInfo: () =>
      gqlObject("PageInfo", {
        hasNextPage: () => end < items.length,
        hasPreviousPage: () => start > 0,
        startCursor: () => (first ? cursor(first.index) : null),
        endCursor: () => (last ? cursor(last.index) : null),
      }),
  });
}

function issueCommentObject(comment: IssueComment, viewer: Actor | null): GqlObject {
  const reason = comment.minimizedReason ?? null;
  return gqlObject("IssueComment", {
    id: () => nodeId("IssueComment", comment.id),
    databaseId: () => comment.id,
    // BigInt scalar: serialized as a string, like GitHub.
    fullDatabaseId: () => String(comment.id),
    body: () => comment.body,
    author: () => actorObject(comment.user),
    viewerDidAuthor: () => viewer !== null && viewer.id === comment.user.id,
    createdAt: () => comment.createdAt,
    updatedAt: () => comment.updatedAt,
    isMinimized: () => reason !== null,
    // GitHub answers the classifier in lower case ("outdated").
    minimizedReason: () => (reason === null ? null : reason.toLowerCase()),
  });
}

function reviewCommentObject(comment: ReviewComment, viewer: Actor | null): GqlObject {
  const reason = comment.minimizedReason ?? null;
  return gqlObject("PullRequestReviewComment", {
    id: () => nodeId("PullRequestReviewComment", comment.id),
    databaseId: () => comment.id,
    fullDatabaseId: () => String(comment.id),
    body: () => comment.body,
    path: () => comment.path,
    line: () => comment.line,
    startLine: () => comment.startLine,
    subjectType: () => (comment.subjectType === "file" ? "FILE" : "LINE"),
    author: () => actorObject(comment.user),
    viewerDidAuthor: () => viewer !== null && viewer.id === comment.user.id,
    createdAt: () => comment.createdAt,
    updatedAt: () => comment.createdAt,
    isMinimized: () => reason !== null,
    minimizedReason: () => (reason === null ? null : reason.toLowerCase()),
  });
}

/** A review thread: each top-level review comment opens one (replies are not modelled). */
function threadObject(comment: ReviewComment, viewer: Viewer): GqlObject {
  const canResolve = allows(viewer.permissions, PULLS_WRITE);
  return gqlObject("PullRequestReviewThread", {
    id: () => nodeId("PullRequestReviewThread", comment.id),
    isResolved: () => comment.threadResolved === true,
    isOutdated: () => comment.commitId !== comment.pull.headSha && comment.subjectType === "line",
    isCollapsed: () => comment.threadResolved === true,
    viewerCanResolve: () => canResolve && comment.threadResolved !== true,
    viewerCanUnresolve: () => canResolve && comment.threadResolved === true,
    viewerCanReply: () => canResolve,
    path: () => comment.path,
    line: () => comment.line,
    startLine: () => comment.startLine,
    subjectType: () => (comment.subjectType === "file" ? "FILE" : "LINE"),
    comments: (args) => connection("PullRequestReviewCommentConnection", [comment], args, (c) => reviewCommentObject(c, viewer.actor)),
  });
}

function reviewObject(state: FakeState, review: Review, viewer: Actor | null): GqlObject {
  return gqlObject("PullRequestReview", {
    id: () => nodeId("PullRequestReview", review.id),
    databaseId: () => review.id,
    fullDatabaseId: () => String(review.id),
    body: () => review.body,
    state: () => review.state,
    author: () => actorObject(review.user),
    viewerDidAuthor: () => viewer !== null && viewer.id === review.user.id,
    submittedAt: () => review.submittedAt,
    commit: () => {
      const commit = review.pull.repo.commits.get(review.commitId);
      return commit ? commitObject(commit) : null;
    },
    comments: (args) =>
      connection(
        "PullRequestReviewCommentConnection",
        state.reviewComments.filter((c) => c.reviewId === review.id),
        args,
        (c) => reviewCommentObject(c, viewer),
      ),
  });
}

function pullRequestObject(state: FakeState, pull: PullRequest, who: Viewer): GqlObject {
  const viewer = who.actor;
  return gqlObject("PullRequest", {
    id: () => nodeId("PullRequest", pull.id),
    databaseId: () => pull.id,
    fullDatabaseId: () => String(pull.id),
    number: () => pull.number,
    title: () => pull.title,
    state: () => (pull.state === "open" ? "OPEN" : "CLOSED"),
    isDraft: () => pull.draft,
    headRefOid: () => pull.headSha,
    baseRefOid: () => pull.baseSha,
    headRefName: () => pull.headRef,
    baseRefName: () => pull.baseRef,
    author: () => actorObject(pull.user),
    comments: (args) =>
      connection(
        "IssueCommentConnection",
        state.issueComments.filter((c) => c.repo === pull.repo && c.issueNumber === pull.number),
        args,
        (c) => issueCommentObject(c, viewer),
      ),
    reviews: (args) => {
      const states = Array.isArray(args.states) ? (args.states as string[]) : null;
      const reviews = state.reviews.filter((r) => r.pull === pull && (!states || states.includes(r.state)));
      return connection("PullRequestReviewConnection", reviews, args, (r) => reviewObject(state, r, viewer));
    },
    reviewThreads: (args) =>
      connection(
        "PullRequestReviewThreadConnection",
        state.reviewComments.filter((c) => c.pull === pull),
        args,
        (c) => threadObject(c, who),
      ),
    files: (args) =>
      connection("PullRequestChangedFileConnection", state.pullFiles(pull), args, (f) =>
        gqlObject("PullRequestChangedFile", {
          path: () => f.filename,
          additions: () => f.additions,
          deletions: () => f.deletions,
          changeType: () => ({ added: "ADDED", removed: "DELETED", modified: "MODIFIED", renamed: "RENAMED" })[f.status],
        }),
      ),
  });
}

function resolveObject(state: FakeState, repo: Repository, args: Record<string, unknown>, viewer: Viewer): GqlObject | null {
  need(viewer, [["contents", "read"]]);
  if (typeof args.oid === "string") {
    const blob = repo.blobs.get(args.oid.toLowerCase());
    if (blob) return blobObject(blob);
    const commit = repo.commits.get(args.oid.toLowerCase());
    return commit ? commitObject(commit) : null;
  }
  if (typeof args.expression !== "string") throw new GraphqlFieldError("object requires an expression or an oid");
  const expression = args.expression;
  const colon = expression.indexOf(":");
  const rev = colon < 0 ? expression : expression.slice(0, colon);
  const commit = state.resolveRef(repo, rev === "" ? null : rev);
  if (!commit) return null;
  if (colon < 0) return commitObject(commit);
  const path = expression.slice(colon + 1).replace(/^\/+|\/+$/g, "");
  const content = commit.files.get(path);
  if (content) return blobObject(content);
  if (path === "" || [...commit.files.keys()].some((file) => file.startsWith(`${path}/`))) return treeObject(commit, path);
  return null;
}

function repositoryObject(state: FakeState, repo: Repository, viewer: Viewer): GqlObject {
  return gqlObject("Repository", {
    id: () => nodeId("Repository", repo.id),
    databaseId: () => repo.id,
    name: () => repo.name,
    nameWithOwner: () => `${repo.owner.login}/${repo.name}`,
    owner: () => actorObject(repo.owner),
    isPrivate: () => false,
    defaultBranchRef: () =>
      gqlObject("Ref", {
        name: () => repo.defaultBranch,
        target: () => {
          const commit = state.resolveRef(repo, repo.defaultBranch);
          return commit ? commitObject(commit) : null;
        },
      }),
    object: (args) => resolveObject(state, repo, args, viewer),
    pullRequest: (args) => {
      need(viewer, PULLS_READ);
      const pull = state.pull(repo, Number(args.number));
      if (!pull) throw new GraphqlFieldError(`Could not resolve to a PullRequest with the number of ${String(args.number)}.`, "NOT_FOUND");
      return pullRequestObject(state, pull, viewer);
    },
  });
}

export function queryRoot(state: FakeState, who: Viewer): GqlObject {
  const viewer = who.actor;
  const installationId = who.installationId;
  return gqlObject("Query", {
    repository: (args) => {
      const repo = state.repository(String(args.owner ?? ""), String(args.name ?? ""));
      if (!repo || (installationId !== null && repo.installationId !== installationId)) {
        throw new GraphqlFieldError(
          `Could not resolve to a Repository with the name '${String(args.owner)}/${String(args.name)}'.`,
          "NOT_FOUND",
        );
      }
      need(who, [["metadata", "read"]]);
      return repositoryObject(state, repo, who);
    },
    viewer: () => (viewer ? actorObject(viewer) : null),
    rateLimit: () =>
      gqlObject("RateLimit", {
        cost: () => 1,
        limit: () => 5000,
        remaining: () => 4999,
        used: () => 1,
        nodeCount: () => 1,
        resetAt: () => new Date(Date.now() + 3_600_000).toISOString(),
      }),
  });
}

/** The node a global id names ("Kind:id" in base64, as http.ts's nodeId makes them), in the viewer's repositories. */
function findNode(
  state: FakeState,
  viewer: Viewer,
  id: unknown,
): { kind: "issue"; comment: IssueComment } | { kind: "review"; comment: ReviewComment } | null {
  if (typeof id !== "string") return null;
  const match = /^(\w+):(\d+)$/.exec(Buffer.from(id, "base64").toString("utf8"));
  if (!match) return null;
  const number = Number(match[2]);
  const visible = (repo: Repository) => viewer.installationId === null || repo.installationId === viewer.installationId;
  if (match[1] === "IssueComment") {
    const comment = state.issueComments.find((c) => c.id === number && visible(c.repo));
    return comment ? { kind: "issue", comment } : null;
  }
  if (match[1] === "PullRequestReviewComment" || match[1] === "PullRequestReviewThread") {
    const comment = state.reviewComments.find((c) => c.id === number && visible(c.pull.repo));
    return comment ? { kind: "review", comment } : null;
  }
  return null;
}

function threadId(id: unknown): boolean {
  return typeof id === "string" && Buffer.from(id, "base64").toString("utf8").startsWith("PullRequestReviewThread:");
}

function input(args: Record<string, unknown>): Record<string, unknown> {
  return (args.input ?? {}) as Record<string, unknown>;
}

/**
 * The mutations mx-guard sends. minimizeComment hides a comment with a classifier (OUTDATED...);
 * resolveReviewThread resolves a thread. Both need the Pull requests permission (an issue comment:
 * Issues or Pull requests) with write access, and the viewer must be allowed to moderate: here,
 * the comment's author or any token with write access, as for an App on its installation.
 */
export function mutationRoot(state: FakeState, who: Viewer): GqlObject {
  return gqlObject("Mutation", {
    minimizeComment: (args) => {
      const { subjectId, classifier, clientMutationId } = input(args);
      const node = threadId(subjectId) ? null : findNode(state, who, subjectId);
      if (!node) throw new GraphqlFieldError(`Could not resolve to a node with the global id of '${String(subjectId)}'`, "NOT_FOUND");
      need(who, node.kind === "issue" ? COMMENTS_WRITE : PULLS_WRITE);
      node.comment.minimizedReason = String(classifier);
      const minimized = node.kind === "issue" ? issueCommentObject(node.comment, who.actor) : reviewCommentObject(node.comment, who.actor);
      return gqlObject("MinimizeCommentPayload", {
        clientMutationId: () => clientMutationId ?? null,
        minimizedComment: () => minimized,
      });
    },
    resolveReviewThread: (args) => {
      const { threadId: id, clientMutationId } = input(args);
      const node = threadId(id) ? findNode(state, who, id) : null;
      if (node?.kind !== "review")
        throw new GraphqlFieldError(`Could not resolve to a node with the global id of '${String(id)}'`, "NOT_FOUND");
      need(who, PULLS_WRITE);
      node.comment.threadResolved = true;
      return gqlObject("ResolveReviewThreadPayload", {
        clientMutationId: () => clientMutationId ?? null,
        thread: () => threadObject(node.comment, who),
      });
    },
  });
}
