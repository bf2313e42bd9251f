/**
 * The one executor that posts for a pull request (Danger-style): skip duplicates, create the check
 * run, evaluate, complete the check run — always, as a failure when anything went wrong — then post
 * the review and the sticky comment. Posting problems are logged; they never change the verdict.
 */
import { completeCheckRun, externalId, failureResult, findCompletedRun, startCheckRun } from "./check-run.js";
import { describeError } from "./errors.js";
import { evaluate, type EvaluateDeps, type Publication } from "./evaluate.js";
import { hunksByPath } from "./pull-request-files.js";
import { planReview, postReview, type ReviewOutcome, type SuggestionSource } from "./review.js";
import { applySticky, planSticky, type StickyAction } from "./sticky-comment.js";
import type { GitHub, PullTarget } from "./types.js";

export interface RunRequest {
  gh: GitHub;
  pull: PullTarget;
  /** e.g. "pull_request.synchronize", "check_run.rerequested". */
  eventKey: string;
  deliveryId: string;
  /** A Re-run: always runs, even when this commit already has a completed check. */
  rerequest: boolean;
  readConfig: () => Promise<unknown>;
}

export type RunOutcome =
  | { kind: "duplicate"; checkRunId: number }
  | {
      kind: "completed";
      checkRunId: number;
      conclusion: "success" | "failure";
      errored: boolean;
      review: ReviewOutcome | "skipped" | "failed";
      sticky: StickyAction["kind"] | "skipped" | "failed";
    };

export async function runForPullRequest(deps: EvaluateDeps, request: RunRequest): Promise<RunOutcome> {
  const { gh, pull } = request;
  if (!request.rerequest) {
    const previous = await findCompletedRun(gh, pull.headSha, request.eventKey);
    if (previous !== null) {
      gh.log.info({ pull: pull.number, headSha: pull.headSha, checkRunId: previous }, "already checked for this event; skipping");
      return { kind: "duplicate", checkRunId: previous };
    }
  }
  const checkRunId = await startCheckRun(gh, pull.headSha, externalId(request.eventKey, request.deliveryId));
  let publication: Publication | null;
  let conclusion: "success" | "failure";
  try {
    const evaluation = await evaluate(deps, gh, pull, request.readConfig);
    await completeCheckRun(gh, checkRunId, evaluation.check);
    publication = evaluation.publish;
    conclusion = evaluation.check.conclusion;
  } catch (error) {
    const cause = describeError(error);
    gh.log.error({ pull: pull.number, headSha: pull.headSha, cause }, "MX Guard run failed; completing the check as a failure");
    await completeCheckRun(
      gh,
      checkRunId,
      failureResult(
        "MX Guard could not finish",
        `MX Guard could not check this pull request, so it cannot vouch for it.\n\n**Cause:** ${cause}\n\nRe-run this check once the cause is fixed.`,
      ),
    );
    return { kind: "completed", checkRunId, conclusion: "failure", errored: true, review: "skipped", sticky: "skipped" };
  }
  if (!publication) return { kind: "completed", checkRunId, conclusion, errored: false, review: "skipped", sticky: "skipped" };
  const review = await publishReview(gh, pull, publication);
  const sticky = await publishSticky(gh, pull, publication);
  return { kind: "completed", checkRunId, conclusion, errored: false, review, sticky };
}

async function publishReview(gh: GitHub, pull: PullTarget, p: Publication): Promise<ReviewOutcome | "skipped" | "failed"> {
  if (!p.policy.review) return "skipped";
  if (p.history.reviewedShas.has(pull.headSha)) return "skipped";
  try {
    const plan = planReview(p.comments, hunksByPath(p.files), p.history.postedFingerprints, suggestionSource(p));
    return await postReview(gh, pull, plan);
  } catch (error) {
    gh.log.error({ pull: pull.number, cause: describeError(error) }, "could not post the review");
    return "failed";
  }
}

async function publishSticky(gh: GitHub, pull: PullTarget, p: Publication): Promise<StickyAction["kind"] | "failed"> {
  try {
    const action = planSticky(p.policy.comment, p.stickyBody, p.history.stickies, pull.headSha);
    await applySticky(gh, pull, action);
    return action.kind;
  } catch (error) {
    gh.log.error({ pull: pull.number, cause: describeError(error) }, "could not post the summary comment");
    return "failed";
  }
}

/** Head file texts and fixes, as the engine's review carries them. */
function suggestionSource(p: Publication): SuggestionSource {
  const byFingerprint = new Map<string, string>();
  for (const finding of p.review.findings) {
    if (finding.status !== "fixed" && finding.suggestion !== undefined) byFingerprint.set(finding.fingerprint, finding.suggestion);
  }
  return {
    fileText: (path) => p.review.head.files[path],
    suggestion: (fingerprint) => byFingerprint.get(fingerprint),
  };
}
