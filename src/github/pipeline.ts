/**
 * The one executor that posts for a pull request (Danger-style): skip duplicates, create the check
 * run, evaluate, complete the check run — always, as a failure when anything went wrong — then post
 * the review and the sticky comment. Posting problems are logged; they never change the verdict.
 */
import {
  completeCheckRun,
  createCompletedRun,
  externalId,
  fitsOneRequest,
  failureResult,
  findEarlierRuns,
  startCheckRun,
  type CheckResult,
} from "./check-run.js";
import { CommitNotVisibleError, DEFAULT_VISIBILITY, whenCommitVisible, type VisibilityOptions } from "./commit-visibility.js";
import { headConfigErrors } from "../engine/index.js";
import { ERRORED_TITLE } from "./constants.js";
import { describeError } from "./errors.js";
import { evaluate, type EvaluateDeps, type Publication } from "./evaluate.js";
import { withComparedCommits, withMergeBase } from "./merge-base.js";
import { isChange, type ReviewedFinding } from "../model/findings.js";
import type { PrHistory } from "./pr-history.js";
import { hunksByPath, type ChangedFile } from "./pull-request-files.js";
import { markedFingerprint } from "./markers.js";
import { tidyFixedThreads } from "./tidy.js";
import { planReview, postReview, type ReviewOutcome } from "./review.js";
import { applySticky, cleanUpStickies, planCleanup, planSticky, type StickyAction } from "./sticky-comment.js";
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
  /**
   * Asked right before the review and again before the sticky comment (coordination/): "superseded"
   * when a newer head of the pull request was seen, "lock-lost" when another run took over the pull
   * request. The check run is completed either way; only the pull request outputs are skipped.
   */
  publishGate?: () => Promise<PublishGate>;
  /**
   * Compare with the merge base (merge-base.ts, one more request). The shells switch it on (the App
   * in src/index.ts, the Action's main(), mx-guard review); off, the base tip is compared.
   */
  mergeBase?: boolean;
  /** How long to wait for a commit GitHub does not show yet (commit-visibility.ts); tests shorten it. */
  visibility?: VisibilityOptions;
  /**
   * Paced (the App): the check run is created only once the run has taken `quickMs` — a run done
   * sooner creates it already completed, in one request. Undefined: created first, in progress.
   */
  quickMs?: number;
  /** The pull request's changed files when the caller already listed them (the App's triage, jobs.ts). */
  files?: ChangedFile[];
}

export type PublishGate = "publish" | "superseded" | "lock-lost";

export type RunOutcome =
  /** This event was already checked: the earlier run's id and verdict (its conclusion and title). */
  | { kind: "duplicate"; checkRunId: number; conclusion: string | null; title: string }
  /** The head commit no longer exists (force-pushed away): no check can be created on it. */
  | { kind: "commit-gone" }
  | {
      kind: "completed";
      checkRunId: number;
      conclusion: "success" | "failure";
      /** The check run's title: the verdict in one line. */
      title: string;
      errored: boolean;
      review: ReviewOutcome | "skipped" | "failed" | Exclude<PublishGate, "publish">;
      sticky: StickyAction["kind"] | "skipped" | "failed" | Exclude<PublishGate, "publish">;
    };

