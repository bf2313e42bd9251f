/** The "MX Guard" check run output (docs/contract.md#what-is-posted-on-github; limits: docs/github-app.md#github-limits). */
import type { CheckOutput } from "../model/outputs.js";
import type { Review } from "../model/review.js";
import { assumptions, assumptionsMarkdown } from "./assumptions.js";
import { deliveryTableMarkdown } from "./delivery-table.js";
import { isQuiet, quietLine, reviewTitle } from "./headline.js";
import { reviewMarkdownBody } from "./report-markdown.js";
import { siteTableMarkdown } from "./site-table.js";
import { cutMiddleBytes } from "./truncate.js";

/**
 * Title: the verdict. Summary: verdict first, the base → head table, new/worsened findings, details
 * collapsed, the assumptions; cut in the middle (with a notice) above 65,535 UTF-8 bytes (GitHub counts bytes here). When the head
 * makes nothing worse the summary is one line, and the table and assumptions move to `text`.
 */
export function renderCheckOutput(review: Review): CheckOutput {
  const title = reviewTitle(review);
  if (isQuiet(review)) {
    const text = [
      deliveryTableMarkdown(review.head.report, review.base.report),
      siteTableMarkdown(review.head.report),
      assumptionsMarkdown(assumptions(review.head.report, review.base.report)),
    ]
      .filter((section) => section !== "")
      .join("\n\n");
    return { title, summary: quietLine(review), text: cutMiddleBytes(text) };
  }
  return { title, summary: cutMiddleBytes(reviewMarkdownBody(review)) };
}
