/**
 * A fake GitHub Enterprise Server API for end-to-end tests: a plain node:http server on
 * 127.0.0.1 (random free port) that the app, running in another process, reaches over real
 * HTTP. REST lives under /api/v3 and GraphQL at /api/graphql, which is where Probot sends
 * requests when started with GHE_HOST=127.0.0.1:<port> and GHE_PROTOCOL=http.
 *
 * Every request is logged (method, path, route template, headers, body, status); errors can be
 * injected with failNext(); the repository, pull request and posted-content model is in
 * `state` (see state.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomBytes, type KeyObject } from "node:crypto";
import type { AddressInfo } from "node:net";
import { githubSchema, runGraphql } from "./graphql.js";
import { mutationRoot, queryRoot } from "./graphql-objects.js";
import { appYmlPermissions, narrow, requirePermission, type Permissions } from "./permissions.js";
import { HttpError, type Reply, type RequestContext } from "./http.js";
import { listAppInstallations, type FakeInstallation } from "./installations.js";
import { verifyAppJwt, publicKeyFrom } from "./jwt.js";
import { REST_ROUTES, type Route } from "./rest.js";
import { FakeState, type Actor } from "./state.js";

export interface LoggedRequest {
  seq: number;
  at: number;
  method: string;
  /** Path below the API prefix ("/repos/o/r/check-runs", "/graphql"), without the query. */
  path: string;
  /** "POST /repos/{owner}/{repo}/check-runs", "POST /graphql", or "<method> <path> (no route)". */
  route: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  status: number;
  injected: boolean;
  /** Login of the token's owner, "jwt:<app id>" for app JWTs, null when unauthenticated. */
  actor: string | null;
  /** GraphQL: the operation name when there is one. */
  operationName?: string | null;
}

export interface FailRule {
  method?: string;
  /** Matched against the path below the API prefix, e.g. /\/check-runs$/ or "/graphql". */
  path: RegExp | string;
  status: number;
  times?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

interface ActiveFailRule extends FailRule {
  remaining: number;
}

interface InstallationToken {
  token: string;
  installationId: number;
  actor: Actor;
  expiresAt: number;
  /** Fixed when the token is minted, as on GitHub. */
  permissions: Permissions;
}

interface AppRegistration {
  id: number;
  slug: string;
  key: KeyObject;
  bot: Actor;
}

interface CompiledRoute extends Route {
  regex: RegExp;
  names: string[];
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;
const APP_INSTALLATIONS = "GET /app/installations";

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.template.replace(/\{(\w+)(\+?)\}/g, (_m, name: string, plus: string) => {
    names.push(name);
    return plus ? "(.+)" : "([^/]+)";
  });
  return { ...route, regex: new RegExp(`^${source}/?$`), names };
}

export class FakeGitHub {
  readonly state = new FakeState();
  readonly requests: LoggedRequest[] = [];
  #server: Server | null = null;
  #port = 0;
  #apps = new Map<string, AppRegistration>();
  #tokens = new Map<string, InstallationToken>();
  #installations = new Map<number, Omit<FakeInstallation, "appId" | "appSlug"> & { appId?: number }>();
  #fail: ActiveFailRule[] = [];
  #routes = REST_ROUTES.map(compile);
  #listeners = new Set<(request: LoggedRequest) => void>();
  #seq = 0;
  lastRequestAt = 0;
  /** JWT problems seen at the token endpoint (for assertions). */
  readonly jwtRejections: string[] = [];

