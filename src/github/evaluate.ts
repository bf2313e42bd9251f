/**
 * One pull request, from policy to verdict, without posting anything: reads the policy and the
 * watched files at base and head, and asks the engine for the review and every text. The changed
 * files are listed only to place comments on diff lines.
 * Throws on GitHub or engine failures; pipeline.ts turns those into a failed check run.
 */
import { requiredPaths, type Engine, type ReviewResult } from "../engine/index.js";
import { POLICY_PATH, type Policy } from "../model/config.js";
import type { CheckResult } from "./check-run.js";
import { loadPolicy, policyErrorSummary, type PolicyParser } from "./policy.js";
import { listChangedFiles } from "./changed-files.js";
import { changedPaths } from "./fetch-files.js";
import type { ChangedFile } from "./pull-request-files.js";
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
  /**
   * The pull request no longer changes any watched file (a later push reverted it): what mx-guard
   * posted earlier, whose every finding is gone with the change (pipeline.ts tidies its threads).
   */
  reverted?: PrHistory;
}

export const NO_CONFIGURATION_TITLE = "No Campaign configuration in this repository";

export const DRAFT_NOTE =
  "_This pull request is a draft: MX Guard posts its review comments and summary comment when it is marked ready for review._";

export async function evaluate(
  deps: EvaluateDeps,
  gh: GitHub,
  pull: PullTarget,
  readConfig: () => Promise<unknown>,
  listed?: ChangedFile[],
): Promise<Evaluation> {
  const parsed = await loadPolicy(readConfig, deps.parsePolicy);
  if (!parsed.ok) {
    return {
      check: { conclusion: "failure", title: "MX Guard: the policy is invalid", summary: policyErrorSummary(parsed), annotations: [] },
      publish: null,
    };
  }
  const policy = parsed.value;
  // The file list only places comments on diff lines; it never decides what changed (it is capped).
  const files = listed ?? (await listChangedFiles(gh, pull));
  const watched = deps.engine.watchedPaths(policy);
  // A merge group has no pull request to post on: only its check run.
  const posting = !pull.draft && !pull.mergeGroup && (policy.review || policy.comment !== "off");
  // Which watched paths changed is read off their blob ids at base and head (the same query that
  // reads them), never off the pull request's file list, which GitHub cuts at 3,000 files.
  const snapshot = await fetchSnapshot(gh, pull, watched, posting);
  const present = watched.filter((path) => snapshot.oids.base[path] !== null || snapshot.oids.head[path] !== null);
  if (policy.file === null && present.length === 0) {
    // Installed on every repository of an organisation: a repository without Campaign files and
    // without a policy has nothing to guard. With a policy, missing files fail below.
    return {
      check: {
        conclusion: "success",
        title: NO_CONFIGURATION_TITLE,
        summary: `There is no \`${POLICY_PATH}\` and none of the files MX Guard reads by default (${watched.map((p) => `\`${p}\``).join(", ")}) exists at the base or the head, so there is nothing to check.`,
        annotations: [],
      },
      publish: null,
    };
  }
  const changed = changedPaths(snapshot, watched);
  const headComplete = requiredPaths(policy).every((path) => snapshot.oids.head[path] !== null);
  if (changed.length === 0 && headComplete) {
    return {
      check: {
        conclusion: "success",
        title: "No Campaign configuration changed",
        summary: `None of the ${watched.length} files MX Guard watches (${watched.map((p) => `\`${p}\``).join(", ")}) changed in this pull request.`,
        annotations: [],
      },
      publish: null,
      ...(snapshot.history && snapshot.history.threads.length > 0 ? { reverted: snapshot.history } : {}),
    };
  }
  const result = await deps.engine.reviewChange(snapshot.base, snapshot.head, policy);
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
