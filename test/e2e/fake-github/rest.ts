/**
 * The REST endpoints of the fake GitHub, with GitHub's validation where the app could get it
 * wrong: 50 annotations per check-run request, text limits (check run texts in UTF-8 bytes, bodies
 * in characters), review comments only on diff lines (the whole review rejected otherwise).
 */
import { patchLines, type PatchLines } from "./diff.js";
import {
  acceptFormat,
  actorJson,
  HttpError,
  nodeId,
  notFound,
  objectBody,
  paginate,
  repoJson,
  requireRepo,
  stringField,
  unprocessable,
  type Reply,
  type RequestContext,
} from "./http.js";
import { listInstallationRepositories } from "./installations.js";
import type { Requirement } from "./permissions.js";
import {
  diffTrees,
  gitBlobSha,
  isBinary,
  type Annotation,
  type CheckRun,
  type IssueComment,
  type PullRequest,
  type Repository,
  type Review,
  type ReviewComment,
} from "./state.js";

export const LIMITS = {
  annotationsPerRequest: 50,
  /** Check run summary and text: GitHub counts UTF-8 bytes here ("exceeds a maximum bytesize"). */
  checkTextBytes: 65_535,
  annotationMessageBytes: 65_535,
  annotationTitle: 255,
  /** Issue comment, review and review comment bodies: characters (code points). */
  commentBody: 65_536,
  actions: 3,
  prFiles: 3_000,
  contentsJsonBytes: 1024 * 1024,
  contentsRawBytes: 100 * 1024 * 1024,
} as const;

export interface Route {
  method: string;
  /** e.g. "/repos/{owner}/{repo}/pulls/{number}/files"; `{path+}` takes the rest of the path. */
  template: string;
  auth: "jwt" | "token";
  /** The installation permission GitHub requires (docs: "Permissions required for GitHub Apps"). */
  permission: Requirement;
  handle: (ctx: RequestContext) => Reply;
}

const META: Requirement = [["metadata", "read"]];
const PULLS_READ: Requirement = [["pull_requests", "read"]];
const PULLS_WRITE: Requirement = [["pull_requests", "write"]];
const CHECKS_READ: Requirement = [["checks", "read"]];
const CHECKS_WRITE: Requirement = [["checks", "write"]];
const CONTENTS_READ: Requirement = [["contents", "read"]];
/** Conversation comments on a pull request: the Issues or the Pull requests permission. */
const COMMENTS_READ: Requirement = [
  ["issues", "read"],
  ["pull_requests", "read"],
];
const COMMENTS_WRITE: Requirement = [
  ["issues", "write"],
  ["pull_requests", "write"],
];

const CHECK_CONCLUSIONS = ["action_required", "cancelled", "failure", "neutral", "success", "skipped", "stale", "timed_out"];
const CHECK_STATUSES = ["queued", "in_progress", "completed"];
const ANNOTATION_LEVELS = ["notice", "warning", "failure"];

