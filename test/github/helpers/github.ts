/**
 * nock interceptors for the GitHub API calls the App makes, with request bodies asserted where they
 * matter, and a small fake of the GraphQL answer built from a description of the repository.
 */
import nock from "nock";
import { expect } from "vitest";
import { CONFIG_PROD, RULES_OK, SERVER_CONF, TRAFFIC } from "./campaign.js";
import { BASE_SHA, HEAD_SHA, PULL, REPO_PATH } from "./payloads.js";

export const API = "https://api.github.com";
export const CHECK_RUN_ID = 4242;

export const POLICY_YAML = `instances:
  - name: prod
    serverConf: campaign/serverConf.xml
    instanceConf: campaign/config-prod.xml
    mxRules: campaign/mx-rules.yaml
    traffic: campaign/traffic.yaml
failOn: [delivery-expiry, deadline-miss, config-error]
comment: update
review: true
`;

export const WATCHED = [
  "campaign/config-prod.xml",
  "campaign/mx-rules.yaml",
  "campaign/providers.yaml",
  "campaign/serverConf.xml",
  "campaign/traffic.yaml",
];

/**
 * A scope that answers the installation token request; `token: false` for later events of the same
 * Probot instance, which caches the token.
 */
export function github(token = true): nock.Scope {
  const scope = nock(API);
  if (!token) return scope;
  return scope
    .post("/app/installations/2/access_tokens")
    .reply(200, { token: "ghs_16C7e42F292c6912E7710c838347Ae178B4a", permissions: { checks: "write" } });
}

/** Every API call the scope answers, except the installation token. */
export function recordCalls(scope: nock.Scope): string[] {
  const calls: string[] = [];
  scope.on("request", (req: { method: string; path: string }) => {
    if (!req.path.includes("/access_tokens")) calls.push(`${req.method} ${req.path.replace(/\?.*$/, "")}`);
  });
  return calls;
}

export function noPreviousRun(scope: nock.Scope, sha = HEAD_SHA, runs: unknown[] = []): nock.Scope {
  return scope
    .get(`${REPO_PATH}/commits/${sha}/check-runs`)
    .query({ check_name: "MX Guard", filter: "all", per_page: "100" })
    .reply(200, { total_count: runs.length, check_runs: runs });
}

/** Bodies sent to one endpoint (asserted after the event, so a mismatch reads as a test failure). */
export function capture(
  scope: nock.Scope,
  method: "post" | "patch",
  path: string,
  status: number,
  reply: Record<string, unknown> = {},
  times = 1,
): Record<string, any>[] {
  const bodies: Record<string, any>[] = [];
  scope[method](path, (body: Record<string, any>) => {
    bodies.push(body);
    return true;
  })
    .times(times)
    .reply(status, reply);
  return bodies;
}

/** The check run creation; returns the bodies sent (see expectStarted). */
export function checkCreated(scope: nock.Scope): Record<string, any>[] {
  return capture(scope, "post", `${REPO_PATH}/check-runs`, 201, { id: CHECK_RUN_ID });
}

/** The run was created in_progress, on `sha`, for `eventKey`. */
export function expectStarted(bodies: Record<string, any>[], sha = HEAD_SHA, eventKey = "pull_request.opened"): void {
  expect(bodies).toHaveLength(1);
  expect(bodies[0]).toMatchObject({ name: "MX Guard", head_sha: sha, status: "in_progress" });
  expect(String(bodies[0]?.external_id).startsWith(`mx-guard:${eventKey}:`)).toBe(true);
}

export function policy(scope: nock.Scope, yaml: string | null = POLICY_YAML): nock.Scope {
  if (yaml === null) {
    return scope
      .get(`${REPO_PATH}/contents/.github%2Fmx-guard.yml`)
      .reply(404, { message: "Not Found" })
      .get(`/repos/Codertocat/.github/contents/.github%2Fmx-guard.yml`)
      .reply(404, { message: "Not Found" });
  }
  return scope
    .get(`${REPO_PATH}/contents/.github%2Fmx-guard.yml`)
    .reply(200, yaml, { "content-type": "application/vnd.github.raw; charset=utf-8" });
}

export interface DiffFile {
  filename: string;
  status?: string;
  patch?: string;
  previous_filename?: string;
}

export function pullFiles(scope: nock.Scope, files: DiffFile[], pull = PULL): nock.Scope {
  return scope
    .get(`${REPO_PATH}/pulls/${pull}/files`)
    .query({ per_page: "100" })
    .reply(
      200,
      files.map((f, i) => ({ sha: `${i}`.padStart(40, "0"), status: "modified", additions: 1, deletions: 1, changes: 2, ...f })),
    );
}

/** One hunk showing lines from..to of the new text, the last of them changed. */
export function hunkPatch(text: string, from: number, to: number): string {
  const lines = text.split("\n");
  const count = to - from + 1;
  const body: string[] = [];
  for (let n = from; n <= to; n++) {
    const line = lines[n - 1] ?? "";
    if (n === to) body.push(`-${line} # old`, `+${line}`);
    else body.push(` ${line}`);
  }
  return [`@@ -${from},${count} +${from},${count} @@`, ...body].join("\n");
}

