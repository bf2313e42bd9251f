/** Shared request/response types and helpers for the fake GitHub's handlers. */
import type { IncomingHttpHeaders } from "node:http";
import type { FakeState, Actor, Repository } from "./state.js";

export const DOCS = "https://docs.github.com/enterprise-server@3.14/rest";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** GitHub's 422 shape: a generic message and the list of reasons. */
export function unprocessable(errors: (string | Record<string, unknown>)[], message = "Unprocessable Entity"): HttpError {
  return new HttpError(422, message, { errors, status: "422" });
}

export function notFound(): HttpError {
  return new HttpError(404, "Not Found", { status: "404" });
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** JSON unless it is a Buffer or a string (sent as is). */
  body?: unknown;
}

export interface RequestContext {
  method: string;
  /** Path below the API prefix, e.g. "/repos/o/r/pulls/1/files". */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
  params: Record<string, string>;
  /** Who the token belongs to (null for JWT-authenticated /app routes). */
  actor: Actor | null;
  installationId: number | null;
  state: FakeState;
  /** Absolute URL prefix of REST, e.g. "http://127.0.0.1:1234/api/v3". */
  restBase: string;
}

export function requireRepo(ctx: RequestContext): Repository {
  const repo = ctx.state.repository(ctx.params.owner ?? "", ctx.params.repo ?? "");
  // An installation token only sees the repositories of its installation.
  if (!repo || (ctx.installationId !== null && repo.installationId !== ctx.installationId)) throw notFound();
  return repo;
}

export function objectBody(ctx: RequestContext): Record<string, unknown> {
  if (ctx.body === undefined || ctx.body === null) return {};
  if (typeof ctx.body !== "object" || Array.isArray(ctx.body)) throw new HttpError(400, "Problems parsing JSON");
  return ctx.body as Record<string, unknown>;
}

/** `per_page` (default 30, max 100) and `page` pagination with GitHub's Link header. */
export function paginate<T>(
  ctx: RequestContext,
  items: T[],
  options: { maxItems?: number } = {},
): { page: T[]; headers: Record<string, string> } {
  const all = options.maxItems === undefined ? items : items.slice(0, options.maxItems);
  const perPage = Math.min(100, Math.max(1, Number(ctx.query.get("per_page") ?? 30) || 30));
  const pageNo = Math.max(1, Number(ctx.query.get("page") ?? 1) || 1);
  const lastPage = Math.max(1, Math.ceil(all.length / perPage));
  const page = all.slice((pageNo - 1) * perPage, pageNo * perPage);
  const link = (n: number): string => {
    const params = new URLSearchParams(ctx.query);
    params.set("per_page", String(perPage));
    params.set("page", String(n));
    return `<${ctx.restBase}${ctx.path}?${params.toString()}>`;
  };
  const rels: string[] = [];
  if (pageNo < lastPage) rels.push(`${link(pageNo + 1)}; rel="next"`, `${link(lastPage)}; rel="last"`);
  if (pageNo > 1) rels.push(`${link(1)}; rel="first"`, `${link(Math.min(pageNo - 1, lastPage))}; rel="prev"`);
  return { page, headers: rels.length > 0 ? { link: rels.join(", ") } : {} };
}

export function acceptFormat(ctx: RequestContext): "raw" | "object" | "json" {
  const accept = String(ctx.headers.accept ?? "");
  if (/application\/vnd\.github(?:\.v3)?\.raw/.test(accept)) return "raw";
  if (/application\/vnd\.github(?:\.v3)?\.object/.test(accept)) return "object";
  return "json";
}

export function nodeId(kind: string, id: number | string): string {
  return Buffer.from(`${kind}:${id}`).toString("base64").replace(/=+$/, "");
}

export function actorJson(actor: Actor, restBase: string): Record<string, unknown> {
  return {
    login: actor.login,
    id: actor.id,
    node_id: nodeId(actor.type, actor.id),
    type: actor.type,
    site_admin: false,
    url: `${restBase}/users/${encodeURIComponent(actor.login)}`,
    html_url: `${restBase.replace(/\/api\/v3$/, "")}/${encodeURIComponent(actor.login)}`,
  };
}

export function repoJson(repo: Repository, restBase: string): Record<string, unknown> {
  const full = `${repo.owner.login}/${repo.name}`;
  return {
    id: repo.id,
    node_id: nodeId("Repository", repo.id),
    name: repo.name,
    full_name: full,
    private: false,
    owner: actorJson(repo.owner, restBase),
    html_url: `${restBase.replace(/\/api\/v3$/, "")}/${full}`,
    url: `${restBase}/repos/${full}`,
    default_branch: repo.defaultBranch,
    fork: false,
  };
}

export function stringField(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  return typeof value === "string" ? value : undefined;
}
