/**
 * The one front door of the core: the CLI, the GitHub App and the Action call these functions and
 * no other part of the pipeline (docs/architecture.md). Pure: the shells supply file texts.
 */
import type { Policy } from "../model/config.js";
import type { Review } from "../model/review.js";
import type { FileMap } from "../model/source.js";
import { renderAnnotations } from "../render/annotations.js";
import { renderCheckOutput } from "../render/check-output.js";
import { reviewComments } from "../render/review-comments.js";
import { renderStickyComment } from "../render/sticky-comment.js";
import { review as compareSides, type ReviewOptions } from "../review/review.js";
import { isBlocking } from "../review/verdict.js";
import type { FindingCounts, ReviewResult, SimulateResult } from "./result.js";
import { simulateSide, watchedPaths } from "./side.js";

export type { FindingCounts, ReviewResult, SimulateResult } from "./result.js";
export { configErrorFinding, requiredPaths, simulateSide, watchedPaths } from "./side.js";
export { headConfigErrors } from "../review/verdict.js";
/** The policy parsers and the file-size cap the shells need before they call the engine. */
export { defaultPolicy, parsePolicy, policyFromObject } from "../parse/policy.js";
export { MAX_FILE_BYTES } from "../parse/limits.js";
/** `mx-guard catalog`: the built-in catalog and its comparison with live DNS answers. */
export {
  builtinProviders,
  compareProvider,
  liveOverrides,
  type LiveDomain,
  type LiveProvider,
  type ProviderComparison,
} from "./catalog-check.js";
export { parseProviders } from "../parse/providers.js";
/** `mx-guard domains`: a traffic.yaml domains: block from counted recipient domains. */
export { renderDomainMix, type DomainMixInput } from "../render/domain-mix.js";
/** `mx-guard init`: the affinities of a serverConf.xml, to pre-fill the templates. */
export { parseServerConf } from "../parse/serverconf.js";

/** Parses and simulates one repository state; the verdict is the policy's failOn against every finding. */
export function simulate(files: FileMap, policy: Policy): SimulateResult {
  const side = simulateSide(files, policy);
  const findings = side.report.findings;
  const blocking = findings.filter((finding) => isBlocking({ ...finding, status: "new" }, policy));
  return {
    side,
    conclusion: blocking.length > 0 ? "failure" : "success",
    blocking,
    configErrors: findings.filter((finding) => finding.id === "config-error"),
  };
}

/** Simulates base and head, compares them, searches verified fixes and renders every output. */
export function reviewChange(base: FileMap, head: FileMap, policy: Policy, options: ReviewOptions = {}): ReviewResult {
  return present(compareSides(simulateSide(base, policy), simulateSide(head, policy), policy, options));
}

/** Every output of a review that is already decided. */
export function present(review: Review): ReviewResult {
  return {
    review,
    conclusion: review.conclusion,
    counts: countFindings(review),
    check: renderCheckOutput(review),
    annotations: renderAnnotations(review),
    comments: review.policy.review ? reviewComments(review) : [],
    sticky: review.policy.comment === "off" ? "" : renderStickyComment(review),
  };
}

function countFindings(review: Review): FindingCounts {
  const counts: FindingCounts = { new: 0, worsened: 0, existing: 0, fixed: 0, blocking: 0 };
  for (const finding of review.findings) {
    counts[finding.status] += 1;
    if (isBlocking(finding, review.policy)) counts.blocking += 1;
  }
  return counts;
}

/** What the GitHub App needs of the core; its tests substitute hand-made reviews behind it. */
export interface Engine {
  /** Every repository path the policy's instances read (to decide whether a change touches them). */
  watchedPaths(policy: Policy): string[];
  /** Never throws on bad input: configuration errors become findings. In worker threads it is async (engine/pool.ts). */
  reviewChange(base: FileMap, head: FileMap, policy: Policy): ReviewResult | Promise<ReviewResult>;
}

export const defaultEngine: Engine = {
  watchedPaths,
  reviewChange: (base, head, policy) => reviewChange(base, head, policy),
};

export { OUTPUT_FORMATS, REVIEW_FORMATS, SIMULATE_FORMATS, type OutputFormat } from "./formats.js";
/** The self-contained HTML report of a review (what `diff --format html` prints and the Action uploads). */
export { renderDiffHtml, renderSimulateHtml } from "../render/html/page.js";
