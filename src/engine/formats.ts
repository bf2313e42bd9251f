/** The CLI's output formats, one renderer per format, for `simulate` and for `diff`. */
import type { Policy } from "../model/config.js";
import { renderDiffJson, renderDiffMarkdown, renderDiffText } from "../render/diff.js";
import { renderDiffHtml, renderSimulateHtml } from "../render/html/page.js";
import { renderSarif } from "../render/sarif.js";
import { renderSimulateJson } from "../render/simulate-json.js";
import { renderSimulateText } from "../render/simulate-text.js";
import type { ReviewResult, SimulateResult } from "./result.js";

export type OutputFormat = "text" | "markdown" | "json" | "sarif" | "html";

/** Every format, in the order the usage text lists them. */
export const OUTPUT_FORMATS: readonly OutputFormat[] = ["text", "markdown", "json", "sarif", "html"];

const sarifText = (log: unknown): string => `${JSON.stringify(log, null, 2)}\n`;

export const SIMULATE_FORMATS: Record<OutputFormat, (result: SimulateResult, policy: Policy) => string> = {
  text: (result, policy) => renderSimulateText(result.side.report, policy),
  markdown: (result, policy) => renderSimulateText(result.side.report, policy, { markdown: true }),
  json: (result) => renderSimulateJson(result.side.report, result.conclusion, result.blocking),
  sarif: (result) => sarifText(renderSarif(result.side.report)),
  html: (result, policy) => renderSimulateHtml(result.side.report, policy),
};

export const REVIEW_FORMATS: Record<OutputFormat, (result: ReviewResult) => string> = {
  text: (result) => renderDiffText(result.review),
  markdown: (result) => renderDiffMarkdown(result.review),
  json: (result) => renderDiffJson(result.review),
  sarif: (result) => sarifText(renderSarif(result.review)),
  html: (result) => renderDiffHtml(result.review),
};
