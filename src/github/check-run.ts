/**
 * The "MX Guard" check run on the head commit: created in_progress as soon as a run starts, then
 * completed with the verdict, its summary and every annotation (50 per request, each PATCH appends).
 * Callers guarantee completion: see pipeline.ts.
 */
import type { CheckAnnotation } from "../render/channels.js";
import { batches } from "../render/annotations.js";
import { cutMiddleBytes, MAX_TITLE_CHARS, truncateChars } from "../render/truncate.js";
import { CHECK_NAME, EXTERNAL_ID_PREFIX, LIMITS } from "./constants.js";
import { normalizePath } from "./pull-request-files.js";
import type { GitHub } from "./types.js";

export interface CheckResult {
  conclusion: "success" | "failure";
  title: string;
  summary: string;
  text?: string;
  annotations: CheckAnnotation[];
}

/**
 * `mx-guard:<event.action>:<delivery id>:pr-<number>` — says which event produced a run, and for
 * which pull request: two pull requests with the same head commit each get their own run.
 */
export function externalId(eventKey: string, deliveryId: string, pullNumber?: number): string {
  return `${EXTERNAL_ID_PREFIX}${eventKey}:${deliveryId}${pullNumber ? `:pr-${pullNumber}` : ""}`;
}

/** A completed run counts as "this event, already checked" only if it is this app's, for this pull request. */
function sameEventAndPull(
  run: { external_id?: string | null; app?: { id?: number } | null },
  eventKey: string,
  pullNumber: number | undefined,
  appId: number | undefined,
): boolean {
  const id = run.external_id ?? "";
  if (!id.startsWith(`${EXTERNAL_ID_PREFIX}${eventKey}:`)) return false;
  // Another integration may name a run "MX Guard" with a look-alike external_id.
  if (appId !== undefined && run.app?.id !== undefined && run.app.id !== appId) return false;
  const pull = /:pr-(\d+)$/.exec(id)?.[1];
  // Runs from before the pull request was part of the id match any pull request.
  return pull === undefined || !pullNumber || Number(pull) === pullNumber;
}

/** A completed run of the same event, and the verdict it gave. */
export interface EarlierRun {
  id: number;
  conclusion: string | null;
  title: string;
}

/**
 * The earlier MX Guard runs on this commit that matter before starting one: a completed run from the
 * same kind of event (→ skip), and a run still in progress that this very delivery started
 * (`external` equal: its process died, or Redis-free replicas raced) — that one is finished instead
 * of leaving it in progress next to a new one. One request.
 */
export async function findEarlierRuns(
  gh: GitHub,
  headSha: string,
  eventKey: string,
  external: string,
  pullNumber?: number,
): Promise<{ completed: EarlierRun | null; unfinished: number | null }> {
  const { data } = await gh.octokit.rest.checks.listForRef({
    owner: gh.owner,
    repo: gh.repo,
    ref: headSha,
    check_name: CHECK_NAME,
    filter: "all",
    per_page: 100,
  });
  const completed = data.check_runs.find((r) => r.status === "completed" && sameEventAndPull(r, eventKey, pullNumber, gh.appId));
  // Also the id without `:pr-<n>`, as runs started before the pull request was part of it carry.
  const legacy = external.replace(/:pr-\d+$/, "");
  const unfinished = data.check_runs.find((r) => r.status !== "completed" && (r.external_id === external || r.external_id === legacy));
  return {
    completed: completed ? { id: completed.id, conclusion: completed.conclusion, title: completed.output?.title ?? "" } : null,
    unfinished: unfinished ? unfinished.id : null,
  };
}

/** What identifies every MX Guard run: repository, name, commit and the event that asked for it. */
function runIdentity(gh: GitHub, headSha: string, external: string) {
  return { owner: gh.owner, repo: gh.repo, name: CHECK_NAME, head_sha: headSha, external_id: external };
}