export async function runForPullRequest(deps: EvaluateDeps, request: RunRequest): Promise<RunOutcome> {
  const { gh, pull } = request;
  const pullNumber = pull.mergeGroup ? undefined : pull.number;
  const external = externalId(request.eventKey, request.deliveryId, pullNumber);
  const visible = <T>(call: () => Promise<T>): Promise<T> =>
    whenCommitVisible(gh, pull.headSha, call, request.visibility ?? DEFAULT_VISIBILITY);
  const start = () => visible(() => startCheckRun(gh, pull.headSha, external));
  let checkRunId: number | null = null;
  let deferred: DeferredStart | null = null;
  try {
    let unfinished: number | null = null;
    if (!request.rerequest) {
      const previous = await visible(() => findEarlierRuns(gh, pull.headSha, request.eventKey, external, pullNumber));
      if (previous.completed !== null) {
        const { id, conclusion, title } = previous.completed;
        gh.log.info({ pull: pull.number, headSha: pull.headSha, checkRunId: id }, "already checked for this event; skipping");
        return { kind: "duplicate", checkRunId: id, conclusion, title };
      }
      // This very delivery started a run that never finished (its process died): finish that one.
      unfinished = previous.unfinished;
      if (unfinished !== null)
        gh.log.info(
          { pull: pull.number, headSha: pull.headSha, checkRunId: unfinished },
          "resuming the check run an earlier attempt left in progress",
        );
    }
    if (unfinished !== null) checkRunId = unfinished;
    else if (request.quickMs === undefined) checkRunId = await start();
    // Paced: the run shows as in progress only if it is not done within quickMs.
    else deferred = deferStart(request.quickMs, start);
  } catch (error) {
    if (!(error instanceof CommitNotVisibleError)) throw error;
    return commitNeverVisible(gh, pull, external, error);
  }
  /** Completes the run with `result`: one creation request when no run was started yet and it fits. */
  const finish = async (result: CheckResult): Promise<number> => {
    checkRunId ??= (await deferred?.settle()) ?? null;
    if (checkRunId === null && fitsOneRequest(result)) {
      checkRunId = await visible(() => createCompletedRun(gh, pull.headSha, external, result));
      return checkRunId;
    }
    checkRunId ??= await start();
    await completeCheckRun(gh, checkRunId, result);
    return checkRunId;
  };
  let publication: Publication | null;
  let reverted: PrHistory | undefined;
  let conclusion: "success" | "failure";
  let title: string;
  let completedId: number;
  try {
    const compared = request.mergeBase === true ? await withMergeBase(gh, pull) : pull;
    const evaluation = await evaluate(deps, gh, compared, request.readConfig, request.files);
    evaluation.check.summary = withComparedCommits(evaluation.check.summary, compared);
    completedId = await finish(evaluation.check);
    publication = evaluation.publish;
    reverted = evaluation.reverted;
    conclusion = evaluation.check.conclusion;
    title = evaluation.check.title;
  } catch (error) {
    const started = checkRunId ?? (await deferred?.settle()?.catch(() => null)) ?? null;
    if (started === null && error instanceof CommitNotVisibleError) return commitNeverVisible(gh, pull, external, error);
    const cause = describeError(error);
    gh.log.error({ pull: pull.number, headSha: pull.headSha, cause }, "MX Guard run failed; completing the check as a failure");
    const result = failureResult(
      ERRORED_TITLE,
      `MX Guard could not check this pull request, so it cannot vouch for it.\n\n**Cause:** ${cause}\n\nRe-run this check once the cause is fixed.`,
    );
    const failedId =
      started === null
        ? await createCompletedRun(gh, pull.headSha, external, result)
        : await completeOrReplace(gh, pull, started, external, result);
    return {
      kind: "completed",
      checkRunId: failedId,
      conclusion: "failure",
      title: ERRORED_TITLE,
      errored: true,
      review: "skipped",
      sticky: "skipped",
    };
  }
  if (!publication) {
    // Reverted: every finding mx-guard commented on went with the change.
    if (reverted && (await gate(request)) === "publish") await tidyThreads(gh, pull, reverted, []);
    return { kind: "completed", checkRunId: completedId, conclusion, title, errored: false, review: "skipped", sticky: "skipped" };
  }
  const before = await gate(request);
  const review = before === "publish" ? await publishReview(gh, pull, publication) : before;
  if (before === "publish") await tidyThreads(gh, pull, publication.history, publication.result.review.findings);
  const after = before === "publish" ? await gate(request) : before;
  const sticky = after === "publish" ? await publishSticky(gh, pull, publication) : after;
  return { kind: "completed", checkRunId: completedId, conclusion, title, errored: false, review, sticky };
}

interface DeferredStart {
  /** Stops the timer; the started run's id when it had fired (null when it had not). */
  settle(): Promise<number> | null;
}

/** Starts the check run after `ms` unless settled first. */
function deferStart(ms: number, start: () => Promise<number>): DeferredStart {
  let started: Promise<number> | null = null;
  const timer = setTimeout(() => {
    started = start();
    // Awaited by settle(); never an unhandled rejection meanwhile.
    started.catch(() => {});
  }, ms);
  return {
    settle: () => {
      clearTimeout(timer);
      return started;
    },
  };
}

/** The publish gate's answer, logged when it holds the outputs back; "publish" without a gate. */
async function gate(request: RunRequest): Promise<PublishGate> {
  if (!request.publishGate) return "publish";
  const answer = await request.publishGate();
  if (answer !== "publish") {
    const { gh, pull } = request;
    gh.log.info(
      { pull: pull.number, headSha: pull.headSha, gate: answer },
      answer === "superseded"
        ? "a newer head of this pull request has arrived: its run posts the review and the summary comment, this one does not"
        : "another run took over this pull request: it posts the review and the summary comment, this one does not",
    );
  }
  return answer;
}

