/**
 * Forged webhooks are turned away before Probot sees them, with one short log line.
 *
 * Probot verifies every delivery (@octokit/webhooks), but a bad signature then goes through its
 * error path: the webhooks middleware and Probot's error handler both log it at error level, each
 * with the whole raw payload attached. Anyone who can reach the webhook URL could flood the logs
 * that way. This wraps the middleware Probot builds (`getNodeMiddleware`, which `probot run`,
 * `Server` and `createNodeMiddleware` all call after loading the app): a POST to the webhook path is
 * read (at most GitHub's 25 MB), its `X-Hub-Signature-256` checked with Probot's own
 * `webhooks.verify` (the secret never leaves Probot), and either answered 400 here or handed on
 * to Probot with the body already read. Everything else goes to Probot untouched.
 *
 * When a signed delivery's handlers fail, Probot's error handler logs the error in full (with the
 * payload) and the middleware logs it again: the middleware's copy is cut to one line here.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger, Probot } from "probot";

/** GitHub caps webhook payloads at 25 MB; anything larger is not a GitHub delivery. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

type NodeMiddleware = Awaited<ReturnType<Probot["getNodeMiddleware"]>>;
type MiddlewareOptions = Parameters<Probot["getNodeMiddleware"]>[0];

const guarded = new WeakSet<object>();

export function guardWebhookSignatures(app: Probot): void {
  if (guarded.has(app)) return;
  guarded.add(app);
  const build = app.getNodeMiddleware.bind(app);
  app.getNodeMiddleware = async (options?: MiddlewareOptions): Promise<NodeMiddleware> => {
    const probotMiddleware = await build({ ...options, log: summarizingLog(options?.log ?? app.log) });
    const webhookPath = trimSlashes(options?.path ?? app.webhookPath);
    const guard = async (request: IncomingMessage, response: ServerResponse, next?: () => void): Promise<boolean> => {
      if (request.method !== "POST" || pathOf(request.url) !== webhookPath || !isJson(request)) {
        return probotMiddleware(request, response, next);
      }
      const event = header(request, "x-github-event");
      const delivery = header(request, "x-github-delivery");
      const signature = header(request, "x-hub-signature-256");
      if (event === undefined || delivery === undefined) return probotMiddleware(request, response, next);
      const where = { delivery: clip(delivery), event: clip(event) };
      if (signature === undefined) {
        app.log.warn(where, "webhook rejected (400): no X-Hub-Signature-256 header");
        return reject(response, 400, "Required headers missing: x-hub-signature-256");
      }
      const body = await readBody(request);
      if (body === null) {
        app.log.warn(where, `webhook rejected (413): the payload is larger than ${MAX_WEBHOOK_BYTES} bytes`);
        return reject(response, 413, "payload too large");
      }
      const valid = await app.webhooks.verify(body, signature).catch(() => false);
      if (!valid) {
        // Kept at error level like Probot's own message: a wrong WEBHOOK_SECRET fails every delivery.
        app.log.error(
          where,
          "webhook rejected (400): signature does not match event payload and secret; check WEBHOOK_SECRET if GitHub sent it",
        );
        return reject(response, 400, "signature does not match event payload and secret");
      }
      // @octokit/webhooks reads a string `body` instead of the (now consumed) stream.
      (request as IncomingMessage & { body?: string }).body = body;
      return probotMiddleware(request, response, next);
    };
    return guard as NodeMiddleware;
  };
}

/** The middleware's logger, with `error` (its second report of a failed delivery) cut to one line. */
function summarizingLog(log: Logger): Logger {
  const summary = Object.create(log) as Logger;
  summary.error = ((error: unknown) => {
    const errors = (error as { errors?: unknown }).errors;
    const first = (Array.isArray(errors) && errors.length > 0 ? errors[0] : error) as { status?: unknown; message?: unknown };
    log.warn(
      { status: typeof first?.status === "number" ? first.status : 500, errors: Array.isArray(errors) ? errors.length : 1 },
      `webhook handlers failed: ${clip(String(first?.message ?? error).split("\n")[0] ?? "")}`,
    );
  }) as Logger["error"];
  return summary;
}

function reject(response: ServerResponse, status: number, error: string): true {
  const body = JSON.stringify({ error });
  response.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) }).end(body);
  return true;
}

/** The body as text, or null when it is larger than MAX_WEBHOOK_BYTES (the rest is read and dropped). */
function readBody(request: IncomingMessage): Promise<string | null> {
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > MAX_WEBHOOK_BYTES) {
    request.resume();
    return Promise.resolve(null);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    request.on("data", (chunk: Buffer | string) => {
      if (settled) return;
      const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size > MAX_WEBHOOK_BYTES) {
        settled = true;
        chunks.length = 0;
        resolve(null);
        return;
      }
      chunks.push(buffer);
    });
    request.once("end", () => {
      if (settled) return;
      settled = true;
      resolve(new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks)));
    });
    request.once("error", (error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
  });
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isJson(request: IncomingMessage): boolean {
  return /^\s*application\/json\s*(?:;|$)/u.test(header(request, "content-type") ?? "");
}

function pathOf(url: string | undefined): string | null {
  try {
    return trimSlashes(new URL(url ?? "/", "http://localhost").pathname);
  } catch {
    return null;
  }
}

function trimSlashes(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed === "" ? "/" : trimmed;
}

/** Header values are attacker-chosen: logged short. */
function clip(value: string): string {
  return value.length > 100 ? `${value.slice(0, 100)}…` : value;
}
