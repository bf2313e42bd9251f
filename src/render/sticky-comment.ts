/** The sticky PR comment: marker, headline, table, chart of the worst site, findings (docs/contract.md#what-is-posted-on-github). */
import type { Review } from "../model/review.js";
import { hourlyChartMarkdown } from "./chart.js";
import { deliveryTableMarkdown } from "./delivery-table.js";
import { escapeMd } from "./format.js";
import { isQuiet, productHeading, quietLine } from "./headline.js";
import { reviewMarkdownBody } from "./report-markdown.js";
import { cutMiddle, MAX_BODY_CHARS } from "./truncate.js";

/** Hidden marker that identifies mx-guard's sticky comment. */
export const STICKY_MARKER = "<!-- mx-guard:sticky -->";

export function renderStickyComment(review: Review): string {
  const heading = `### ${escapeMd(productHeading(review))}`;
  if (isQuiet(review)) {
    const table = deliveryTableMarkdown(review.head.report, review.base.report);
    const body = [
      STICKY_MARKER,
      heading,
      "",
      quietLine(review),
      "",
      "<details><summary>Deliveries (base → head)</summary>",
      "",
      table,
      "",
      "</details>",
    ];
    return cutMiddle(body.join("\n"), MAX_BODY_CHARS);
  }
  const chart = hourlyChartMarkdown(review.head.report, review.base.report);
  const body = reviewMarkdownBody(review, { afterTable: chart, suggestions: false });
  return cutMiddle([STICKY_MARKER, heading, "", body].join("\n"), MAX_BODY_CHARS);
}
