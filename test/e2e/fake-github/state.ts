/**
 * In-memory state of the fake GitHub: repositories with commits (sha → full file map), pull
 * requests between two commits, and what an app posted (check runs, reviews, review comments,
 * issue comments). Ids are sequential per kind; SHAs are real git blob SHAs for files and
 * deterministic 40-hex strings for commits and trees.
 */
import { createHash } from "node:crypto";
import { patchLines, unifiedPatch, splitLines } from "./diff.js";

export interface Actor {
  login: string;
  id: number;
  type: "User" | "Bot";
  /** For an app's bot: the App's id, which check runs name as their `app.id` (not the bot user's id). */
  appId?: number;
}

export interface Commit {
  sha: string;
  parents: string[];
  message: string;
  files: Map<string, Buffer>;
}

export interface Repository {
  id: number;
  owner: Actor;
  name: string;
  defaultBranch: string;
  installationId: number;
  branches: Map<string, string>;
  commits: Map<string, Commit>;
  /** Blob sha → content, for the git blobs API. */
  blobs: Map<string, Buffer>;
}

export interface PullRequest {
  id: number;
  number: number;
  repo: Repository;
  /**
   * A fork's pull request: the repository the head branch lives in. Its commits are also in `repo`
   * (GitHub keeps them under refs/pull/N/head), so they are read from the base repository.
   */
  headRepo?: Repository;
  title: string;
  user: Actor;
  state: "open" | "closed";
  draft: boolean;
  baseRef: string;
  headRef: string;
  baseSha: string;
  headSha: string;
  /** Every head SHA the pull request has had, oldest first. */
  headHistory: string[];
  createdAt: string;
}

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRun {
  id: number;
  repo: Repository;
  app: Actor;
  name: string;
  headSha: string;
  externalId: string | null;
  detailsUrl: string | null;
  status: "queued" | "in_progress" | "completed";
  conclusion: string | null;
  startedAt: string | null;
  completedAt: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: Annotation[];
  actions: unknown[];
  /** Every request body received for this run, in order (create, then each update). */
  history: Record<string, unknown>[];
}

export interface Review {
  id: number;
  pull: PullRequest;
  user: Actor;
  body: string;
  state: "COMMENTED" | "APPROVED" | "CHANGES_REQUESTED" | "PENDING";
  commitId: string;
  submittedAt: string;
}

export interface ReviewComment {
  id: number;
  reviewId: number;
  pull: PullRequest;
  user: Actor;
  path: string;
  body: string;
  /** Null on a file-level comment (`subject_type: file`). */
  line: number | null;
  side: "LEFT" | "RIGHT";
  startLine: number | null;
  startSide: "LEFT" | "RIGHT" | null;
  subjectType: "line" | "file";
  commitId: string;
  diffHunk: string;
  createdAt: string;
  /** Every top-level comment opens a thread (replies are not modelled): resolved through GraphQL. */
  threadResolved?: boolean;
  /** Set by minimizeComment (OUTDATED, RESOLVED, ...). */
  minimizedReason?: string | null;
}

export interface IssueComment {
  id: number;
  repo: Repository;
  issueNumber: number;
  user: Actor;
  body: string;
  createdAt: string;
  updatedAt: string;
  /** Bodies before each update, oldest first. */
  edits: string[];
  /** Set by minimizeComment (OUTDATED, RESOLVED, ...). */
  minimizedReason?: string | null;
}

export interface DiffEntry {
  sha: string;
  filename: string;
  status: "added" | "removed" | "modified" | "renamed";
  additions: number;
  deletions: number;
  changes: number;
  patch?: string;
  previous_filename?: string;
}

export function gitBlobSha(content: Buffer): string {
  return createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");
}

export function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0);
}

export type FileTree = Record<string, string | Buffer>;
/** Changes for a new commit: new content, or null to delete the path. */
export type FileChanges = Record<string, string | Buffer | null>;

