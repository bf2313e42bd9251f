/**
 * What src/github/probot-patches/ assumes about Probot and Octokit internals, checked against the
 * installed versions: when an upgrade changes one of them, the test named after the patch fails.
 * The first test pins the Probot release the patches were last checked against.
 */
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import nock from "nock";
import { pino } from "pino";
import { createNodeMiddleware, Probot, ProbotOctokit, Server, type Logger } from "probot";
import { describe, expect, it } from "vitest";
import { GitHubTimeoutError, setRequestDeadline } from "../../src/github/probot-patches/request-timeout.js";
import { freePort } from "../e2e/harness.js";
import { privateKey, recordingLogger, type LogRecord } from "./helpers/probot.js";
import { sign } from "./security-helpers.js";

/** The Probot release (major.minor) whose internals the patches were written against. */
const ASSUMED_PROBOT = "14.3";

/** Each patch, and what to re-check in the new Probot before changing ASSUMED_PROBOT. */
const PATCHES = [
  "webhook-guard.ts: Probot#getNodeMiddleware({ log, path }) is what `probot run` (Server#start) and createNodeMiddleware build the webhook middleware from; the @octokit/webhooks middleware reads a string request.body instead of the stream; app.webhooks.verify(body, signature) exists.",
  "throttle-fallback.ts: with REDIS_URL, getOctokitThrottleOptions gives plugin-throttling a Bottleneck IORedisConnection; `new (context.octokit.constructor)({ auth: { installationId } })` is a client for the same installation with the same token cache; Octokit's own errors carry a status.",
  "request-timeout.ts: @octokit/request passes an error named AbortError through unwrapped, so plugin-retry does not retry it; a fetch set on options.request inside hook.wrap is the one the request uses.",
  "retry.ts (not a patch, but built on one): Probot's throttle options only log secondary rate limits.",
];

const requireFromHere = createRequire(import.meta.url);
const probotLib = dirname(requireFromHere.resolve("probot"));
const API = "https://api.github.com";
const WEBHOOK_SECRET = "probot-patches-test-secret";

function probotVersion(): string {
  return (JSON.parse(readFileSync(join(probotLib, "..", "package.json"), "utf8")) as { version: string }).version;
}

function silent(records: LogRecord[] = []): Logger {
  return recordingLogger(records);
}

/** A webhook POST in memory, with `body` already read off the stream when `preRead`. */
function delivery(payload: string, options: { preRead?: boolean; signature?: string } = {}): IncomingMessage {
  const request = Readable.from(options.preRead ? [] : [Buffer.from(payload)]) as unknown as IncomingMessage & { body?: string };
  Object.assign(request, {
    method: "POST",
    url: "/api/github/webhooks",
    headers: {
      "content-type": "application/json",
      "x-github-event": "issues",
      "x-github-delivery": "d-1",
      "x-hub-signature-256": options.signature ?? sign(WEBHOOK_SECRET, payload),
    },
  });
  if (options.preRead) request.body = payload;
  return request;
}

function response(): { res: ServerResponse; status: () => number } {
  let status = 0;
  const res = {
    writeHead(code: number) {
      status = code;
      return res;
    },
    setHeader() {},
    end() {
      return res;
    },
  };
  return { res: res as unknown as ServerResponse, status: () => status };
}

function appProbot(log: Logger = silent()): Probot {
  return new Probot({
    appId: 123,
    privateKey,
    secret: WEBHOOK_SECRET,
    log,
    Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({
      ...options,
      throttle: { enabled: false },
      retry: { enabled: false },
    })),
  });
}

describe("the Probot release the patches assume", () => {
  it(`is ${ASSUMED_PROBOT}.x`, () => {
    const version = probotVersion();
    const majorMinor = version.split(".").slice(0, 2).join(".");
    if (majorMinor !== ASSUMED_PROBOT) {
      throw new Error(
        `Probot ${version} is installed, but src/github/probot-patches/ was checked against Probot ${ASSUMED_PROBOT}. ` +
          `Re-check each patch against the new release, then set ASSUMED_PROBOT in this file:\n- ${PATCHES.join("\n- ")}`,
      );
    }
  });
});

describe("webhook-guard.ts", () => {
  it("`probot run` (Server#start) and createNodeMiddleware build the middleware through the app's getNodeMiddleware", async () => {
    expect(typeof Probot.prototype.getNodeMiddleware).toBe("function");
    const built: string[] = [];
    const spyOn = (app: Probot, by: string) => {
      const original = app.getNodeMiddleware.bind(app);
      app.getNodeMiddleware = (options) => {
        built.push(by);
        return original(options);
      };
    };
    const probot = appProbot();
    await createNodeMiddleware((app) => spyOn(app, "createNodeMiddleware"), { probot });

    const server = new Server({
      Probot: Probot.defaults({ appId: 123, privateKey, secret: WEBHOOK_SECRET }),
      // pino itself: Server hands its logger to pino-http.
      log: pino({ level: "silent" }),
      host: "127.0.0.1",
      port: await freePort(),
      enableStaticFiles: false,
    });
    await server.load((app) => spyOn(app, "Server#start"));
    await server.start();
    await server.stop();
    expect(built).toEqual(["createNodeMiddleware", "Server#start"]);
  });

  it("Probot's middleware takes a delivery whose body was read off the stream into request.body", async () => {
    const probot = appProbot();
    const seen: string[] = [];
    probot.on("issues.opened", async (context) => void seen.push(context.id));
    const middleware = await probot.getNodeMiddleware();
    const payload = JSON.stringify({ action: "opened", issue: { number: 1 }, repository: { id: 1, name: "r", owner: { login: "o" } } });
    const answer = response();
    await middleware(delivery(payload, { preRead: true }), answer.res);
    expect(answer.status()).toBe(200);
    expect(seen).toEqual(["d-1"]);
  });

  it("app.webhooks.verify checks a signature, and getNodeMiddleware logs a failed delivery through the log it is given", async () => {
    const probot = appProbot();
    await probot.ready();
    expect(await probot.webhooks.verify("{}", sign(WEBHOOK_SECRET, "{}"))).toBe(true);
    expect(await probot.webhooks.verify("{}", sign("another secret", "{}"))).toBe(false);

    probot.on("issues.opened", async () => {
      throw new Error("handler failed");
    });
    const given: LogRecord[] = [];
    const middleware = await probot.getNodeMiddleware({ log: silent(given) });
    const payload = JSON.stringify({ action: "opened", issue: { number: 1 } });
    await middleware(delivery(payload), response().res);
    expect(
      given
        .filter((r) => r.level === "error")
        .map((r) => r.text)
        .join("\n"),
    ).toContain("handler failed");
  });
});

