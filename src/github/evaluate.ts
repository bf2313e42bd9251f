/**
 * One pull request, from policy to verdict, without posting anything: reads the policy, the changed
 * files and the watched files at base and head, and asks the engine for the review and every text.
 * Throws on GitHub or engine failures; pipeline.ts turns those into a failed check run.
 */
import type { Engine, ReviewResult } from "../engine/index.js";
import type { Policy } from "../model/config.js";
import type { CheckResult } from "./check-run.js";
import { loadPolicy, policyErrorSummary, type PolicyParser } from "./policy.js";
import { listChangedFiles } from "./changed-files.js";
import { changedWatchedPaths, type ChangedFile } from "./pull-request-files.js";
import type { PrHistory } from "./pr-history.js";
import { fetchSnapshot } from "./snapshot.js";
import type { GitHub, PullTarget } from "./types.js";

export interface EvaluateDeps {
  engine: Engine;
  parsePolicy: PolicyParser;
}

/** What the publishing step needs once the check run is completed. */
export interface Publication {
  policy: Policy;
  /** The engine's review with its comments (placed by review.ts) and sticky comment body. */
  result: ReviewResult;
  files: ChangedFile[];
  history: PrHistory;
}

export interface Evaluation {
  check: CheckResult;
  /** Null when nothing is to be posted (draft, no Campaign change, bad policy, or both outputs off). */
  publish: Publication | null;
}

export const DRAFT_NOTE =
  "_This pull request is a draft: MX Guard posts its review comments and summary comment when it is marked ready for review._";

export async function evaluate(
  deps: EvaluateDeps,
  gh: GitHub,
  pull: PullTarget,
  readConfig: () => Promise<unknown>,
): Promise<Evaluation> {
  const parsed = await loadPolicy(readConfig, deps.parsePolicy);
  if (!parsed.ok) {
    return {
      check: { conclusion: "failure", title: "MX Guard: the policy is invalid", summary: policyErrorSummary(parsed), annotations: [] },
      publish: null,
    };
  }
  const policy = parsed.value;
  const files = await listChangedFiles(gh, pull);
  const watched = deps.engine.watchedPaths(policy);
  const changed = changedWatchedPaths(files, watched);
  if (changed.length === 0) {
    return {
      check: {
        conclusion: "success",
        title: "No Campaign configuration changed",
        summary: `None of the ${watched.length} files MX Guard watches (${watched.map((p) => `\`${p}\``).join(", ")}) changed in this pull request.`,
        annotations: [],
      },
      publish: null,
    };
  }
  const posting = !pull.draft && !pull.mergeGroup && (policy.review || policy.comment !== "off");
  const snapshot = await fetchSnapshot(gh, pull, watched, posting);
  const result = deps.engine.reviewChange(snapshot.base, snapshot.head, policy);
  const output = result.check;
  const check: CheckResult = {
    conclusion: result.conclusion,
    title: output.title,
    summary: pull.draft ? `${output.summary}\n\n${DRAFT_NOTE}` : output.summary,
    ...(output.text ? { text: output.text } : {}),
    annotations: result.annotations,
  };
  if (!posting || !snapshot.history) return { check, publish: null };
  return { check, publish: { policy, result, files, history: snapshot.history } };
}