export class FakeState {
  readonly repos = new Map<string, Repository>();
  readonly pulls: PullRequest[] = [];
  readonly checkRuns: CheckRun[] = [];
  readonly reviews: Review[] = [];
  readonly reviewComments: ReviewComment[] = [];
  readonly issueComments: IssueComment[] = [];
  readonly users = new Map<string, Actor>();
  #ids = new Map<string, number>();
  #commitCounter = 0;
  /** Commits GitHub does not show yet (a fork push still propagating): requests left until they appear. */
  readonly #lagging = new Map<string, number>();

  /**
   * Makes `sha` invisible to the next `requests` check-run and compare requests that name it, as a
   * push to a fork is for a few seconds after its `synchronize` event ("No commit found for SHA").
   */
  delayVisibility(sha: string, requests: number): void {
    this.#lagging.set(sha, requests);
  }

  /** False while `sha` is still propagating; each call counts as one request. */
  visible(sha: string): boolean {
    const left = this.#lagging.get(sha);
    if (left === undefined) return true;
    if (left <= 1) this.#lagging.delete(sha);
    else this.#lagging.set(sha, left - 1);
    return false;
  }

  /** The nearest common ancestor of two commits (git merge-base), or undefined when they share none. */
  mergeBase(repo: Repository, a: string, b: string): string | undefined {
    const ancestorsOfA = new Set<string>();
    const queue = [a];
    while (queue.length > 0) {
      const sha = queue.shift()!;
      if (ancestorsOfA.has(sha)) continue;
      ancestorsOfA.add(sha);
      queue.push(...(repo.commits.get(sha)?.parents ?? []));
    }
    const seen = new Set<string>();
    const fromB = [b];
    while (fromB.length > 0) {
      const sha = fromB.shift()!;
      if (ancestorsOfA.has(sha)) return sha;
      if (seen.has(sha)) continue;
      seen.add(sha);
      fromB.push(...(repo.commits.get(sha)?.parents ?? []));
    }
    return undefined;
  }

