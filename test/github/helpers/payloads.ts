/** Webhook payloads trimmed from @octokit/webhooks-examples (test/fixtures/github), with test SHAs. */
import { readFileSync } from "node:fs";
import type { Probot } from "probot";
import { queueOf } from "../../../src/github/app.js";
import { MemoryQueue } from "../../../src/github/queue/index.js";

export const OWNER = "Codertocat";
export const REPO = "Hello-World";
export const REPO_PATH = `/repos/${OWNER}/${REPO}`;
export const PULL = 2;
export const BASE_SHA = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e";
export const HEAD_SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";

type Json = Record<string, any>;

export function fixture(name: string): Json {
  return JSON.parse(readFileSync(new URL(`../../fixtures/github/${name}.json`, import.meta.url), "utf8")) as Json;
}

export function pullRequestEvent(
  action: "opened" | "synchronize" | "reopened" | "ready_for_review",
  shas: { head?: string; base?: string; draft?: boolean } = {},
): Json {
  const payload = fixture(`pull_request.${action}`);
  payload.pull_request.head.sha = shas.head ?? HEAD_SHA;
  payload.pull_request.base.sha = shas.base ?? BASE_SHA;
  payload.pull_request.draft = shas.draft ?? false;
  return payload;
}

let counter = 0;
/** A unique X-GitHub-Delivery id. */
export function deliveryId(): string {
  counter += 1;
  return `72d3162e-cc78-11e3-81ab-4c9367dc${String(counter).padStart(4, "0")}`;
}

/**
 * Sends one webhook, then waits until the app's queue has run every job it led to (the handler
 * itself only queues them); rejects with the error of a job of this delivery that failed.
 */
export async function deliver(probot: Probot, name: string, payload: Json, id = deliveryId()): Promise<void> {
  const queue = queueOf(probot);
  const earlier = new Set(queue instanceof MemoryQueue ? queue.failures : []);
  await probot.receive({ id, name, payload } as Parameters<Probot["receive"]>[0]);
  await queue?.idle();
  if (queue instanceof MemoryQueue) {
    const failed = queue.failures.find((f) => !earlier.has(f) && (f.job.deliveryId === id || f.job.deliveryId.startsWith(`${id}.`)));
    if (failed) throw failed.error;
  }
}