  async start(): Promise<void> {
    if (this.#server) return;
    // Building GitHub's schema takes a moment; do it now, not inside the app's first GraphQL call.
    githubSchema();
    const server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
          res.end(JSON.stringify({ message: `fake GitHub crashed: ${String(error)}` }));
        }
      });
    });
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    this.#server = server;
    this.#port = (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get port(): number {
    if (!this.#port) throw new Error("the fake GitHub is not started");
    return this.#port;
  }
  /** host:port, the value for GHE_HOST. */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }
  get restUrl(): string {
    return `http://${this.host}/api/v3`;
  }
  get graphqlUrl(): string {
    return `http://${this.host}/api/graphql`;
  }

  /** Registers the GitHub App whose JWTs the token endpoint accepts. */
  registerApp(options: { id: number; slug: string; publicKeyPem: string }): Actor {
    const bot = this.state.user(`${options.slug}[bot]`, "Bot");
    bot.appId = options.id;
    this.#apps.set(String(options.id), { id: options.id, slug: options.slug, key: publicKeyFrom(options.publicKeyPem), bot });
    return bot;
  }

  /**
   * An installation of the App, granted app.yml's default_permissions unless `permissions` says
   * otherwise (an owner who has not accepted a new permission, a narrowed installation). It
   * belongs to app `appId`, by default the first app registered (before or after this call).
   */
  addInstallation(id: number, account: string, permissions: Permissions = appYmlPermissions(), appId?: number): void {
    const createdAt = new Date().toISOString();
    this.#installations.set(id, { id, account, permissions: { ...permissions }, createdAt, ...(appId === undefined ? {} : { appId }) });
  }

  /** The installations with their app resolved (the first registered app when a test named none). */
  #resolvedInstallations(): FakeInstallation[] {
    const first = [...this.#apps.values()][0];
    return [...this.#installations.values()].flatMap((i) => {
      const app = this.#apps.get(String(i.appId ?? first?.id));
      return app ? [{ ...i, appId: app.id, appSlug: app.slug }] : [];
    });
  }

  /** An installation token for tests that call the fake directly (as the app's bot). */
  mintToken(installationId: number, appId?: number): string {
    const app = appId === undefined ? [...this.#apps.values()][0] : this.#apps.get(String(appId));
    if (!app) throw new Error("no app registered");
    return this.#mint(installationId, app).token;
  }

  /** Every installation token handed out so far (to assert none leaks into logs). */
  issuedTokens(): string[] {
    return [...this.#tokens.keys()];
  }

  /** Fails the next matching request(s) with `status` before any routing (once by default). */
  failNext(rule: FailRule): void {
    this.#fail.push({ ...rule, remaining: rule.times ?? 1 });
  }

  /** Unused injected failures (to assert that a test's failure was actually hit). */
  pendingFailures(): FailRule[] {
    return this.#fail.filter((r) => r.remaining > 0);
  }

  onRequest(listener: (request: LoggedRequest) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Requests after `since` (a seq number; 0 = all), optionally filtered. */
  requestsSince(since = 0, filter?: { method?: string; route?: string | RegExp }): LoggedRequest[] {
    return this.requests.filter(
      (r) =>
        r.seq > since &&
        (!filter?.method || r.method === filter.method) &&
        (!filter?.route || (typeof filter.route === "string" ? r.route === filter.route : filter.route.test(r.route))),
    );
  }

  get lastSeq(): number {
    return this.#seq;
  }

  #mint(installationId: number, app: AppRegistration, permissions?: Permissions): InstallationToken {
    const token: InstallationToken = {
      token: `ghs_${randomBytes(18).toString("base64url")}`,
      installationId,
      actor: app.bot,
      expiresAt: Date.now() + 3_600_000,
      permissions: permissions ?? { ...(this.#installations.get(installationId)?.permissions ?? appYmlPermissions()) },
    };
    this.#tokens.set(token.token, token);
    return token;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) {
        res.writeHead(413).end();
        return;
      }
      chunks.push(chunk as Buffer);
    }
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? this.host}`);
    const method = (req.method ?? "GET").toUpperCase();
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers)) headers[key] = Array.isArray(value) ? value.join(", ") : String(value ?? "");

    let body: unknown;
    let parseError = false;
    if (raw.length > 0) {
      const text = raw.toString("utf8");
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
        parseError = /json/.test(headers["content-type"] ?? "");
      }
    }

    let apiPath: string;
    let kind: "rest" | "graphql" | "unknown";
    if (url.pathname === "/api/graphql") {
      apiPath = "/graphql";
      kind = "graphql";
    } else if (url.pathname.startsWith("/api/v3/")) {
      apiPath = url.pathname.slice("/api/v3".length);
      kind = "rest";
    } else {
      apiPath = url.pathname;
      kind = "unknown";
    }

    const entry: LoggedRequest = {
      seq: ++this.#seq,
      at: Date.now(),
      method,
      path: apiPath,
      route: `${method} ${apiPath} (no route)`,
      query: Object.fromEntries(url.searchParams.entries()),
      headers,
      body,
      status: 0,
      injected: false,
      actor: null,
    };
    this.lastRequestAt = entry.at;

    let reply: Reply;
    try {
      reply = this.#dispatch(kind, method, apiPath, url, headers, body, parseError, entry);
    } catch (error) {
      reply = this.#errorReply(error);
    }
    entry.status = reply.status;
    this.requests.push(entry);
    for (const listener of this.#listeners) listener(entry);

    const responseHeaders: Record<string, string> = {
      "x-github-media-type": "github.v3; format=json",
      "x-github-request-id": `FAKE:${entry.seq}`,
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": "4999",
      "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
      ...reply.headers,
    };
    let payload: Buffer | string | undefined;
    if (reply.body === undefined) payload = undefined;
    else if (Buffer.isBuffer(reply.body) || typeof reply.body === "string") payload = reply.body;
    else {
      payload = JSON.stringify(reply.body);
      responseHeaders["content-type"] ??= "application/json; charset=utf-8";
    }
    res.writeHead(reply.status, responseHeaders);
    res.end(payload);
  }

  #errorReply(error: unknown): Reply {
    if (error instanceof HttpError) {
      return {
        status: error.status,
        headers: error.headers,
        body: { message: error.message, documentation_url: "https://docs.github.com/enterprise-server@3.14/rest", ...error.extra },
      };
    }
    return { status: 500, body: { message: `fake GitHub error: ${error instanceof Error ? error.stack : String(error)}` } };
  }

  #takeFailure(method: string, path: string): ActiveFailRule | null {
    for (const rule of this.#fail) {
      if (rule.remaining <= 0) continue;
      if (rule.method && rule.method.toUpperCase() !== method) continue;
      const matches = typeof rule.path === "string" ? rule.path === path : rule.path.test(path);
      if (!matches) continue;
      rule.remaining--;
      return rule;
    }
    return null;
  }

  #dispatch(
    kind: "rest" | "graphql" | "unknown",
    method: string,
    apiPath: string,
    url: URL,
    headers: Record<string, string>,
    body: unknown,
    parseError: boolean,
    entry: LoggedRequest,
  ): Reply {
    const restBase = `http://${headers.host ?? this.host}/api/v3`;
    let route: CompiledRoute | undefined;
    let params: Record<string, string> = {};
    if (kind === "rest") {
      for (const candidate of this.#routes) {
        if (candidate.method !== method) continue;
        const match = candidate.regex.exec(apiPath);
        if (!match) continue;
        route = candidate;
        params = Object.fromEntries(candidate.names.map((name, index) => [name, decodeURIComponent(match[index + 1] ?? "")]));
        break;
      }
      if (!route && method === "POST") {
        const token = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(apiPath);
        if (token) entry.route = "POST /app/installations/{installation_id}/access_tokens";
      }
      if (!route && method === "GET" && /^\/app\/installations\/?$/.test(apiPath)) entry.route = APP_INSTALLATIONS;
      if (route) entry.route = `${method} ${route.template}`;
    } else if (kind === "graphql") {
      entry.route = `${method} /graphql`;
    }

    const failure = this.#takeFailure(method, apiPath);
    if (failure) {
      entry.injected = true;
      return {
        status: failure.status,
        headers: failure.headers ?? {},
        body: failure.body ?? {
          message:
            failure.status === 403 || failure.status === 429
              ? "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
              : failure.status >= 500
                ? "Server Error"
                : "Validation Failed",
          documentation_url: "https://docs.github.com/enterprise-server@3.14/rest",
        },
      };
    }
    if (parseError) throw new HttpError(400, "Problems parsing JSON");

    if (kind === "rest" && entry.route === "POST /app/installations/{installation_id}/access_tokens") {
      return this.#accessToken(apiPath, headers, body, entry);
    }
    const restContext = (token: InstallationToken | null): RequestContext => ({
      method,
      path: apiPath,
      query: url.searchParams,
      headers,
      body,
      params,
      actor: token?.actor ?? null,
      installationId: token?.installationId ?? null,
      state: this.state,
      restBase,
    });
    // The app's routes take its JWT, never an installation token (GitHub: 401).
    if (kind === "rest" && entry.route === APP_INSTALLATIONS) {
      const appId = this.#verifiedJwt(headers);
      entry.actor = `jwt:${appId}`;
      return listAppInstallations(restContext(null), this.#resolvedInstallations(), appId);
    }

    // Everything else needs an installation token.
    const auth = /^(?:token|bearer)\s+(\S+)$/i.exec(headers.authorization ?? "");
    const token = auth ? this.#tokens.get(auth[1] ?? "") : undefined;
    if (!token || token.expiresAt < Date.now()) {
      throw new HttpError(401, "Bad credentials");
    }
    entry.actor = token.actor.login;

    if (kind === "graphql") {
      if (method !== "POST") throw new HttpError(404, "Not Found");
      return this.#graphql(body, token, entry);
    }
    if (!route) throw new HttpError(404, "Not Found");
    requirePermission(token.permissions, route.permission);
    return route.handle(restContext(token));
  }

  /** The app id of a valid app JWT in the Authorization header; 401 as GitHub answers otherwise. */
  #verifiedJwt(headers: Record<string, string>): number {
    const auth = /^bearer\s+(\S+)$/i.exec(headers.authorization ?? "");
    if (!auth) {
      this.jwtRejections.push("no bearer JWT");
      throw new HttpError(401, "A JSON web token could not be decoded");
    }
    const check = verifyAppJwt(auth[1] ?? "", new Map([...this.#apps].map(([id, app]) => [id, app.key])));
    if (!check.ok) {
      this.jwtRejections.push(check.reason);
      throw new HttpError(401, `A JSON web token could not be decoded (${check.reason})`);
    }
    return Number(check.appId);
  }

  #accessToken(apiPath: string, headers: Record<string, string>, body: unknown, entry: LoggedRequest): Reply {
    const installationId = Number(/(\d+)/.exec(apiPath)?.[1]);
    const appId = this.#verifiedJwt(headers);
    entry.actor = `jwt:${appId}`;
    const app = this.#apps.get(String(appId));
    // Another app's installation is not found, as on GitHub.
    const installation = this.#resolvedInstallations().find((i) => i.id === installationId && i.appId === appId);
    if (!app || !installation) throw new HttpError(404, "Not Found");
    // A token may ask for fewer permissions than the installation has, never for more.
    const permissions = narrow(installation.permissions, (body as { permissions?: unknown } | undefined)?.permissions);
    if (!permissions) throw new HttpError(422, "The permissions requested are not granted to this installation.");
    const token = this.#mint(installationId, app, permissions);
    return {
      status: 201,
      body: {
        token: token.token,
        expires_at: new Date(token.expiresAt).toISOString(),
        permissions,
        repository_selection: "all",
      },
    };
  }

  #graphql(body: unknown, token: InstallationToken, entry: LoggedRequest): Reply {
    if (typeof body !== "object" || body === null) throw new HttpError(400, "Problems parsing JSON");
    const { query, variables, operationName } = body as { query?: unknown; variables?: unknown; operationName?: unknown };
    if (typeof query !== "string")
      return { status: 200, body: { errors: [{ message: "A query attribute must be specified and must be a string." }] } };
    const vars = typeof variables === "object" && variables !== null ? (variables as Record<string, unknown>) : {};
    const request = { query, variables: vars, operationName: typeof operationName === "string" ? operationName : null };
    const viewer = { actor: token.actor, installationId: token.installationId, permissions: token.permissions };
    const result = runGraphql(request, { query: queryRoot(this.state, viewer), mutation: mutationRoot(this.state, viewer) });
    entry.operationName = result.operationName;
    return { status: 200, body: result.response };
  }
}
