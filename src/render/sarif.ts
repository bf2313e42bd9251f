/**
 * SARIF 2.1.0 for code scanning and other SARIF consumers. Rule ids are the finding ids (all of them,
 * in the SPEC's order, so ruleIndex is stable); partialFingerprints carry the mx-guard fingerprint.
 * For a review, results are the head findings with baselineState new / updated / unchanged; fixed
 * findings are left out (their lines are the base's).
 */
import type { Review } from "../engine/types.js";
import type { FindingId } from "../model/config.js";
import { DEFAULT_SEVERITY, FINDING_IDS, type Finding, type FindingStatus, type Severity } from "../model/findings.js";
import type { SimulationReport } from "../model/results.js";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
export const FINGERPRINT_KEY = "mxGuard/v1";

const RULE_TEXT: Record<FindingId, { short: string; help: string }> = {
  "config-error": { short: "A configuration file cannot be parsed or validated.", help: "Fix the file at the reported line and column; the message says what was found and what is expected." },
  "delivery-expiry": { short: "Messages are still unsent when the delivery's validity ends.", help: "Raise messagesPerHour (or maxConnections when connections bind) on the rule that limits the site, spread the delivery, or extend its validity." },
  "deadline-miss": { short: "A delivery completes later than its deadline.", help: "Raise messagesPerHour (or maxConnections when connections bind) on the binding rule, or start the delivery earlier." },
  "quota-deferral": { short: "Messages are deferred because MX quotas are met.", help: "Deferred messages wait for the next retry. Raise the quota of the binding rule or lower the volume per hour." },
  "tls-required": { short: "Plaintext delivery to a provider that requires TLS.", help: "Set tls: opportunistic on the rule, or enableTLS=\"true\" in serverConf.xml." },
  "tls-downgrade": { short: "The change makes a site's effective TLS weaker than on the base.", help: "Restore tls: opportunistic on the rule that applies to the site." },
  "no-path": { short: "A domain has no usable local IP.", help: "Check the delivery's affinity and the includeDomains / excludeDomains of its IPs." },
  "affinity-missing": { short: "A delivery names an IP affinity that no IPAffinity defines.", help: "Define the affinity in serverConf.xml or config-<instance>.xml, or fix its name in traffic.yaml." },
  "no-rule": { short: "A path matches no MX rule.", help: "Add a rule whose mask matches the MX host (a catch-all \"*\" rule last), or widen a range." },
  "shadowed-rule": { short: "A rule can never apply: an earlier rule covers it.", help: "Move the rule above the one that covers it, or remove it." },
  "unreachable-quota": { short: "messagesPerHour can never be reached: the connection limit binds first.", help: "Raise maxConnections or maxMessagesPerConnection, or lower messagesPerHour to what the connections can carry." },
  "stale-mask": { short: "A mask matches no MX host in the catalog.", help: "Check the mask against the provider's current MX hosts, or add the provider in providers.yaml." },
  "helo-conflict": { short: "One IP or publicId is mapped to several HELO hosts.", help: "Give each IP and publicId one heloHost." },
  "mx-rules-unused": { short: "Enhanced MTA or relay: the MX rules are not used.", help: "The rules have no effect in this mode; the report skips the quota simulation." },
  "rule-not-first-mx": { short: "A rule matches a provider's MX host but no planned domain's first MX host.", help: "The legacy MTA picks the rule on the recipient domain's first MX: check the mask, or plan the domains it is meant for." },
  "emta-validity": { short: "A delivery's validity exceeds the 3.5 days the Enhanced MTA uses.", help: "Adobe: the Enhanced MTA uses the validity only if set to 3.5 days or less; set validity to 3d12h or less." },
};

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

export interface SarifLog {
  $schema: string;
  version: "2.1.0";
  runs: Array<{
    tool: { driver: { name: string; informationUri?: string; rules: unknown[] } };
    results: unknown[];
    columnKind: "utf16CodeUnits";
    originalUriBaseIds: Record<string, { description: { text: string } }>;
  }>;
}

function isReview(input: Review | SimulationReport): input is Review {
  return "conclusion" in input && "head" in input;
}

function result(finding: Finding & { status?: FindingStatus }): Record<string, unknown> {
  const ruleIndex = FINDING_IDS.indexOf(finding.id);
  const location: Record<string, unknown> = { artifactLocation: { uri: pathToUri(finding.file), uriBaseId: "%SRCROOT%" } };
  if (finding.line >= 1) location["region"] = { startLine: finding.line, endLine: Math.max(finding.line, finding.endLine) };
  const out: Record<string, unknown> = {
    ruleId: finding.id,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: finding.file ? [{ physicalLocation: location }] : [],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
  };
  if (finding.status && finding.status !== "fixed") out["baselineState"] = BASELINE[finding.status];
  const properties: Record<string, unknown> = { instance: finding.instance, severity: finding.severity, title: finding.title };
  if (finding.status) properties["status"] = finding.status;
  if (finding.suggestion !== undefined) properties["suggestion"] = finding.suggestion;
  out["properties"] = properties;
  return out;
}

export function sarifLog(input: Review | SimulationReport): SarifLog {
  const findings: (Finding & { status?: FindingStatus })[] = isReview(input)
    ? input.findings.filter((finding) => finding.status !== "fixed")
    : input.findings;
  const rules = FINDING_IDS.map((id) => ({
    id,
    name: ruleName(id),
    shortDescription: { text: RULE_TEXT[id].short },
    fullDescription: { text: RULE_TEXT[id].short },
    help: { text: RULE_TEXT[id].help, markdown: RULE_TEXT[id].help },
    defaultConfiguration: { level: LEVEL[DEFAULT_SEVERITY[id]] },
    properties: { tags: ["adobe-campaign", "mx-rules"] },
  }));
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "mx-guard", rules } },
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

/** SARIF as JSON text (2-space indented, trailing newline). */
export function renderSarifText(input: Review | SimulationReport): string {
  return `${JSON.stringify(sarifLog(input), null, 2)}\n`;
}