describe("throttle-fallback.ts", () => {
  it("Probot's throttle options put plugin-throttling on a Bottleneck IORedisConnection when Redis is configured", async () => {
    const module = (await import(pathToFileURL(join(probotLib, "octokit/get-octokit-throttle-options.js")).href)) as {
      getOctokitThrottleOptions: (options: { log: Logger; redisConfig?: unknown }) => Promise<Record<string, unknown>>;
    };
    const source = String(module.getOctokitThrottleOptions);
    expect(source).toContain("redisConfig");
    expect(source).toContain("Bottleneck.IORedisConnection");
    expect(source).toMatch(/throttlingOptions\.connection\s*=/);
  });

  it("a client built with the event client's constructor and the installation id shares its installation token", async () => {
    const probot = appProbot();
    const octokit = await probot.auth(42);
    const scope = nock(API)
      .post("/app/installations/42/access_tokens")
      .reply(201, { token: "ghs_installation42token", expires_at: new Date(Date.now() + 3_600_000).toISOString() });
    const authorizations: string[] = [];
    scope
      .get("/repos/o/r")
      .times(2)
      .reply(function () {
        authorizations.push(String(this.req.headers.authorization));
        return [200, { id: 1 }];
      });
    await octokit.request("GET /repos/{owner}/{repo}", { owner: "o", repo: "r" });
    const Twin = octokit.constructor as new (options: Record<string, unknown>) => typeof octokit;
    const twin = new Twin({ auth: { installationId: 42 }, throttle: { enabled: false } });
    await twin.request("GET /repos/{owner}/{repo}", { owner: "o", repo: "r" });
    // One token request: the twin reused the cached installation token.
    expect(authorizations).toEqual(["token ghs_installation42token", "token ghs_installation42token"]);
  });

  it("a request that fails inside Octokit (not at GitHub) still carries a status: only a queue failure has none", async () => {
    const octokit = new ProbotOctokit({
      auth: "t",
      retry: { enabled: false },
      throttle: { enabled: false },
      request: {
        fetch: async () => {
          throw new TypeError("fetch failed");
        },
      },
    });
    await expect(octokit.request("GET /repos/o/r")).rejects.toMatchObject({ status: 500 });
  });
});

describe("request-timeout.ts", () => {
  function counting(error: () => Error): { fetch: typeof fetch; calls: () => number } {
    let calls = 0;
    return {
      fetch: async () => {
        calls++;
        throw error();
      },
      calls: () => calls,
    };
  }
  const retrying = (fetch: typeof globalThis.fetch) =>
    new ProbotOctokit({ auth: "t", throttle: { enabled: false }, retry: { enabled: true, retryAfterBaseValue: 1 }, request: { fetch } });

  it("@octokit/request passes an error named AbortError through unwrapped, and plugin-retry does not retry it", async () => {
    const timeout = new GitHubTimeoutError(20_000, "GET", "/repos/o/r");
    const hung = counting(() => timeout);
    await expect(retrying(hung.fetch).request("GET /repos/o/r")).rejects.toBe(timeout);
    expect(hung.calls()).toBe(1);
    // Any other fetch failure becomes a status-500 error, which plugin-retry retries 3 times.
    const broken = counting(() => new TypeError("fetch failed"));
    await expect(retrying(broken.fetch).request("GET /repos/o/r")).rejects.toMatchObject({ status: 500 });
    expect(broken.calls()).toBe(4);
  });

  it("a fetch set on options.request inside hook.wrap is the one the request goes through", async () => {
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        const signal = init?.signal;
        if (!signal) return; // without the deadline's signal this never settles, and the test times out
        signal.addEventListener("abort", () => reject(signal.reason));
      });
    const octokit = retrying(hanging);
    octokit.hook.wrap("request", (request, options) => {
      setRequestDeadline(options, 30);
      return request(options);
    });
    await expect(octokit.request("GET /repos/o/r")).rejects.toBeInstanceOf(GitHubTimeoutError);
  }, 5_000);
});

describe("retry.ts", () => {
  it("Probot's own client only logs a secondary rate limit: one request, the 403 goes up", async () => {
    const records: LogRecord[] = [];
    const probot = new Probot({ githubToken: "ghs_workflow", log: silent(records) });
    const octokit = await probot.auth();
    nock(API).get("/repos/o/r").reply(403, { message: "You have exceeded a secondary rate limit." }, { "retry-after": "1" });
    await expect(octokit.request("GET /repos/{owner}/{repo}", { owner: "o", repo: "r" })).rejects.toMatchObject({ status: 403 });
    expect(records.some((r) => r.level === "warn" && r.text.includes("Secondary quota detected"))).toBe(true);
  });
});