export interface FakeComment {
  id: number;
  body: string;
  mine: boolean;
  minimized?: boolean;
}
/** A review thread, as GraphQL lists it: the comment that opened it and whether it can be resolved. */
export interface FakeThread {
  id: string;
  body: string;
  mine: boolean;
  resolved?: boolean;
  /** Default true. */
  canResolve?: boolean;
  minimized?: boolean;
}
export interface FakeReview {
  body: string;
  mine: boolean;
  commit: string;
}
export interface FakeRepository {
  /** sha → path → text. */
  trees: Record<string, Record<string, string>>;
  comments?: FakeComment[];
  reviews?: FakeReview[];
  threads?: FakeThread[];
  /** "sha:path" entries GraphQL reports as truncated (text cut at 10 characters). */
  truncated?: string[];
}

/** A blob id computed from the content, as git does: the same text has the same id at any commit. */
export function blobOid(text: string): string {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h.toString(16).padStart(40, "a");
}

/** The Campaign files of the shell tests, identical at base and head. */
export const UNCHANGED_TREE: Record<string, string> = {
  "campaign/serverConf.xml": SERVER_CONF,
  "campaign/config-prod.xml": CONFIG_PROD,
  "campaign/mx-rules.yaml": RULES_OK,
  "campaign/traffic.yaml": TRAFFIC,
};

/** A repository whose Campaign files are the same at base and head. */
export const UNCHANGED_REPO: FakeRepository = { trees: { [BASE_SHA]: UNCHANGED_TREE, [HEAD_SHA]: UNCHANGED_TREE } };

/** Answers the snapshot query for a pull request that changes none of the watched files. */
export function unchangedCampaign(scope: nock.Scope, head = HEAD_SHA): nock.Scope {
  return graphql(scope, { trees: { [BASE_SHA]: UNCHANGED_TREE, [head]: UNCHANGED_TREE } });
}

/** Answers the snapshot query from `repo`, checking the query asks for both sides in one request. */
export function graphql(
  scope: nock.Scope,
  repo: FakeRepository,
  inspect?: (query: string, variables: Record<string, unknown>) => void,
): nock.Scope {
  return scope.post("/graphql").reply(200, (_uri, body) => {
    const { query, variables } = body as { query: string; variables: Record<string, unknown> };
    inspect?.(query, variables);
    const repository: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(variables)) {
      if (!/^[bh]\d+$/.test(name)) continue;
      expect(query).toContain(`${name}: object(expression: $${name})`);
      const expression = String(value);
      const at = expression.indexOf(":");
      const sha = expression.slice(0, at);
      const path = expression.slice(at + 1);
      const text = repo.trees[sha]?.[path];
      if (text === undefined) {
        repository[name] = null;
        continue;
      }
      const cut = repo.truncated?.includes(expression) ?? false;
      repository[name] = {
        oid: blobOid(text),
        text: cut ? text.slice(0, 10) : text,
        isTruncated: cut,
        isBinary: false,
        byteSize: Buffer.byteLength(text),
      };
    }
    if (query.includes("pullRequest(number: $number)")) {
      const page = { hasPreviousPage: false, startCursor: null };
      repository.pullRequest = {
        comments: {
          pageInfo: page,
          nodes: (repo.comments ?? []).map((c) => ({
            id: `IC_${c.id}`,
            fullDatabaseId: String(c.id),
            body: c.body,
            viewerDidAuthor: c.mine,
            isMinimized: c.minimized === true,
          })),
        },
        reviews: {
          pageInfo: page,
          nodes: (repo.reviews ?? []).map((r) => ({ body: r.body, viewerDidAuthor: r.mine, commit: { oid: r.commit } })),
        },
        reviewThreads: {
          pageInfo: page,
          nodes: (repo.threads ?? []).map((t) => ({
            id: t.id,
            isResolved: t.resolved === true,
            viewerCanResolve: t.canResolve !== false,
            comments: { nodes: [{ id: `C_${t.id}`, body: t.body, viewerDidAuthor: t.mine, isMinimized: t.minimized === true }] },
          })),
        },
      };
    }
    return { data: { repository } };
  });
}

/**
 * Answers GraphQL mutation requests (tidy.ts, sticky-comment.ts): each aliased mutation succeeds
 * unless `refuse(name, id)` says so (then it gets GitHub's FORBIDDEN error). Returns what was sent.
 */
export function mutations(
  scope: nock.Scope,
  times = 1,
  refuse: (mutation: string, id: string) => boolean = () => false,
): { query: string; variables: Record<string, string> }[] {
  const sent: { query: string; variables: Record<string, string> }[] = [];
  scope
    .post("/graphql", (body: { query: string }) => body.query.startsWith("mutation"))
    .times(times)
    .reply(200, (_uri, body) => {
      const { query, variables } = body as { query: string; variables: Record<string, string> };
      sent.push({ query, variables });
      const data: Record<string, unknown> = {};
      const errors: unknown[] = [];
      for (const m of query.matchAll(/(m\d+): (\w+)\(input: \{ \w+: \$(id\d+)/g)) {
        const [, alias, name, variable] = m as unknown as [string, string, string, string];
        if (refuse(name, variables[variable] ?? "")) {
          data[alias] = null;
          errors.push({ type: "FORBIDDEN", path: [alias], message: "Resource not accessible by integration" });
        } else
          data[alias] =
            name === "resolveReviewThread"
              ? { thread: { id: variables[variable], isResolved: true } }
              : { minimizedComment: { isMinimized: true } };
      }
      return errors.length > 0 ? { data, errors } : { data };
    });
  return sent;
}

/** Captures every PATCH of the check run; the last one must complete it. */
export function checkUpdates(scope: nock.Scope, count: number, id = CHECK_RUN_ID): Record<string, any>[] {
  return capture(scope, "patch", `${REPO_PATH}/check-runs/${id}`, 200, { id }, count);
}

export { BASE_SHA, HEAD_SHA };