  nextId(kind: string, start = 1): number {
    const id = (this.#ids.get(kind) ?? start - 1) + 1;
    this.#ids.set(kind, id);
    return id;
  }

  user(login: string, type: Actor["type"] = "User"): Actor {
    let user = this.users.get(login);
    if (!user) {
      user = { login, id: this.nextId("user", 1000), type };
      this.users.set(login, user);
    }
    return user;
  }

  createRepository(options: { owner: string; name: string; files: FileTree; installationId: number; defaultBranch?: string }): {
    repo: Repository;
    sha: string;
  } {
    const key = `${options.owner}/${options.name}`.toLowerCase();
    if (this.repos.has(key)) throw new Error(`repository ${key} already exists`);
    const repo: Repository = {
      id: this.nextId("repo", 500),
      owner: this.user(options.owner),
      name: options.name,
      defaultBranch: options.defaultBranch ?? "main",
      installationId: options.installationId,
      branches: new Map(),
      commits: new Map(),
      blobs: new Map(),
    };
    this.repos.set(key, repo);
    const sha = this.addCommit(repo, null, options.files, "Initial commit", { replace: true });
    repo.branches.set(repo.defaultBranch, sha);
    return { repo, sha };
  }

  repository(owner: string, name: string): Repository | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  /**
   * A new commit on top of `parent`: `changes` overrides paths (null deletes), or with
   * `replace` the commit holds exactly `changes`.
   */
  addCommit(
    repo: Repository,
    parent: string | null,
    changes: FileChanges,
    message = "Change",
    options: { replace?: boolean; branch?: string } = {},
  ): string {
    const base = parent ? repo.commits.get(parent) : undefined;
    if (parent && !base) throw new Error(`unknown parent commit ${parent}`);
    const files = new Map<string, Buffer>(options.replace || !base ? [] : base.files);
    for (const [path, content] of Object.entries(changes)) {
      const clean = path.replace(/^\/+/, "");
      if (content === null) files.delete(clean);
      else files.set(clean, typeof content === "string" ? Buffer.from(content, "utf8") : content);
    }
    for (const content of files.values()) repo.blobs.set(gitBlobSha(content), content);
    const listing = [...files.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([path, content]) => `${gitBlobSha(content)} ${path}`)
      .join("\n");
    const sha = createHash("sha1")
      .update(`commit ${++this.#commitCounter}\nparent ${parent ?? ""}\n${message}\n${listing}`)
      .digest("hex");
    repo.commits.set(sha, { sha, parents: parent ? [parent] : [], message, files });
    if (options.branch) repo.branches.set(options.branch, sha);
    return sha;
  }

  commit(repo: Repository, sha: string): Commit | undefined {
    return repo.commits.get(sha);
  }

  /** Resolves a branch name or a full or abbreviated (≥7) commit SHA. */
  resolveRef(repo: Repository, ref: string | undefined | null): Commit | undefined {
    const name = ref ?? repo.defaultBranch;
    const clean = name.replace(/^refs\/heads\//, "");
    const branch = repo.branches.get(clean);
    if (branch) return repo.commits.get(branch);
    if (/^[0-9a-f]{7,40}$/i.test(clean)) {
      const lower = clean.toLowerCase();
      const exact = repo.commits.get(lower);
      if (exact) return exact;
      const matches = [...repo.commits.keys()].filter((sha) => sha.startsWith(lower));
      if (matches.length === 1) return repo.commits.get(matches[0] ?? "");
    }
    return undefined;
  }

  createPullRequest(
    repo: Repository,
    options: {
      baseSha: string;
      headSha: string;
      number?: number;
      title?: string;
      author?: string;
      baseRef?: string;
      headRef?: string;
      draft?: boolean;
    },
  ): PullRequest {
    for (const sha of [options.baseSha, options.headSha]) if (!repo.commits.has(sha)) throw new Error(`unknown commit ${sha}`);
    const number = options.number ?? this.nextId(`number:${repo.id}`);
    const pull: PullRequest = {
      id: this.nextId("pull", 9000),
      number,
      repo,
      title: options.title ?? `Pull request ${number}`,
      user: this.user(options.author ?? "octocat"),
      state: "open",
      draft: options.draft ?? false,
      baseRef: options.baseRef ?? repo.defaultBranch,
      headRef: options.headRef ?? `change-${number}`,
      baseSha: options.baseSha,
      headSha: options.headSha,
      headHistory: [options.headSha],
      createdAt: new Date().toISOString(),
    };
    repo.branches.set(pull.headRef, options.headSha);
    this.pulls.push(pull);
    return pull;
  }

  /**
   * A pull request from `fork` (another repository, another owner, not in the App's installation)
   * whose head commit is `headSha` of the fork: the commit and its ancestors are copied into the base
   * repository, as GitHub does for refs/pull/N/head; the head branch exists only in the fork.
   */
  createForkPullRequest(
    repo: Repository,
    fork: Repository,
    options: { baseSha: string; headSha: string; headRef?: string; title?: string; author?: string },
  ): PullRequest {
    this.copyCommits(fork, repo, options.headSha);
    const pull = this.createPullRequest(repo, { ...options, author: options.author ?? fork.owner.login });
    repo.branches.delete(pull.headRef);
    pull.headRepo = fork;
    fork.branches.set(pull.headRef, options.headSha);
    return pull;
  }

  /** Copies `sha` and its ancestors (with their blobs) from one repository to another. */
  copyCommits(from: Repository, to: Repository, sha: string): void {
    const queue = [sha];
    while (queue.length > 0) {
      const next = queue.shift()!;
      if (to.commits.has(next)) continue;
      const commit = from.commits.get(next);
      if (!commit) throw new Error(`unknown commit ${next} in ${from.owner.login}/${from.name}`);
      to.commits.set(next, commit);
      for (const content of commit.files.values()) to.blobs.set(gitBlobSha(content), content);
      queue.push(...commit.parents);
    }
  }

  /** A push to a fork's pull request: the new head is copied into the base repository too. */
  pushToForkPullRequest(pull: PullRequest, headSha: string): void {
    if (!pull.headRepo) throw new Error("not a fork pull request");
    this.copyCommits(pull.headRepo, pull.repo, headSha);
    pull.headSha = headSha;
    pull.headHistory.push(headSha);
    pull.headRepo.branches.set(pull.headRef, headSha);
  }

  pushToPullRequest(pull: PullRequest, headSha: string): void {
    if (!pull.repo.commits.has(headSha)) throw new Error(`unknown commit ${headSha}`);
    pull.headSha = headSha;
    pull.headHistory.push(headSha);
    pull.repo.branches.set(pull.headRef, headSha);
  }

  pull(repo: Repository, number: number): PullRequest | undefined {
    return this.pulls.find((p) => p.repo === repo && p.number === number);
  }

  /**
   * The pull request's files, as `GET /pulls/{n}/files` lists them: from the merge base of the base
   * tip and the head (what GitHub's "Files changed" shows), renames detected.
   */
  pullFiles(pull: PullRequest, headSha = pull.headSha): DiffEntry[] {
    const base = pull.repo.commits.get(this.mergeBase(pull.repo, pull.baseSha, headSha) ?? pull.baseSha);
    const head = pull.repo.commits.get(headSha);
    if (!base || !head) throw new Error("pull request commits are missing");
    return diffTrees(base.files, head.files);
  }
}

/** Per-path differences of two trees, sorted by path; an exact or ≥50 % similar remove+add pair is a rename. */
export function diffTrees(base: Map<string, Buffer>, head: Map<string, Buffer>): DiffEntry[] {
  const entries: DiffEntry[] = [];
  const removed: string[] = [];
  const added: string[] = [];
  for (const [path, content] of head) {
    const before = base.get(path);
    if (!before) added.push(path);
    else if (!before.equals(content)) entries.push(entry(path, "modified", before, content));
  }
  for (const path of base.keys()) if (!head.has(path)) removed.push(path);
  const pairedAdds = new Set<string>();
  const pairedRemoves = new Set<string>();
  for (const from of removed) {
    const old = base.get(from) ?? Buffer.alloc(0);
    let best: { path: string; score: number } | null = null;
    for (const to of added) {
      if (pairedAdds.has(to)) continue;
      const score = similarity(old, head.get(to) ?? Buffer.alloc(0));
      if (score >= 0.5 && (!best || score > best.score)) best = { path: to, score };
    }
    if (best) {
      pairedAdds.add(best.path);
      pairedRemoves.add(from);
      const renamed = entry(best.path, "renamed", old, head.get(best.path) ?? Buffer.alloc(0));
      renamed.previous_filename = from;
      entries.push(renamed);
    }
  }
  for (const path of added) if (!pairedAdds.has(path)) entries.push(entry(path, "added", null, head.get(path) ?? Buffer.alloc(0)));
  for (const path of removed) if (!pairedRemoves.has(path)) entries.push(entry(path, "removed", base.get(path) ?? Buffer.alloc(0), null));
  return entries.sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0));
}

