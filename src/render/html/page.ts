/**
 * `--format html`: one self-contained page (styles inline, charts as SVG written here, no script,
 * nothing fetched; its Content-Security-Policy forbids any load) with the verdict, the deliveries
 * table, the worst sites' charts, the findings and the assumptions.
 */
import type { Policy } from "../../model/config.js";
import { compareFindingOrder } from "../../model/finding-order.js";
import type { SimulationReport } from "../../model/results.js";
import type { Review } from "../../model/review.js";
import { assumptions } from "../assumptions.js";
import { changes, productHeading, verdictLine } from "../headline.js";
import { unreadableOnHead } from "../report-markdown.js";
import { simulateHeadline } from "../simulate-text.js";
import { deliveriesTableHtml, domainDetailsHtml } from "./deliveries.js";
import { html } from "./escape.js";
import { type FindingGroup, findingsHtml } from "./findings.js";
import { sitesHtml } from "./sites.js";
import { STYLES } from "./styles.js";

/** No script, no network: only the inline stylesheet may apply (and data: images, which there are none of). */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

interface PageParts {
  title: string;
  verdict: string;
  failed: boolean;
  head: SimulationReport;
  base?: SimulationReport;
  findings: FindingGroup[];
}

function page(parts: PageParts): string {
  const used = assumptions(parts.head, parts.base);
  const sections = [
    `<header><h1>${html(parts.title)}</h1><p class="verdict ${parts.failed ? "failure" : "success"}">${html(parts.verdict)}</p></header>`,
    `<section id="deliveries"><h2>Deliveries</h2>\n<p class="note">Paced: hours to send every message at the domains' full quotas, a bound no reading of Adobe's documentation beats. Completion: the modelled legacy MTA (working set, abandonment, retries); "expires" when messages are still unsent at the validity's end.</p>\n${deliveriesTableHtml(parts.head, parts.base)}\n${domainDetailsHtml(parts.head)}</section>`,
    `<section id="sites"><h2>Sites</h2>\n<p class="note">Messages sent so far and messages still waiting (prepared, waiting for a retry or deferred by quotas), hour by hour since the first delivery start${parts.base ? " of each side" : ""}.</p>\n${sitesHtml(parts.head, parts.base)}</section>`,
    `<section id="findings"><h2>Findings</h2>\n${findingsHtml(parts.findings)}</section>`,
    used.length > 0
      ? `<section id="assumptions"><h2>Assumptions</h2>\n<ul>${used.map((a) => `<li>${html(a)}</li>`).join("\n")}</ul></section>`
      : "",
  ];
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${html(parts.title)}</title>`,
    `<style>${STYLES}</style>`,
    "</head>",
    "<body><main>",
    ...sections.filter((section) => section !== ""),
    "<footer>Written by mx-guard. This file loads nothing: every chart is drawn in it.</footer>",
    "</main></body>",
    "</html>",
    "",
  ].join("\n");
}

/** `mx-guard simulate --format html`: one side. */
export function renderSimulateHtml(report: SimulationReport, policy: Pick<Policy, "failOn">): string {
  const failing = report.findings.some((finding) => policy.failOn.includes(finding.id));
  return page({
    title: `MX Guard: ${simulateHeadline(report, policy)}`,
    verdict: failing ? "Fails: a finding with an id listed in failOn." : "Passes: no finding with an id listed in failOn.",
    failed: failing,
    head: report,
    findings: [{ title: "Findings", findings: [...report.findings].sort(compareFindingOrder) }],
  });
}

/** `mx-guard diff --format html`, and the report the Action uploads: base against head. */
export function renderDiffHtml(review: Review): string {
  return page({
    title: productHeading(review),
    verdict: verdictLine(review),
    failed: review.conclusion === "failure",
    head: review.head.report,
    base: review.base.report,
    findings: [
      { title: "New and worsened", findings: changes(review) },
      { title: "Configuration errors on the head, also on the base", findings: unreadableOnHead(review) },
      { title: "Existing, unchanged", findings: review.findings.filter((f) => f.status === "existing" && f.id !== "config-error") },
      { title: "Fixed", findings: review.findings.filter((f) => f.status === "fixed") },
    ],
  });
}