/**
 * The commit stayed invisible for the whole wait. If the pull request's head has moved on, a newer
 * push replaced it and that push has its own run. Otherwise one last completed failure run names the
 * cause, so the pull request shows a check with a Re-run button; if GitHub refuses even that, the
 * delivery fails (the error propagates).
 */
async function commitNeverVisible(gh: GitHub, pull: PullTarget, external: string, error: CommitNotVisibleError): Promise<RunOutcome> {
  if (!pull.mergeGroup) {
    const { data } = await gh.octokit.rest.pulls.get({ owner: gh.owner, repo: gh.repo, pull_number: pull.number });
    if (data.head.sha !== pull.headSha) {
      gh.log.info(
        { pull: pull.number, headSha: pull.headSha, newHead: data.head.sha },
        "the head commit no longer exists (a newer push replaced it); nothing to check",
      );
      return { kind: "commit-gone" };
    }
  }
  const result = failureResult(
    ERRORED_TITLE,
    `MX Guard could not check this commit: ${error.message}. A push to a fork can take a moment to reach the base repository; ` +
      "press Re-run once the commit shows in the pull request.",
  );
  const checkRunId = await createCompletedRun(gh, pull.headSha, external, result);
  return {
    kind: "completed",
    checkRunId,
    conclusion: "failure",
    title: ERRORED_TITLE,
    errored: true,
    review: "skipped",
    sticky: "skipped",
  };
}

/**
 * Completes the run with `result`; when GitHub keeps refusing that (the run gone, a persistent 409
 * or 5xx), creates a new run, already completed, on the same commit: GitHub shows the latest run of
 * a name, so the in-progress one no longer holds the required check. Throws only if both fail.
 */
async function completeOrReplace(gh: GitHub, pull: PullTarget, checkRunId: number, external: string, result: CheckResult): Promise<number> {
  try {
    await completeCheckRun(gh, checkRunId, result);
    return checkRunId;
  } catch (error) {
    gh.log.error(
      { pull: pull.number, headSha: pull.headSha, checkRunId, cause: describeError(error) },
      "could not complete the check run; replacing it with a completed one",
    );
    return createCompletedRun(gh, pull.headSha, external, result);
  }
}

async function publishReview(gh: GitHub, pull: PullTarget, p: Publication): Promise<ReviewOutcome | "skipped" | "failed"> {
  if (!p.policy.review) return "skipped";
  if (p.history.reviewedShas.has(pull.headSha)) return "skipped";
  try {
    const plan = planReview(p.result.comments, hunksByPath(p.files), p.history.postedFingerprints);
    return await postReview(gh, pull, plan);
  } catch (error) {
    gh.log.error({ pull: pull.number, cause: describeError(error) }, "could not post the review");
    return "failed";
  }
}

/**
 * Resolves (or minimizes) mx-guard's threads whose finding the head no longer has as a change. Not
 * when the head could not be read whole: a finding missing because a file does not parse is not fixed.
 */
async function tidyThreads(gh: GitHub, pull: PullTarget, history: PrHistory, findings: readonly ReviewedFinding[]): Promise<void> {
  if (history.threads.length === 0) return;
  if (headConfigErrors(findings).length > 0) {
    gh.log.info({ pull: pull.number }, "the head has configuration errors: earlier review threads are left open");
    return;
  }
  // Still "new" or "worsened": what the comment said still holds. A finding back to how the base
  // has it ("existing") is no longer this pull request's doing, so its comment is stale too.
  const stillFound = new Set(findings.filter(isChange).map((f) => markedFingerprint(f.fingerprint)));
  try {
    await tidyFixedThreads(gh, history.threads, stillFound);
  } catch (error) {
    gh.log.error({ pull: pull.number, cause: describeError(error) }, "could not tidy the review threads of fixed findings");
  }
}

async function publishSticky(gh: GitHub, pull: PullTarget, p: Publication): Promise<StickyAction["kind"] | "failed"> {
  try {
    const action = planSticky(p.policy.comment, p.result.sticky, p.history.stickies, pull.headSha);
    await applySticky(gh, pull, action);
    await cleanUpStickies(gh, planCleanup(p.policy.comment, p.history.stickies, pull.headSha));
    return action.kind;
  } catch (error) {
    gh.log.error({ pull: pull.number, cause: describeError(error) }, "could not post the summary comment");
    return "failed";
  }
}
