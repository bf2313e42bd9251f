/**
 * The one catalogue of findings: every finding id with its default severity, wording, SARIF rule
 * text, who produces it and which fix search applies. Detectors, renderers, SARIF, the policy schema
 * and the fix search all read this table; adding a finding is one row here plus its detector
 * (registered in src/simulate/findings/index.ts when `source` names a detector). See docs/contract.md.
 */

export type Severity = "failure" | "warning" | "notice";

/**
 * Who produces a finding: a simulation detector; the parsers (config-error); the comparison of base
 * and head (review/); the mode check that skips the quota simulation.
 */
export type FindingSource = { detector: string } | "parse" | "review" | "mode";

/** The fix search that applies: raise the binding rule's capacity, or restore TLS on the rule. */
export type FixKind = "capacity" | "tls" | null;

export interface FindingSpec {
  severity: Severity;
  /** In the policy's default failOn list. */
  failsByDefault: boolean;
  /** A short plural phrase for headlines ("3 deliveries would expire"). */
  phrase: string;
  /** SARIF rule text: one sentence on what it means, one on what to do. */
  short: string;
  help: string;
  source: FindingSource;
  fix: FixKind;
}

export const FINDINGS = {
  "config-error": {
    severity: "failure",
    failsByDefault: true,
    phrase: "configuration errors",
    short: "A configuration file cannot be parsed or validated.",
    help: "Fix the file at the reported line and column; the message says what was found and what is expected.",
    source: "parse",
    fix: null,
  },
  "delivery-expiry": {
    severity: "failure",
    failsByDefault: true,
    phrase: "deliveries would expire",
    short: "Messages are still unsent when the delivery's validity ends.",
    help: "Raise messagesPerHour (or maxConnections when connections bind) on the rule that limits the site, spread the delivery, or extend its validity.",
    source: { detector: "expiry" },
    fix: "capacity",
  },
  "deadline-miss": {
    severity: "failure",
    failsByDefault: true,
    phrase: "deliveries would miss their deadline",
    short: "A delivery completes later than its deadline.",
    help: "Raise messagesPerHour (or maxConnections when connections bind) on the binding rule, or start the delivery earlier.",
    source: { detector: "expiry" },
    fix: "capacity",
  },
  "quota-deferral": {
    severity: "warning",
    failsByDefault: false,
    phrase: "messages deferred by quotas",
    short: "Messages are deferred because MX quotas are met.",
    help: "Deferred messages wait for the next retry. Raise the quota of the binding rule or lower the volume per hour.",
    source: { detector: "deferral" },
    fix: null,
  },
  "tls-required": {
    severity: "failure",
    failsByDefault: true,
    phrase: "plaintext to providers that require TLS",
    short:
      "Plaintext delivery to a provider that requires TLS: its messages are refused for TLS (Gmail: 421 4.7.29 rate limit, 550 5.7.29 block) and never delivered.",
    help: 'Set tls: opportunistic on the rule (or change its tls: disabled); a global enableTLS="true" also works, but Adobe does not recommend it because it can reduce throughput.',
    source: { detector: "tls" },
    fix: "tls",
  },
  "tls-downgrade": {
    severity: "warning",
    failsByDefault: false,
    phrase: "TLS weakened",
    short: "The change makes a site's effective TLS weaker than on the base.",
    help: "Restore tls: opportunistic on the rule that applies to the site.",
    source: "review",
    fix: "tls",
  },
  "no-path": {
    severity: "failure",
    failsByDefault: true,
    phrase: "domains without a usable IP",
    short: "A domain has no usable local IP.",
    help: "Check the delivery's affinity and the includeDomains / excludeDomains of its IPs.",
    source: { detector: "no-path" },
    fix: null,
  },
  "affinity-missing": {
    severity: "failure",
    failsByDefault: true,
    phrase: "missing IP affinities",
    short: "A delivery names an IP affinity that no IPAffinity defines.",
    help: "Define the affinity in serverConf.xml or config-<instance>.xml, or fix its name in traffic.yaml.",
    source: { detector: "affinity" },
    fix: null,
  },
  "no-rule": {
    severity: "warning",
    failsByDefault: false,
    phrase: "paths without an MX rule",
    short: "A path matches no MX rule.",
    help: 'Add a rule whose mask matches the MX host (a catch-all "*" rule last), or widen a range.',
    source: { detector: "no-rule" },
    fix: null,
  },
  "shadowed-rule": {
    severity: "warning",
    failsByDefault: false,
    phrase: "shadowed MX rules",
    short: "A rule can never apply: an earlier rule covers it.",
    help: "Move the rule above the one that covers it, or remove it.",
    source: { detector: "shadowed" },
    fix: null,
  },
  "unreachable-quota": {
    severity: "notice",
    failsByDefault: false,
    phrase: "unreachable quotas",
    short: "messagesPerHour can never be reached: the connection limit binds first.",
    help: "Raise maxConnections or maxMessagesPerConnection, or lower messagesPerHour to what the connections can carry.",
    source: { detector: "unreachable-quota" },
    fix: null,
  },
  "stale-mask": {
    severity: "notice",
    failsByDefault: false,
    phrase: "stale MX masks",
    short: "A mask matches no MX host in the catalog.",
    help: "Check the mask against the provider's current MX hosts, or add the provider in providers.yaml.",
    source: { detector: "stale-mask" },
    fix: null,
  },
  "helo-conflict": {
    severity: "warning",
    failsByDefault: false,
    phrase: "HELO host conflicts",
    short: "One IP or publicId is mapped to several HELO hosts.",
    help: "Give each IP and publicId one heloHost.",
    source: { detector: "helo" },
    fix: null,
  },
  "mx-rules-unused": {
    severity: "notice",
    failsByDefault: false,
    phrase: "MX rules not used",
    short: "Enhanced MTA or relay: the MX rules are not used.",
    help: "The rules have no effect in this mode; the report skips the quota simulation.",
    source: "mode",
    fix: null,
  },
  "rule-not-first-mx": {
    severity: "notice",
    failsByDefault: false,
    phrase: "rules matching no planned domain's first MX",
    short: "A rule matches a provider's MX host but no planned domain's first MX host.",
    help: "The legacy MTA picks the rule on the recipient domain's first MX: check the mask, or plan the domains it is meant for.",
    source: { detector: "not-first-mx" },
    fix: null,
  },
  "emta-validity": {
    severity: "notice",
    failsByDefault: false,
    phrase: "Enhanced MTA validities over 3.5 days",
    short: "A delivery's validity exceeds the 3.5 days the Enhanced MTA uses.",
    help: "Adobe: the Enhanced MTA uses the validity only if set to 3.5 days or less; set validity to 3d12h or less.",
    source: "mode",
    fix: null,
  },
  "config-warning": {
    severity: "warning",
    failsByDefault: false,
    phrase: "configuration warnings",
    short:
      "A configuration file is read with an assumption mx-guard states (a missing publicId, an attribute written in the wrong case, a repeated element).",
    help: "Check the reported line: the message says what mx-guard assumed and how to write it so nothing is assumed.",
    source: "parse",
    fix: null,
  },
  "unknown-attribute": {
    severity: "notice",
    failsByDefault: false,
    phrase: "unknown attributes",
    short: "An attribute mx-guard does not know, on an element it reads; it has no effect on the simulation.",
    help: "Check its spelling against Adobe's serverConf.xml reference (the message suggests the closest known name), or ignore it if it is meant for another Campaign version.",
    source: "parse",
    fix: null,
  },
  "quota-raise": {
    severity: "failure",
    failsByDefault: true,
    phrase: "quotas raised past the policy's maxRaise",
    short: "The change lets the MTA send to a site much faster than the base does.",
    help: 'Raise quotas in steps no larger than the policy\'s maxRaise (providers throttle or block a sudden jump in volume), keep provider rules above the catch-all "*", or raise maxRaise in the policy if the jump is intended.',
    source: "review",
    fix: null,
  },
  "rule-change": {
    severity: "warning",
    failsByDefault: false,
    phrase: "sites governed by a different MX rule",
    short: "A site is now governed by a different MX rule than on the base.",
    help: 'Check that the rule now applied is meant for this provider: rule order matters (first match wins), and a catch-all "*" belongs last.',
    source: "review",
    fix: null,
  },
  "ip-warmup": {
    severity: "warning",
    failsByDefault: false,
    phrase: "new IPs that need warming up",
    short: "A publicId new in this change carries planned traffic at full capacity.",
    help: "A new IP has no reputation yet: providers accept a fraction of the simulated volume until it is warmed up. Start it with a small share of the traffic and raise it over days.",
    source: "review",
    fix: null,
  },
  "retry-guideline": {
    severity: "notice",
    failsByDefault: false,
    phrase: "retries below Adobe's guideline",
    short: "A delivery with quota deferrals retries less often or fewer times than Adobe's monitoring guideline.",
    help: "Adobe's guideline for deliveries held back by quotas: a retry period of 30 minutes and more than 20 retries.",
    source: { detector: "retry-guideline" },
    fix: null,
  },
  "mtachild-count": {
    severity: "notice",
    failsByDefault: false,
    phrase: "more mtachild processes than recommended",
    short: "maxSpareServers starts more mtachild processes than the 8 Adobe recommends.",
    help: "Keep maxSpareServers at 8 or less; the MX quotas, not the number of children, limit the throughput.",
    source: { detector: "mtachild-count" },
    fix: null,
  },
  "tls-recommended": {
    severity: "notice",
    failsByDefault: false,
    phrase: "plaintext to providers that recommend TLS",
    short: "Plaintext delivery to a provider the catalog marks as recommending TLS (recommendsTls); the simulation still delivers it.",
    help: 'Set tls: opportunistic on the rule for this provider rather than a global enableTLS="true", which can reduce throughput.',
    source: { detector: "tls-recommended" },
    fix: null,
  },
  "working-set-memory": {
    severity: "notice",
    failsByDefault: false,
    phrase: "working sets over maxWorkingSetMb",
    short: "maxWaitingMessages × messageSizeKb × 2.5 is over maxWorkingSetMb: an mtachild stops sending when it reaches that memory.",
    help: "Lower maxWaitingMessages, raise maxWorkingSetMb, or send smaller messages (Adobe recommends at most 60 KB).",
    source: { detector: "working-set-memory" },
    fix: null,
  },
  "bulk-sender": {
    severity: "notice",
    failsByDefault: false,
    phrase: "deliveries under bulk-sender rules",
    short: "A delivery sends 5,000 or more messages a day to Gmail or Microsoft consumer mailboxes, where bulk-sender rules apply.",
    help: "Check SPF, DKIM and DMARC alignment, one-click unsubscribe and the spam rate: providers defer or refuse bulk mail that misses them.",
    source: { detector: "bulk-sender" },
    fix: null,
  },
  "adobe-sync-edit": {
    severity: "notice",
    failsByDefault: false,
    phrase: "edits to rules Adobe synchronises",
    short: "The change edits an MX rule set whose header says source: adobe-sync.",
    help: "Adobe's daily Refresh for deliverability overwrites the rules on the instance unless the rule set is in Custom mode: switch it to Custom (and write source: custom), or refresh the snapshot from the console instead of editing it.",
    source: "review",
    fix: null,
  },
} as const satisfies Record<string, FindingSpec>;

export type FindingId = keyof typeof FINDINGS;

/**
 * The detectors the catalogue names (src/simulate/findings/index.ts must register each one: a new
 * name in a row is a compile error there until its detector exists).
 */
export type DetectorName = Extract<(typeof FINDINGS)[FindingId]["source"], { detector: string }>["detector"];

/** Every id, in catalogue order (SARIF rule indexes and headline ordering depend on it). */
export const FINDING_IDS = Object.keys(FINDINGS) as FindingId[];

/** The ids the policy fails on when it does not say; configuration errors listed last. */
export const DEFAULT_FAIL_ON: readonly FindingId[] = [
  ...FINDING_IDS.filter((id) => FINDINGS[id].failsByDefault && FINDINGS[id].source !== "parse"),
  ...FINDING_IDS.filter((id) => FINDINGS[id].failsByDefault && FINDINGS[id].source === "parse"),
];
