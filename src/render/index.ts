/** Every renderer: pure functions from a Review (or a SimulationReport) to text for one channel. */
export { annotationFor, batches, renderAnnotations } from "./annotations.js";
export { hourlyChart, hourlyChartMarkdown, MAX_CHART_POINTS, worstSite } from "./chart.js";
export { renderCheckOutput, renderErrorCheckOutput } from "./check-output.js";
export { renderDiffJson, renderDiffMarkdown, renderDiffText } from "./diff.js";
export { isQuiet, reviewTitle, verdictLine } from "./headline.js";
export { fingerprintMarker, parseFingerprintMarker, renderReviewComments, reviewCommentBody } from "./review-comments.js";
export { renderSarif, renderSarifText, sarifLog, type SarifLog } from "./sarif.js";
export { renderSimulateJson } from "./simulate-json.js";
export { renderSimulateText } from "./simulate-text.js";
export { renderStickyComment } from "./sticky-comment.js";
export { cutMiddle, MAX_ANNOTATION_BYTES, MAX_BODY_CHARS, MAX_TITLE_CHARS } from "./truncate.js";
