/**
 * Helpers for the security and fault tests: a Probot with a real pino logger at trace level whose
 * output is kept, and the webhook middleware Probot serves (`getNodeMiddleware`, as `probot run`
 * builds it) driven with in-memory requests, so signed and forged deliveries take the same path
 * as over HTTP without opening a socket (nock blocks the network in this project).
 */
import { createHmac } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable, Writable } from "node:stream";
import { pino } from "pino";
import type { Probot } from "probot";
import type { Engine } from "../../src/engine/index.js";
import { queueOf, type AppOptions } from "../../src/github/app.js";
import { loadMxGuard, testProbot } from "./helpers/probot.js";

export const WEBHOOK_SECRET = "whsec-6b1d0c3f-mx-guard-test-secret-9a7e";

export interface CapturedLog {
  /** Raw JSON lines as pino wrote them. */
  lines: string[];
  records(): Record<string, unknown>[];
  text(): string;
}

export function capturingLogger(level = "trace"): { log: pino.Logger; captured: CapturedLog } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  const log = pino({ level }, stream);
  const captured: CapturedLog = {
    lines,
    records: () =>
      lines
        .flatMap((l) => l.split("\n"))
        .filter((l) => l.trim() !== "")
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    text: () => lines.join(""),
  };
  return { log, captured };
}

export interface SecureApp {
  probot: Probot;
  captured: CapturedLog;
  sleeps: number[];
}

/** A Probot with a webhook secret and a capturing trace logger; `app: false` loads no mx-guard. */
export async function loadSecureApp(
  engine: Engine,
  options: { retry?: boolean; app?: AppOptions | false; level?: string } = {},
): Promise<SecureApp> {
  const { log, captured } = capturingLogger(options.level);
  const sleeps: number[] = [];
  const probot = testProbot({ log, retry: options.retry, secret: WEBHOOK_SECRET });
  if (options.app !== false) await loadMxGuard(probot, engine, options.app, sleeps);
  return { probot, captured, sleeps };
}

export function sign(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

export interface WebhookAnswer {
  status: number;
  body: string;
}

/** POSTs `body` to Probot's webhook middleware; headers default to a correctly signed delivery. */
export async function postWebhook(
  probot: Probot,
  event: string,
  body: string,
  headers: Record<string, string | undefined> = {},
): Promise<WebhookAnswer> {
  const middleware = await probot.getNodeMiddleware();
  const all: Record<string, string | undefined> = {
    "content-type": "application/json",
    "x-github-event": event,
    "x-github-delivery": `d-${Math.random().toString(16).slice(2)}`,
    "x-hub-signature-256": sign(WEBHOOK_SECRET, body),
    ...headers,
  };
  const request = Readable.from([Buffer.from(body, "utf8")]) as unknown as IncomingMessage;
  Object.assign(request, {
    method: "POST",
    url: "/api/github/webhooks",
    headers: Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)),
  });
  const answer: WebhookAnswer = { status: 0, body: "" };
  const response = {
    writeHead(status: number) {
      answer.status = status;
      return response;
    },
    end(text?: string) {
      answer.body = String(text ?? "");
      return response;
    },
  };
  await middleware(request, response as unknown as ServerResponse);
  // The answer comes before the run (it is queued): wait for the queue to run it.
  await queueOf(probot)?.idle();
  return answer;
}
