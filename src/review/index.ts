/** The review layer: base vs head findings, tls-downgrade, verified fixes, verdict (SPEC §6–§7). */
export { compareFindings, magnitudeGrew } from "./compare.js";
export { computeFixes, isFixable, roundLadder, ruleOfFinding, type FixOptions, type SimulateFn } from "./fixes.js";
export { compareFindingOrder, compareReviewed, SEVERITY_RANK, sortFindings } from "./order.js";
export { headFindings, review, type ReviewOptions } from "./review.js";
export { applySuggestion, editRuleText, type RuleEdit } from "./rule-text.js";
export { ruleForSite, tlsDowngrades } from "./tls-downgrade.js";
export { isBlocking, verdict } from "./verdict.js";