export async function startCheckRun(gh: GitHub, headSha: string, external: string): Promise<number> {
  const { data } = await gh.octokit.rest.checks.create({
    ...runIdentity(gh, headSha, external),
    status: "in_progress",
    started_at: new Date().toISOString(),
    output: {
      title: "Simulating the MX configuration…",
      summary: "MX Guard is simulating the base and head configuration of this pull request.",
    },
  });
  return data.id;
}

/** Whether `result` fits one request: its annotations (at most 50) go with the creation. */
export function fitsOneRequest(result: CheckResult): boolean {
  return result.annotations.length <= LIMITS.annotationsPerRequest;
}

/**
 * A run created already completed, in one request: a run that finished quickly (pipeline.ts, the
 * App's pacing), or the last resort when an in-progress run cannot be completed. The same name,
 * commit and external_id as every run, so later events find it as an earlier run. Annotations
 * past the first 50 are left out (callers use it only for results that fit, or have none).
 */
export async function createCompletedRun(gh: GitHub, headSha: string, external: string, result: CheckResult): Promise<number> {
  const now = new Date().toISOString();
  const annotations = result.annotations
    .map(sanitizeAnnotation)
    .filter((a): a is CheckAnnotation => a !== null)
    .slice(0, LIMITS.annotationsPerRequest);
  const { data } = await gh.octokit.rest.checks.create({
    ...runIdentity(gh, headSha, external),
    status: "completed",
    conclusion: result.conclusion,
    started_at: now,
    completed_at: now,
    output: {
      title: truncateChars(result.title, MAX_TITLE_CHARS),
      summary: cutMiddleBytes(result.summary),
      ...(result.text ? { text: cutMiddleBytes(result.text) } : {}),
      ...(annotations.length > 0 ? { annotations } : {}),
    },
  });
  return data.id;
}

/** Sends the annotations in batches of 50, then completes the run with the last batch. */
export async function completeCheckRun(gh: GitHub, checkRunId: number, result: CheckResult): Promise<void> {
  const all = result.annotations.map(sanitizeAnnotation).filter((a): a is CheckAnnotation => a !== null);
  const kept = all.slice(0, LIMITS.annotationsTotal);
  let summary = result.summary;
  if (kept.length < all.length) {
    summary += `\n\n_MX Guard attaches at most ${LIMITS.annotationsTotal} annotations to a run: ${all.length - kept.length} more findings are listed above only._`;
  }
  const title = truncateChars(result.title, MAX_TITLE_CHARS);
  summary = cutMiddleBytes(summary);
  const chunks = batches(kept, LIMITS.annotationsPerRequest);
  const last = chunks.pop() ?? [];
  for (const batch of chunks) {
    await gh.octokit.rest.checks.update({
      owner: gh.owner,
      repo: gh.repo,
      check_run_id: checkRunId,
      output: { title, summary, annotations: batch },
    });
  }
  await gh.octokit.rest.checks.update({
    owner: gh.owner,
    repo: gh.repo,
    check_run_id: checkRunId,
    status: "completed",
    conclusion: result.conclusion,
    completed_at: new Date().toISOString(),
    output: {
      title,
      summary,
      ...(result.text ? { text: cutMiddleBytes(result.text) } : {}),
      ...(last.length > 0 ? { annotations: last } : {}),
    },
  });
}

/** A failure verdict that explains why MX Guard could not give a real one. */
export function failureResult(title: string, cause: string): CheckResult {
  return { conclusion: "failure", title, summary: cause, annotations: [] };
}

/** Paths and lines GitHub accepts; the texts are already sized by render/annotations.ts. */
function sanitizeAnnotation(a: CheckAnnotation): CheckAnnotation | null {
  const path = normalizePath(a.path);
  const start = Math.max(1, Math.trunc(a.start_line));
  const end = Math.max(start, Math.trunc(a.end_line));
  if (!path || !Number.isFinite(start) || !Number.isFinite(end)) return null;
  return {
    path,
    start_line: start,
    end_line: end,
    annotation_level: a.annotation_level,
    title: a.title,
    message: a.message,
    ...(a.raw_details ? { raw_details: a.raw_details } : {}),
  };
}