function entry(path: string, status: DiffEntry["status"], before: Buffer | null, after: Buffer | null): DiffEntry {
  const shaSource = after ?? before ?? Buffer.alloc(0);
  const result: DiffEntry = { sha: gitBlobSha(shaSource), filename: path, status, additions: 0, deletions: 0, changes: 0 };
  if ((before && isBinary(before)) || (after && isBinary(after))) return result;
  const diff = unifiedPatch(before?.toString("utf8") ?? "", after?.toString("utf8") ?? "");
  result.additions = diff.additions;
  result.deletions = diff.deletions;
  result.changes = diff.additions + diff.deletions;
  // GitHub omits `patch` for an unchanged rename; every other text change carries one.
  if (diff.patch !== "") {
    patchLines(diff.patch); // never serve a malformed patch
    result.patch = diff.patch;
  }
  return result;
}

function similarity(a: Buffer, b: Buffer): number {
  if (a.equals(b)) return 1;
  if (isBinary(a) || isBinary(b)) return 0;
  const left = splitLines(a.toString("utf8")).lines;
  const right = splitLines(b.toString("utf8")).lines;
  const total = Math.max(left.length, right.length);
  if (total === 0) return 1;
  const counts = new Map<string, number>();
  for (const line of left) counts.set(line, (counts.get(line) ?? 0) + 1);
  let common = 0;
  for (const line of right) {
    const n = counts.get(line) ?? 0;
    if (n > 0) {
      common++;
      counts.set(line, n - 1);
    }
  }
  return common / total;
}
