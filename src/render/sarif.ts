/**
 * SARIF 2.1.0 for code scanning and other SARIF consumers. Rule ids are the finding ids (all of them,
 * in catalogue order (model/catalogue.ts), so ruleIndex is stable); partialFingerprints carry the mx-guard fingerprint.
 * For a review, results are the head findings with baselineState new / updated / unchanged; fixed
 * findings are left out (their lines are the base's).
 */
import type { Review } from "../model/review.js";
import { FINDING_IDS, FINDINGS } from "../model/catalogue.js";
import type { Log, PhysicalLocation, Result } from "sarif";
import type { Finding, FindingStatus, Severity } from "../model/findings.js";
import type { SimulationReport } from "../model/results.js";
import { compareDisplayed, compareFindingOrder } from "../model/finding-order.js";
import { MX_GUARD_VERSION } from "../model/version.js";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
export const FINGERPRINT_KEY = "mxGuard/v1";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = { failure: "error", warning: "warning", notice: "note" };
const BASELINE: Record<Exclude<FindingStatus, "fixed">, "new" | "updated" | "unchanged"> = {
  new: "new",
  worsened: "updated",
  existing: "unchanged",
};

function ruleName(id: string): string {
  return id.replace(/(^|-)([a-z])/g, (_, _dash: string, ch: string) => ch.toUpperCase());
}

/** A repository-relative path as a URI reference (segments percent-encoded, "/" kept). */
export function pathToUri(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/** A SARIF 2.1.0 log, as @types/sarif describes it. */
export type SarifLog = Log;

function isReview(input: Review | SimulationReport): input is Review {
  return "conclusion" in input && "head" in input;
}

function result(finding: Finding & { status?: FindingStatus }): Result {
  const ruleIndex = FINDING_IDS.indexOf(finding.id);
  const location: PhysicalLocation = { artifactLocation: { uri: pathToUri(finding.file), uriBaseId: "%SRCROOT%" } };
  if (finding.line >= 1) location.region = { startLine: finding.line, endLine: Math.max(finding.line, finding.endLine) };
  const out: Result = {
    ruleId: finding.id,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: finding.file ? [{ physicalLocation: location }] : [],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
  };
  if (finding.status && finding.status !== "fixed") out.baselineState = BASELINE[finding.status];
  const properties: Record<string, unknown> = { instance: finding.instance, severity: finding.severity, title: finding.title };
  if (finding.status) properties["status"] = finding.status;
  if (finding.suggestion !== undefined) properties["suggestion"] = finding.suggestion;
  out.properties = properties;
  return out;
}

export function sarifLog(input: Review | SimulationReport): SarifLog {
  // The order of every other format: changes first in a review, then by severity, file and line.
  const findings: (Finding & { status?: FindingStatus })[] = isReview(input)
    ? input.findings.filter((finding) => finding.status !== "fixed").sort(compareDisplayed)
    : [...input.findings].sort(compareFindingOrder);
  const rules = FINDING_IDS.map((id) => ({
    id,
    name: ruleName(id),
    shortDescription: { text: FINDINGS[id].short },
    fullDescription: { text: FINDINGS[id].short },
    help: { text: FINDINGS[id].help, markdown: FINDINGS[id].help },
    defaultConfiguration: { level: LEVEL[FINDINGS[id].severity] },
    properties: { tags: ["adobe-campaign", "mx-rules"] },
  }));
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "mx-guard", version: MX_GUARD_VERSION, rules } },
        results: findings.map(result),
        columnKind: "utf16CodeUnits",
        originalUriBaseIds: { "%SRCROOT%": { description: { text: "The root of the configuration repository." } } },
      },
    ],
  };
}

/** The SARIF log object (the CLI prints it with JSON.stringify(…, null, 2)). */
export function renderSarif(input: Review | SimulationReport): SarifLog {
  return sarifLog(input);
}