/** GitHub's character count of a body: code points, not UTF-16 units. */
function characters(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

function num(ctx: RequestContext, key: string): number {
  const value = Number(ctx.params[key]);
  if (!Number.isSafeInteger(value)) throw notFound();
  return value;
}

function requirePull(ctx: RequestContext, repo: Repository): PullRequest {
  const pull = ctx.state.pull(repo, num(ctx, "number"));
  if (!pull) throw notFound();
  return pull;
}

function webBase(ctx: RequestContext): string {
  return ctx.restBase.replace(/\/api\/v3$/, "");
}

export function pullJson(ctx: RequestContext, pull: PullRequest): Record<string, unknown> {
  const repo = pull.repo;
  const full = `${repo.owner.login}/${repo.name}`;
  const side = (ref: string, sha: string, where = repo): Record<string, unknown> => ({
    label: `${where.owner.login}:${ref}`,
    ref,
    sha,
    user: actorJson(where.owner, ctx.restBase),
    repo: { ...repoJson(where, ctx.restBase), fork: where !== repo },
  });
  return {
    url: `${ctx.restBase}/repos/${full}/pulls/${pull.number}`,
    id: pull.id,
    node_id: nodeId("PullRequest", pull.id),
    html_url: `${webBase(ctx)}/${full}/pull/${pull.number}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: actorJson(pull.user, ctx.restBase),
    body: null,
    draft: pull.draft,
    created_at: pull.createdAt,
    updated_at: pull.createdAt,
    closed_at: null,
    merged_at: null,
    merge_commit_sha: null,
    // A fork's head names the fork; its commits are read from the base repository all the same.
    head: side(pull.headRef, pull.headSha, pull.headRepo ?? repo),
    base: side(pull.baseRef, pull.baseSha),
    author_association: "CONTRIBUTOR",
  };
}

function checkRunJson(ctx: RequestContext, run: CheckRun): Record<string, unknown> {
  const full = `${run.repo.owner.login}/${run.repo.name}`;
  // GitHub lists no pull requests on a check run whose head is a fork's (webhook docs, check_run).
  const pulls = ctx.state.pulls.filter((p) => p.repo === run.repo && p.state === "open" && p.headSha === run.headSha && !p.headRepo);
  return {
    id: run.id,
    node_id: nodeId("CheckRun", run.id),
    head_sha: run.headSha,
    external_id: run.externalId,
    url: `${ctx.restBase}/repos/${full}/check-runs/${run.id}`,
    html_url: `${webBase(ctx)}/${full}/runs/${run.id}`,
    details_url: run.detailsUrl,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.annotations.length,
      annotations_url: `${ctx.restBase}/repos/${full}/check-runs/${run.id}/annotations`,
    },
    name: run.name,
    check_suite: { id: 1 },
    app: { id: run.app.appId ?? run.app.id, slug: run.app.login.replace(/\[bot\]$/, ""), name: run.app.login },
    pull_requests: pulls.map((p) => ({
      id: p.id,
      number: p.number,
      url: `${ctx.restBase}/repos/${full}/pulls/${p.number}`,
      head: { ref: p.headRef, sha: p.headSha, repo: { id: run.repo.id, name: run.repo.name, url: `${ctx.restBase}/repos/${full}` } },
      base: { ref: p.baseRef, sha: p.baseSha, repo: { id: run.repo.id, name: run.repo.name, url: `${ctx.restBase}/repos/${full}` } },
    })),
  };
}

function reviewJson(ctx: RequestContext, review: Review): Record<string, unknown> {
  const full = `${review.pull.repo.owner.login}/${review.pull.repo.name}`;
  return {
    id: review.id,
    node_id: nodeId("PullRequestReview", review.id),
    user: actorJson(review.user, ctx.restBase),
    body: review.body,
    state: review.state,
    html_url: `${webBase(ctx)}/${full}/pull/${review.pull.number}#pullrequestreview-${review.id}`,
    pull_request_url: `${ctx.restBase}/repos/${full}/pulls/${review.pull.number}`,
    commit_id: review.commitId,
    submitted_at: review.state === "PENDING" ? undefined : review.submittedAt,
    author_association: "NONE",
  };
}

function reviewCommentJson(ctx: RequestContext, comment: ReviewComment): Record<string, unknown> {
  const full = `${comment.pull.repo.owner.login}/${comment.pull.repo.name}`;
  return {
    id: comment.id,
    node_id: nodeId("PullRequestReviewComment", comment.id),
    pull_request_review_id: comment.reviewId,
    path: comment.path,
    line: comment.line,
    original_line: comment.line,
    side: comment.side,
    start_line: comment.startLine,
    original_start_line: comment.startLine,
    start_side: comment.startSide,
    subject_type: comment.subjectType,
    body: comment.body,
    commit_id: comment.commitId,
    original_commit_id: comment.commitId,
    diff_hunk: comment.diffHunk,
    user: actorJson(comment.user, ctx.restBase),
    created_at: comment.createdAt,
    updated_at: comment.createdAt,
    html_url: `${webBase(ctx)}/${full}/pull/${comment.pull.number}#discussion_r${comment.id}`,
    pull_request_url: `${ctx.restBase}/repos/${full}/pulls/${comment.pull.number}`,
    author_association: "NONE",
  };
}

function issueCommentJson(ctx: RequestContext, comment: IssueComment): Record<string, unknown> {
  const full = `${comment.repo.owner.login}/${comment.repo.name}`;
  return {
    id: comment.id,
    node_id: nodeId("IssueComment", comment.id),
    url: `${ctx.restBase}/repos/${full}/issues/comments/${comment.id}`,
    html_url: `${webBase(ctx)}/${full}/pull/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${ctx.restBase}/repos/${full}/issues/${comment.issueNumber}`,
    body: comment.body,
    user: actorJson(comment.user, ctx.restBase),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: "NONE",
  };
}

function requireActor(ctx: RequestContext) {
  if (!ctx.actor) throw new HttpError(401, "Requires authentication");
  return ctx.actor;
}

// ---- check runs -----------------------------------------------------------------------------

function validateOutput(
  output: unknown,
  creating: boolean,
  errors: string[],
): { output: Record<string, unknown> | null; annotations: Annotation[] } {
  if (output === undefined) return { output: null, annotations: [] };
  if (typeof output !== "object" || output === null || Array.isArray(output)) {
    errors.push("output is not an object");
    return { output: null, annotations: [] };
  }
  const o = output as Record<string, unknown>;
  if (creating && typeof o.title !== "string") errors.push("output.title is missing");
  if (typeof o.summary !== "string") errors.push("output.summary is missing");
  for (const key of ["summary", "text"] as const) {
    const value = o[key];
    if (typeof value === "string" && Buffer.byteLength(value, "utf8") > LIMITS.checkTextBytes) {
      errors.push(`${key} exceeds a maximum bytesize of ${LIMITS.checkTextBytes}`);
    }
  }
  const annotations: Annotation[] = [];
  if (o.annotations !== undefined) {
    if (!Array.isArray(o.annotations)) errors.push("output.annotations is not an array");
    else {
      if (o.annotations.length > LIMITS.annotationsPerRequest) {
        errors.push(
          `output.annotations: only ${LIMITS.annotationsPerRequest} annotations are allowed per request (got ${o.annotations.length})`,
        );
      }
      o.annotations.forEach((raw: unknown, index: number) => {
        const a = (raw ?? {}) as Record<string, unknown>;
        const where = `output.annotations[${index}]`;
        if (typeof a.path !== "string" || a.path === "") errors.push(`${where}.path is missing`);
        if (!Number.isInteger(a.start_line) || (a.start_line as number) < 1) errors.push(`${where}.start_line is invalid`);
        if (!Number.isInteger(a.end_line) || (a.end_line as number) < (a.start_line as number)) errors.push(`${where}.end_line is invalid`);
        if (!ANNOTATION_LEVELS.includes(String(a.annotation_level))) errors.push(`${where}.annotation_level is invalid`);
        if (typeof a.message !== "string" || a.message === "") errors.push(`${where}.message is missing`);
        else if (Buffer.byteLength(a.message) > LIMITS.annotationMessageBytes) errors.push(`${where}.message is too long`);
        if (typeof a.title === "string" && a.title.length > LIMITS.annotationTitle)
          errors.push(`${where}.title is too long (maximum is 255 characters)`);
        if (typeof a.raw_details === "string" && Buffer.byteLength(a.raw_details) > LIMITS.annotationMessageBytes)
          errors.push(`${where}.raw_details is too long`);
        if ((a.start_column !== undefined || a.end_column !== undefined) && a.start_line !== a.end_line) {
          errors.push(`${where}: start_column and end_column are only allowed when start_line equals end_line`);
        }
        annotations.push(a as unknown as Annotation);
      });
    }
  }
  return { output: o, annotations };
}

function validateActions(actions: unknown, errors: string[]): void {
  if (actions === undefined) return;
  if (!Array.isArray(actions)) {
    errors.push("actions is not an array");
    return;
  }
  if (actions.length > LIMITS.actions) errors.push(`actions: at most ${LIMITS.actions} are allowed`);
  actions.forEach((raw: unknown, index: number) => {
    const a = (raw ?? {}) as Record<string, unknown>;
    if (typeof a.label !== "string" || a.label.length > 20) errors.push(`actions[${index}].label is invalid (max 20 characters)`);
    if (typeof a.description !== "string" || a.description.length > 40)
      errors.push(`actions[${index}].description is invalid (max 40 characters)`);
    if (typeof a.identifier !== "string" || a.identifier.length > 20)
      errors.push(`actions[${index}].identifier is invalid (max 20 characters)`);
  });
}

function applyCheckBody(run: CheckRun, body: Record<string, unknown>, creating: boolean): void {
  const errors: string[] = [];
  if (body.status !== undefined && !CHECK_STATUSES.includes(String(body.status)))
    errors.push(`status is not one of ${CHECK_STATUSES.join(", ")}`);
  if (body.conclusion !== undefined && body.conclusion !== null && !CHECK_CONCLUSIONS.includes(String(body.conclusion))) {
    errors.push(`conclusion is not one of ${CHECK_CONCLUSIONS.join(", ")}`);
  }
  if (body.status === "completed" && (body.conclusion === undefined || body.conclusion === null) && run.conclusion === null) {
    errors.push("conclusion is required when status is completed");
  }
  for (const key of ["started_at", "completed_at"]) {
    const value = body[key];
    if (value !== undefined && (typeof value !== "string" || Number.isNaN(Date.parse(value))))
      errors.push(`${key} is not an ISO 8601 timestamp`);
  }
  const { output, annotations } = validateOutput(body.output, creating, errors);
  validateActions(body.actions, errors);
  if (errors.length > 0) throw unprocessable(errors, "Invalid request.");

  if (typeof body.name === "string") run.name = body.name;
  if (typeof body.external_id === "string") run.externalId = body.external_id;
  if (typeof body.details_url === "string") run.detailsUrl = body.details_url;
  if (typeof body.started_at === "string") run.startedAt = body.started_at;
  if (typeof body.status === "string") run.status = body.status as CheckRun["status"];
  if (typeof body.conclusion === "string") {
    run.conclusion = body.conclusion;
    run.status = "completed";
  }
  if (run.status === "completed" && !run.completedAt)
    run.completedAt = typeof body.completed_at === "string" ? body.completed_at : new Date().toISOString();
  if (output) {
    if (typeof output.title === "string") run.output.title = output.title;
    if (typeof output.summary === "string") run.output.summary = output.summary;
    if (typeof output.text === "string") run.output.text = output.text;
    run.annotations.push(...annotations);
  }
  if (Array.isArray(body.actions)) run.actions = body.actions;
  run.history.push(structuredClone(body));
}

const createCheckRun: Route["handle"] = (ctx) => {
  const repo = requireRepo(ctx);
  const actor = requireActor(ctx);
  const body = objectBody(ctx);
  const errors: string[] = [];
  const name = stringField(body, "name");
  const headSha = stringField(body, "head_sha");
  if (!name) errors.push("name is missing");
  if (!headSha) errors.push("head_sha is missing");
  if (errors.length > 0) throw unprocessable(errors, "Invalid request.");
  if (!repo.commits.has(headSha ?? "") || !ctx.state.visible(headSha ?? "")) {
    throw unprocessable([`No commit found for SHA: ${headSha}`], `No commit found for SHA: ${headSha}`);
  }
  const run: CheckRun = {
    id: ctx.state.nextId("check-run", 7000),
    repo,
    app: actor,
    name: name ?? "",
    headSha: headSha ?? "",
    externalId: null,
    detailsUrl: null,
    status: "queued",
    conclusion: null,
    startedAt: null,
    completedAt: null,
    output: { title: null, summary: null, text: null },
    annotations: [],
    actions: [],
    history: [],
  };
  applyCheckBody(run, body, true);
  if (!run.startedAt) run.startedAt = new Date().toISOString();
  ctx.state.checkRuns.push(run);
  return { status: 201, body: checkRunJson(ctx, run) };
};

function requireCheckRun(ctx: RequestContext, repo: Repository): CheckRun {
  const id = num(ctx, "id");
  const run = ctx.state.checkRuns.find((r) => r.id === id && r.repo === repo);
  if (!run) throw notFound();
  return run;
}

const updateCheckRun: Route["handle"] = (ctx) => {
  const repo = requireRepo(ctx);
  const actor = requireActor(ctx);
  const run = requireCheckRun(ctx, repo);
  if (run.app.id !== actor.id)
    throw new HttpError(403, `Invalid app_id \`${actor.id}\` - check run can only be modified by the GitHub App that created it.`);
  applyCheckBody(run, objectBody(ctx), false);
  return { status: 200, body: checkRunJson(ctx, run) };
};

const getCheckRun: Route["handle"] = (ctx) => {
  const repo = requireRepo(ctx);
  return { status: 200, body: checkRunJson(ctx, requireCheckRun(ctx, repo)) };
};

const listCheckRunAnnotations: Route["handle"] = (ctx) => {
  const repo = requireRepo(ctx);
  const { page, headers } = paginate(ctx, requireCheckRun(ctx, repo).annotations);
  return { status: 200, headers, body: page };
};

const listCheckRunsForRef: Route["handle"] = (ctx) => {
  const repo = requireRepo(ctx);
  const commit = ctx.state.resolveRef(repo, ctx.params.ref ?? "");
  if (!commit || !ctx.state.visible(commit.sha))
    throw unprocessable([`No commit found for SHA: ${ctx.params.ref}`], `No commit found for SHA: ${ctx.params.ref}`);
  let runs = ctx.state.checkRuns.filter((r) => r.repo === repo && r.headSha === commit.sha);
  const checkName = ctx.query.get("check_name");
  if (checkName) runs = runs.filter((r) => r.name === checkName);
  const status = ctx.query.get("status");
  if (status) runs = runs.filter((r) => r.status === status);
  const appId = ctx.query.get("app_id");
  if (appId) runs = runs.filter((r) => String(r.app.appId ?? r.app.id) === appId);
  runs = [...runs].sort((a, b) => b.id - a.id);
  if ((ctx.query.get("filter") ?? "latest") === "latest") {
    const seen = new Set<string>();
    runs = runs.filter((r) => {
      if (seen.has(r.name)) return false;
      seen.add(r.name);
      return true;
    });
  }
  const { page, headers } = paginate(ctx, runs);
  return { status: 200, headers, body: { total_count: runs.length, check_runs: page.map((r) => checkRunJson(ctx, r)) } };
};

// ---- commits -----------------------------------------------------------------------------------

function commitJson(ctx: RequestContext, repo: Repository, sha: string): Record<string, unknown> {
  const commit = repo.commits.get(sha);
  return {
    sha,
    node_id: nodeId("Commit", sha),
    url: `${ctx.restBase}/repos/${repo.owner.login}/${repo.name}/commits/${sha}`,
    commit: { message: commit?.message ?? "" },
    parents: (commit?.parents ?? []).map((parent) => ({ sha: parent })),
  };
}

/** GET /compare/{base}...{head}: the merge base and the files from it to the head (three dots). */
const compareCommits: Route["handle"] = (ctx) => {
  const repo = requireRepo(ctx);
  const basehead = ctx.params.basehead ?? "";
  const match = /^(.+?)\.\.\.(.+)$/.exec(basehead);
  if (!match) throw notFound();
  const base = ctx.state.resolveRef(repo, match[1]);
  const head = ctx.state.resolveRef(repo, match[2]);
  if (!base || !head || !ctx.state.visible(head.sha)) throw notFound();
  const mergeBase = ctx.state.mergeBase(repo, base.sha, head.sha);
  if (!mergeBase) throw notFound();
  const files = diffTrees(repo.commits.get(mergeBase)!.files, head.files);
  const ahead: string[] = [];
  for (let sha: string | undefined = head.sha; sha && sha !== mergeBase; sha = repo.commits.get(sha)?.parents[0]) ahead.push(sha);
  let behindBy = 0;
  for (let sha: string | undefined = base.sha; sha && sha !== mergeBase; sha = repo.commits.get(sha)?.parents[0]) behindBy++;
  const status = ahead.length === 0 && behindBy === 0 ? "identical" : behindBy === 0 ? "ahead" : ahead.length === 0 ? "behind" : "diverged";
  const { page, headers } = paginate(ctx, ahead.reverse());
  return {
    status: 200,
    headers,
    body: {
      base_commit: commitJson(ctx, repo, base.sha),
      merge_base_commit: commitJson(ctx, repo, mergeBase),
      status,
      ahead_by: ahead.length,
      behind_by: behindBy,
      total_commits: ahead.length,
      commits: page.map((sha) => commitJson(ctx, repo, sha)),
      files: files.slice(0, 300),
    },
  };
};

// ---- pull requests --------------------------------------------------------------------------

const getPull: Route["handle"] = (ctx) => {
  const repo = requireRepo(ctx);
  return { status: 200, body: pullJson(ctx, requirePull(ctx, repo)) };
};

const listPulls: Route["handle"] = (ctx) => {
  const repo = requireRepo(ctx);
  const state = ctx.query.get("state") ?? "open";
  let pulls = ctx.state.pulls.filter((p) => p.repo === repo && (state === "all" || p.state === state));
  const head = ctx.query.get("head");
  if (head) pulls = pulls.filter((p) => `${(p.headRepo ?? repo).owner.login}:${p.headRef}` === head);
  const base = ctx.query.get("base");
  if (base) pulls = pulls.filter((p) => p.baseRef === base);
  const direction = ctx.query.get("direction") ?? "desc";
  pulls = [...pulls].sort((a, b) => (direction === "asc" ? a.id - b.id : b.id - a.id));
  const { page, headers } = paginate(ctx, pulls);
  return { status: 200, headers, body: page.map((p) => pullJson(ctx, p)) };
};

const listPullFiles: Route["handle"] = (ctx) => {
  const repo = requireRepo(ctx);
  const pull = requirePull(ctx, repo);
  const files = ctx.state.pullFiles(pull);
  const full = `${repo.owner.login}/${repo.name}`;
  const { page, headers } = paginate(ctx, files, { maxItems: LIMITS.prFiles });
  return {
    status: 200,
    headers,
    body: page.map((f) => ({
      ...f,
      blob_url: `${webBase(ctx)}/${full}/blob/${pull.headSha}/${f.filename}`,
      raw_url: `${webBase(ctx)}/${full}/raw/${pull.headSha}/${f.filename}`,
      contents_url: `${ctx.restBase}/repos/${full}/contents/${encodeURIComponent(f.filename)}?ref=${pull.headSha}`,
    })),
  };
};

const listPullsForCommit: Route["handle"] = (ctx) => {
  const repo = requireRepo(ctx);
  const commit = ctx.state.resolveRef(repo, ctx.params.sha ?? "");
  if (!commit) throw unprocessable([`No commit found for SHA: ${ctx.params.sha}`], `No commit found for SHA: ${ctx.params.sha}`);
  const pulls = ctx.state.pulls.filter((p) => p.repo === repo && p.headHistory.includes(commit.sha)).sort((a, b) => b.id - a.id);
  const { page, headers } = paginate(ctx, pulls);
  return { status: 200, headers, body: page.map((p) => pullJson(ctx, p)) };
};

/** The RIGHT/LEFT lines of each file's patch at `commitId`. */
function diffLinesAt(ctx: RequestContext, pull: PullRequest, commitId: string): Map<string, { lines: PatchLines; patch: string }> {
  const map = new Map<string, { lines: PatchLines; patch: string }>();
  for (const file of ctx.state.pullFiles(pull, commitId)) {
    if (file.patch === undefined) continue;
    map.set(file.filename, { lines: patchLines(file.patch), patch: file.patch });
  }
  return map;
}

function hunkText(patch: string, hunkIndex: number): string {
  const hunks = patch.split(/\n(?=@@ )/);
  return hunks[hunkIndex] ?? "";
}

type PlannedComment = Omit<ReviewComment, "id" | "reviewId">;

/**
 * One comment of a review, or a single review comment, checked against the diff at `commitId`:
 * a line comment on a diff line (same hunk for a range); a file-level comment (`subject_type: file`,
 * only for a single comment) on a file of the diff, with no line. Null (and `errors`) when invalid.
 */
function planComment(
  raw: unknown,
  ctx: RequestContext,
  pull: PullRequest,
  commitId: string,
  diff: Map<string, { lines: PatchLines; patch: string }>,
  errors: string[],
  options: { fileLevel: boolean },
): PlannedComment | null {
  const actor = requireActor(ctx);
  const c = (raw ?? {}) as Record<string, unknown>;
  if (typeof c.body !== "string" || c.body === "") {
    errors.push("Review comment body is missing");
    return null;
  }
  if (characters(c.body) > LIMITS.commentBody) errors.push(`Review comment body is too long (maximum is ${LIMITS.commentBody} characters)`);
  const path = typeof c.path === "string" ? c.path : "";
  const common = { pull, user: actor, path, body: c.body, commitId, createdAt: new Date().toISOString() };
  if (c.subject_type !== undefined) {
    // A review's own comments take no subject_type (docs: "Create a review for a pull request").
    if (!options.fileLevel) {
      errors.push("subject_type is not a parameter of a review's comments; post a file-level comment on its own");
      return null;
    }
    if (c.subject_type !== "line" && c.subject_type !== "file") {
      errors.push("subject_type is not one of line, file");
      return null;
    }
  }
  if (c.subject_type === "file") {
    for (const key of ["line", "start_line", "position", "side", "start_side"]) {
      if (c[key] !== undefined && c[key] !== null) errors.push(`${key} is not allowed when subject_type is file`);
    }
    if (!ctx.state.pullFiles(pull, commitId).some((f) => f.filename === path)) {
      errors.push("Path could not be resolved");
      return null;
    }
    return { ...common, line: null, side: "RIGHT", startLine: null, startSide: null, subjectType: "file", diffHunk: "" };
  }
  const file = diff.get(path);
  if (!file) {
    errors.push("Path could not be resolved");
    return null;
  }
  let line: number;
  let side: "LEFT" | "RIGHT";
  if (c.line === undefined && Number.isInteger(c.position)) {
    // Legacy `position`: the n-th line below the first hunk header.
    const rows = file.patch.split("\n");
    const row = rows[c.position as number];
    const resolved = row === undefined ? null : positionToLine(rows, c.position as number);
    if (!resolved) {
      errors.push("Pull request review thread position is invalid");
      return null;
    }
    ({ line, side } = resolved);
  } else {
    if (!Number.isInteger(c.line)) {
      errors.push("Pull request review thread line must be part of the diff");
      return null;
    }
    line = c.line as number;
    side = c.side === "LEFT" ? "LEFT" : "RIGHT";
    if (c.side !== undefined && c.side !== "LEFT" && c.side !== "RIGHT") errors.push("side is not one of LEFT, RIGHT");
  }
  const lines = side === "RIGHT" ? file.lines.right : file.lines.left;
  const hunk = lines.get(line);
  if (hunk === undefined) {
    errors.push("Pull request review thread line must be part of the diff");
    return null;
  }
  let startLine: number | null = null;
  let startSide: "LEFT" | "RIGHT" | null = null;
  if (c.start_line !== undefined && c.start_line !== null) {
    startLine = Number(c.start_line);
    startSide = c.start_side === "LEFT" ? "LEFT" : c.start_side === "RIGHT" ? "RIGHT" : side;
    const startHunk = (startSide === "RIGHT" ? file.lines.right : file.lines.left).get(startLine);
    if (!Number.isInteger(startLine) || startLine >= line) errors.push("Pull request review thread start line must precede the end line");
    else if (startHunk === undefined) errors.push("Pull request review thread start line must be part of the diff");
    else if (startHunk !== hunk) errors.push("Pull request review thread start line must be part of the same hunk as the line.");
  }
  return { ...common, line, side, startLine, startSide, subjectType: "line", diffHunk: hunkText(file.patch, hunk) };
}

function storeReview(ctx: RequestContext, pull: PullRequest, body: string, state: Review["state"], commitId: string): Review {
  const review: Review = {
    id: ctx.state.nextId("review", 3000),
    pull,
    user: requireActor(ctx),
    body,
    state,
    commitId,
    submittedAt: new Date().toISOString(),
  };
  ctx.state.reviews.push(review);
  return review;
}

const createReview: Route["handle"] = (ctx) => {
  const repo = requireRepo(ctx);
  requireActor(ctx);
  const pull = requirePull(ctx, repo);
  const body = objectBody(ctx);
  const errors: string[] = [];
  const event = body.event;
  if (event !== undefined && !["APPROVE", "REQUEST_CHANGES", "COMMENT"].includes(String(event)))
    errors.push("event is not one of APPROVE, REQUEST_CHANGES, COMMENT");
  const reviewBody = typeof body.body === "string" ? body.body : "";
  if ((event === "REQUEST_CHANGES" || event === "COMMENT") && reviewBody.trim() === "") errors.push("Body is required for this event");
  if (characters(reviewBody) > LIMITS.commentBody) errors.push(`Body is too long (maximum is ${LIMITS.commentBody} characters)`);
  const commitId = typeof body.commit_id === "string" ? body.commit_id : pull.headSha;
  if (!pull.headHistory.includes(commitId)) throw unprocessable(["commit_id is not part of the pull request"]);
  const diff = diffLinesAt(ctx, pull, commitId);
  const rawComments = body.comments === undefined ? [] : body.comments;
  if (!Array.isArray(rawComments)) throw unprocessable(["comments is not an array"]);
  const planned: PlannedComment[] = [];
  for (const raw of rawComments as unknown[]) {
    const comment = planComment(raw, ctx, pull, commitId, diff, errors, { fileLevel: false });
    if (comment) planned.push(comment);
  }
  // GitHub rejects the whole review when any comment is invalid: nothing is stored.
  if (errors.length > 0) throw unprocessable(errors);
  const state: Review["state"] =
    event === "APPROVE" ? "APPROVED" : event === "REQUEST_CHANGES" ? "CHANGES_REQUESTED" : event === "COMMENT" ? "COMMENTED" : "PENDING";
  const review = storeReview(ctx, pull, reviewBody, state, commitId);
  for (const comment of planned)
    ctx.state.reviewComments.push({ ...comment, id: ctx.state.nextId("review-comment", 4000), reviewId: review.id });
  return { status: 200, body: reviewJson(ctx, review) };
};

/** POST /pulls/{n}/comments: one review comment (line or file-level), in a review of its own. */
const createReviewComment: Route["handle"] = (ctx) => {
  const repo = requireRepo(ctx);
  requireActor(ctx);
  const pull = requirePull(ctx, repo);
  const body = objectBody(ctx);
  if (body.in_reply_to !== undefined) throw unprocessable(["the fake GitHub does not model replies (in_reply_to)"]);
  const commitId = stringField(body, "commit_id");
  if (!commitId) throw unprocessable([{ resource: "PullRequestReviewComment", code: "missing_field", field: "commit_id" }]);
  if (!pull.headHistory.includes(commitId)) throw unprocessable(["commit_id is not part of the pull request"]);
  const errors: string[] = [];
  const comment = planComment(body, ctx, pull, commitId, diffLinesAt(ctx, pull, commitId), errors, { fileLevel: true });
  if (!comment || errors.length > 0) throw unprocessable(errors);
  const review = storeReview(ctx, pull, "", "COMMENTED", commitId);
  const stored: ReviewComment = { ...comment, id: ctx.state.nextId("review-comment", 4000), reviewId: review.id };
  ctx.state.reviewComments.push(stored);
  return { status: 201, body: reviewCommentJson(ctx, stored) };
};

function positionToLine(rows: string[], position: number): { line: number; side: "LEFT" | "RIGHT" } | null {
  let oldNo = 0;
  let newNo = 0;
  for (let i = 0; i <= position && i < rows.length; i++) {
    const row = rows[i] ?? "";
    const header = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(row);
    if (header) {
      oldNo = Number(header[1]);
      newNo = Number(header[2]);
      if (i === position) return null;
      continue;
    }
    if (i === position) {
      if (row.startsWith("-")) return { line: oldNo, side: "LEFT" };
      if (row.startsWith("+") || row.startsWith(" ")) return { line: newNo, side: "RIGHT" };
      return null;
    }
    if (row.startsWith("-")) oldNo++;
    else if (row.startsWith("+")) newNo++;
    else if (row.startsWith(" ")) {
      oldNo++;
      newNo++;
    }
  }
  return null;
}

const listReviews: Route["handle"] = (ctx) => {
  const repo = requireRepo(ctx);
  const pull = requirePull(ctx, repo);
  const { page, headers } = paginate(
    ctx,
    ctx.state.reviews.filter((r) => r.pull === pull),
  );
  return { status: 200, headers, body: page.map((r) => reviewJson(ctx, r)) };
};

const listReviewComments: Route["handle"] = (ctx) => {
  const repo = requireRepo(ctx);
  const pull = requirePull(ctx, repo);
  const { page, headers } = paginate(
    ctx,
    ctx.state.reviewComments.filter((c) => c.pull === pull),
  );
  return { status: 200, headers, body: page.map((c) => reviewCommentJson(ctx, c)) };
};

// ---- issue comments -------------------------------------------------------------------------

function validateCommentBody(body: Record<string, unknown>): string {
  const text = body.body;
  if (typeof text !== "string" || text === "")
    throw unprocessable([{ resource: "IssueComment", code: "missing_field", field: "body" }], "Validation Failed");
  if (characters(text) > LIMITS.commentBody) {
    throw unprocessable(
      [
        {
          resource: "IssueComment",
          code: "unprocessable",
          field: "data",
          message: `Body is too long (maximum is ${LIMITS.commentBody} characters)`,
        },
      ],
      "Validation Failed",
    );
  }
  return text;
}

const listIssueComments: Route["handle"] = (ctx) => {
  const repo = requireRepo(ctx);
  const number = num(ctx, "number");
  if (!ctx.state.pull(repo, number)) throw notFound();
  const comments = ctx.state.issueComments.filter((c) => c.repo === repo && c.issueNumber === number);
  const { page, headers } = paginate(ctx, comments);
  return { status: 200, headers, body: page.map((c) => issueCommentJson(ctx, c)) };
};

const createIssueComment: Route["handle"] = (ctx) => {
  const repo = requireRepo(ctx);
  const actor = requireActor(ctx);
  const number = num(ctx, "number");
  if (!ctx.state.pull(repo, number)) throw notFound();
  const text = validateCommentBody(objectBody(ctx));
  const now = new Date().toISOString();
  const comment: IssueComment = {
    id: ctx.state.nextId("issue-comment", 6000),
    repo,
    issueNumber: number,
    user: actor,
    body: text,
    createdAt: now,
    updatedAt: now,
    edits: [],
  };
  ctx.state.issueComments.push(comment);
  return { status: 201, body: issueCommentJson(ctx, comment) };
};

function requireIssueComment(ctx: RequestContext, repo: Repository): IssueComment {
  const id = num(ctx, "id");
  const comment = ctx.state.issueComments.find((c) => c.id === id && c.repo === repo);
  if (!comment) throw notFound();
  return comment;
}

const getIssueComment: Route["handle"] = (ctx) => {
  const repo = requireRepo(ctx);
  return { status: 200, body: issueCommentJson(ctx, requireIssueComment(ctx, repo)) };
};

const updateIssueComment: Route["handle"] = (ctx) => {
  const repo = requireRepo(ctx);
  requireActor(ctx);
  const comment = requireIssueComment(ctx, repo);
  const text = validateCommentBody(objectBody(ctx));
  comment.edits.push(comment.body);
  comment.body = text;
  comment.updatedAt = new Date().toISOString();
  return { status: 200, body: issueCommentJson(ctx, comment) };
};

/** DELETE a conversation comment: only its author's token may (an App may delete its own). */
const deleteIssueComment: Route["handle"] = (ctx) => {
  const repo = requireRepo(ctx);
  const actor = requireActor(ctx);
  const comment = requireIssueComment(ctx, repo);
  if (comment.user.id !== actor.id) throw new HttpError(403, "Resource not accessible by integration");
  ctx.state.issueComments.splice(ctx.state.issueComments.indexOf(comment), 1);
  return { status: 204, body: null };
};

// ---- contents and blobs ---------------------------------------------------------------------

const getContents: Route["handle"] = (ctx): Reply => {
  const repo = requireRepo(ctx);
  const ref = ctx.query.get("ref");
  const commit = ctx.state.resolveRef(repo, ref);
  if (!commit) throw new HttpError(404, `No commit found for the ref ${ref ?? repo.defaultBranch}`);
  const path = (ctx.params.path ?? "").replace(/^\/+|\/+$/g, "");
  const full = `${repo.owner.login}/${repo.name}`;
  const format = acceptFormat(ctx);
  const content = commit.files.get(path);
  if (content) {
    const sha = gitBlobSha(content);
    if (format === "raw") {
      if (content.length > LIMITS.contentsRawBytes)
        throw new HttpError(403, "This API returns blobs up to 100 MB in size.", { errors: [{ code: "too_large" }] });
      return { status: 200, headers: { "content-type": "text/plain; charset=utf-8", etag: `"${sha}"` }, body: content };
    }
    const tooLarge = content.length > LIMITS.contentsJsonBytes;
    if (tooLarge && format === "json") {
      throw new HttpError(
        403,
        "This API returns blobs up to 1 MB in size. The requested blob is too large to fetch via the API, but you can use the Git Data API to request blobs up to 100 MB in size.",
        {
          errors: [{ resource: "Blob", field: "data", code: "too_large" }],
        },
      );
    }
    return {
      status: 200,
      body: {
        type: "file",
        encoding: tooLarge ? "none" : "base64",
        size: content.length,
        name: path.split("/").pop(),
        path,
        content: tooLarge ? "" : `${(content.toString("base64").match(/.{1,60}/g) ?? []).join("\n")}\n`,
        sha,
        url: `${ctx.restBase}/repos/${full}/contents/${path}?ref=${commit.sha}`,
        git_url: `${ctx.restBase}/repos/${full}/git/blobs/${sha}`,
        html_url: `${webBase(ctx)}/${full}/blob/${commit.sha}/${path}`,
        download_url: `${webBase(ctx)}/${full}/raw/${commit.sha}/${path}`,
      },
    };
  }
  // A directory: list its direct children (JSON even for the raw media type, as on GitHub).
  const prefix = path === "" ? "" : `${path}/`;
  const children = new Map<string, "file" | "dir">();
  for (const file of commit.files.keys()) {
    if (!file.startsWith(prefix)) continue;
    const rest = file.slice(prefix.length);
    const [first, ...more] = rest.split("/");
    if (first) children.set(first, more.length > 0 ? "dir" : "file");
  }
  if (children.size === 0) throw notFound();
  return {
    status: 200,
    headers: { "content-type": "application/json; charset=utf-8" },
    body: [...children.entries()].sort().map(([name, type]) => ({
      type,
      name,
      path: `${prefix}${name}`,
      sha: type === "file" ? gitBlobSha(commit.files.get(`${prefix}${name}`) ?? Buffer.alloc(0)) : "0".repeat(40),
      size: type === "file" ? (commit.files.get(`${prefix}${name}`)?.length ?? 0) : 0,
    })),
  };
};

const getBlob: Route["handle"] = (ctx) => {
  const repo = requireRepo(ctx);
  const sha = (ctx.params.sha ?? "").toLowerCase();
  const content = repo.blobs.get(sha);
  if (!content) throw notFound();
  if (acceptFormat(ctx) === "raw") {
    return {
      status: 200,
      headers: { "content-type": isBinary(content) ? "application/octet-stream" : "text/plain; charset=utf-8" },
      body: content,
    };
  }
  return {
    status: 200,
    body: {
      sha,
      node_id: nodeId("Blob", sha),
      size: content.length,
      url: `${ctx.restBase}/repos/${repo.owner.login}/${repo.name}/git/blobs/${sha}`,
      content: `${(content.toString("base64").match(/.{1,60}/g) ?? []).join("\n")}\n`,
      encoding: "base64",
    },
  };
};

const getRepo: Route["handle"] = (ctx) => ({ status: 200, body: repoJson(requireRepo(ctx), ctx.restBase) });

export const REST_ROUTES: Route[] = [
  // Every installation token has metadata: read, the only permission this listing needs.
  { method: "GET", template: "/installation/repositories", auth: "token", permission: META, handle: listInstallationRepositories },
  { method: "GET", template: "/repos/{owner}/{repo}", auth: "token", permission: META, handle: getRepo },
  { method: "GET", template: "/repos/{owner}/{repo}/pulls", auth: "token", permission: PULLS_READ, handle: listPulls },
  { method: "GET", template: "/repos/{owner}/{repo}/pulls/{number}", auth: "token", permission: PULLS_READ, handle: getPull },
  { method: "GET", template: "/repos/{owner}/{repo}/pulls/{number}/files", auth: "token", permission: PULLS_READ, handle: listPullFiles },
  { method: "GET", template: "/repos/{owner}/{repo}/pulls/{number}/reviews", auth: "token", permission: PULLS_READ, handle: listReviews },
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/pulls/{number}/reviews",
    auth: "token",
    permission: PULLS_WRITE,
    handle: createReview,
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/pulls/{number}/comments",
    auth: "token",
    permission: PULLS_READ,
    handle: listReviewComments,
  },
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/pulls/{number}/comments",
    auth: "token",
    permission: PULLS_WRITE,
    handle: createReviewComment,
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/commits/{sha}/pulls",
    auth: "token",
    permission: PULLS_READ,
    handle: listPullsForCommit,
  },
  { method: "GET", template: "/repos/{owner}/{repo}/compare/{basehead}", auth: "token", permission: CONTENTS_READ, handle: compareCommits },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/commits/{ref}/check-runs",
    auth: "token",
    permission: CHECKS_READ,
    handle: listCheckRunsForRef,
  },
  { method: "POST", template: "/repos/{owner}/{repo}/check-runs", auth: "token", permission: CHECKS_WRITE, handle: createCheckRun },
  { method: "GET", template: "/repos/{owner}/{repo}/check-runs/{id}", auth: "token", permission: CHECKS_READ, handle: getCheckRun },
  { method: "PATCH", template: "/repos/{owner}/{repo}/check-runs/{id}", auth: "token", permission: CHECKS_WRITE, handle: updateCheckRun },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/check-runs/{id}/annotations",
    auth: "token",
    permission: CHECKS_READ,
    handle: listCheckRunAnnotations,
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/issues/{number}/comments",
    auth: "token",
    permission: COMMENTS_READ,
    handle: listIssueComments,
  },
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/issues/{number}/comments",
    auth: "token",
    permission: COMMENTS_WRITE,
    handle: createIssueComment,
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/issues/comments/{id}",
    auth: "token",
    permission: COMMENTS_READ,
    handle: getIssueComment,
  },
  {
    method: "PATCH",
    template: "/repos/{owner}/{repo}/issues/comments/{id}",
    auth: "token",
    permission: COMMENTS_WRITE,
    handle: updateIssueComment,
  },
  {
    method: "DELETE",
    template: "/repos/{owner}/{repo}/issues/comments/{id}",
    auth: "token",
    permission: COMMENTS_WRITE,
    handle: deleteIssueComment,
  },
  { method: "GET", template: "/repos/{owner}/{repo}/contents/{path+}", auth: "token", permission: CONTENTS_READ, handle: getContents },
  { method: "GET", template: "/repos/{owner}/{repo}/contents", auth: "token", permission: CONTENTS_READ, handle: getContents },
  { method: "GET", template: "/repos/{owner}/{repo}/git/blobs/{sha}", auth: "token", permission: CONTENTS_READ, handle: getBlob },
];
