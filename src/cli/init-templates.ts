/**
 * The commented files `mx-guard init` writes, pre-filled with what serverConf.xml says (the
 * affinities and their publicIds). Where each value comes from in Campaign: docs/onboarding.md.
 */
import { DEFAULT_FAIL_ON } from "../model/catalogue.js";

/** What init learned from an existing serverConf.xml (and config-<instance>.xml). */
export interface Prefill {
  /** Paths as the policy will name them. */
  serverConf: string;
  instanceConf: string | null;
  instance: string;
  mxRules: string;
  traffic: string;
  /** Each IPAffinity: its names and the publicIds of its IPs; empty when serverConf.xml is missing or unreadable. */
  affinities: { names: string[]; publicIds: number[] }[];
}

/** A line with its comment in a column, so the templates read as a table. */
function commented(line: string, comment: string): string {
  return `${line.padEnd(46)} # ${comment}`;
}

export function policyTemplate(fill: Prefill): string {
  const lines = [
    "# mx-guard policy: which Campaign instances this repository holds, and what fails the check.",
    "# Read from the default branch only, so a pull request cannot relax its own gate.",
    "# Reference: README.md#configuration-reference of mx-guard.",
    "instances:",
    `  - name: ${fill.instance}`,
    commented(`    serverConf: ${fill.serverConf}`, "conf/serverConf.xml from the server"),
    fill.instanceConf === null
      ? commented(`    # instanceConf: campaign/config-${fill.instance}.xml`, "conf/config-<instance>.xml, if you copy it")
      : commented(`    instanceConf: ${fill.instanceConf}`, "conf/config-<instance>.xml from the server"),
    commented(`    mxRules: ${fill.mxRules}`, "the console's MX management rules (defaultMXRules)"),
    commented(`    traffic: ${fill.traffic}`, "the sends you plan"),
    commented("    # mtaHosts: 1", "MTA hosts sharing this configuration"),
    "",
    "# Findings that fail the check when new or worsened (this is the default list):",
    `# failOn: [${DEFAULT_FAIL_ON.join(", ")}]`,
    "# comment: update      # update: one sticky comment; new: one per push; off: none",
    "# review: true         # inline review comments on the changed lines",
    "# maxRaise: 2          # the most a change may multiply a site's hourly capacity",
    "",
  ];
  return lines.join("\n");
}

export function mxRulesTemplate(fill: Prefill): string {
  const ids = fill.affinities.flatMap((affinity) => affinity.publicIds);
  const known =
    fill.affinities.length === 0
      ? ["# No serverConf.xml was found: copy it, and the publicIds a rule's `range` can name are those of its IPs."]
      : [
          `# publicIds in ${fill.serverConf} (a rule's "Range of identifiers", key range):`,
          ...fill.affinities.map((affinity) => `#   ${affinity.names.join(";")}: ${affinity.publicIds.join(", ") || "none"}`),
          ...(ids.length > 1 ? [`#   e.g. range: "${Math.min(...ids)}-${Math.max(...ids)}" for all of them, or leave it out.`] : []),
        ];
  return [
    "# MX management rules (Campaign: Administration > Campaign Management > Non deliverables Management >",
    "# Mail rule sets > defaultMXRules), copied in the order the console lists them: the first rule whose",
    "# mask matches the MX host applies. One item per rule form; docs/onboarding.md maps each field to its key.",
    "#",
    "# Where the rules come from (uncomment one). adobe-sync: Adobe's daily Refresh for deliverability",
    "# rewrites them, so an edit here is overwritten on the instance unless the rule set is in Custom mode.",
    "# source: adobe-sync",
    "# level: normal          # slow, normal, fast, very-fast or boost, as the console shows",
    "# snapshotDate: 2026-01-01",
    "# source: custom",
    "#",
    ...known,
    "rules: []",
    "# Replace [] above with the rules, for example Adobe's sample rule:",
    '#  - mask: "*.mail.yahoo.com"     # MX mask (quote it)',
    '#    range: ""                  # Range of identifiers: "" all, 3, or "1-4"',
    "#    shared: true               # Shared",
    "#    maxConnections: 30         # Maximum number of connections",
    "#    maxMessagesPerConnection: 5 # Maximum number of messages",
    '#    messagesPerHour: "1,200"   # Messages per hour',
    "#    connectionTimeout: 10s     # Connection time out",
    "#    timeoutData: 4m            # Timeout Data",
    "#    timeout: 1m                # Timeout",
    "#    tls: default               # TLS: default, disabled or opportunistic",
    "",
  ].join("\n");
}

export function trafficTemplate(fill: Prefill, start: Date): string {
  const when = `${start.toISOString().slice(0, 10)}T08:00:00Z`;
  const affinities = [...new Set(fill.affinities.map((affinity) => affinity.names[0]).filter((name) => name !== undefined))];
  const deliveries = (affinities.length > 0 ? affinities : [null]).flatMap((affinity, index) => [
    ...(index > 0 ? [""] : []),
    `  - name: Planned delivery ${index + 1}${affinity === null ? "" : ` (${affinity})`}`,
    `    start: ${when}          # ISO-8601 with a timezone`,
    '    recipients: "100,000"              # replace with the real count',
    affinity === null ? "    # affinity: default                # an IPAffinity name from serverConf.xml" : `    affinity: ${affinity}`,
    "    # domains:                         # paste the output of: mx-guard domains recipients.csv",
    "    #   gmail.com: 35%",
    "    #   yahoo.com: 12%",
    "    # deadline: 5h                     # a business deadline after start (optional)",
    "    # validity: 5d                     # Delivery duration (Campaign's default 5d)",
    "    # retryPeriod: 1h                  # Period of retries (default 1h)",
    "    # retries: 5                       # Max. number of retries (default 5)",
  ]);
  return [
    "# The sends you plan. mx-guard simulates them against the MX rules and serverConf.xml.",
    '# Domains not listed go to the "other" bucket.',
    ...(affinities.length > 0 ? [`# One delivery per IPAffinity of ${fill.serverConf}; remove the ones you do not use.`] : []),
    "deliveries:",
    ...deliveries,
    "",
  ].join("\n");
}
