/**
 * The typed model of one Campaign instance's sending configuration, as the parsers produce it and
 * the simulation consumes it. Everything here is plain data (JSON-serialisable) with positions.
 * The meaning of each field and its default are in README.md#configuration-reference and
 * docs/model.md (serverConf defaults: docs/model.md#serverconf-defaults).
 */
import type { FindingId } from "./catalogue.js";
import type { Setting, SourcePos, SourceSpan } from "./source.js";

// ---------------------------------------------------------------------------------------------
// serverConf.xml + config-<instance>.xml (merged: the instance file wins attribute by attribute)

export interface ServerConf {
  /** The files that were merged, in load order (serverConf.xml first). */
  files: string[];
  mta: MtaSettings;
  /** IPAffinity elements under mta/child/smtp, merged by their whole name list (split on `;`, trimmed). */
  affinities: IpAffinity[];
  /** Readings of the parser that every report prints (an IP keyed by its address, attributes read but not simulated). */
  assumptions?: string[];
}

export interface MtaSettings {
  /** mta@useMomentum — true: Enhanced MTA, MX rules unused. Default false. */
  useMomentum: Setting<boolean>;
  /** mta/relay@address — set (non-empty): relay mode. Default null. */
  relayAddress: Setting<string | null>;
  /** mta@statServerTLSSupport — default true. */
  statServerTLSSupport: Setting<boolean>;
  /** mta/master@maxSpareServers — number of mtachild processes, default 2. */
  maxSpareServers: Setting<number>;
  /** mta/child@maxAgeSec — default 600. */
  maxAgeSec: Setting<number>;
  /** mta/child@maxWaitingMessages — default 2000. */
  maxWaitingMessages: Setting<number>;
  /** mta/child@maxWorkingSetMb — default 128; read for the working-set-memory notice, not simulated. */
  maxWorkingSetMb: Setting<number>;
  /** mta/child/smtp@enableTLS — default false. */
  enableTLS: Setting<boolean>;
  /** mta/child/smtp@maxSessionsPerChild — default 1000. */
  maxSessionsPerChild: Setting<number>;
  /** mta/child/smtp@initialDelaySec — default 4. */
  initialDelaySec: Setting<number>;
}

export interface IpAffinity {
  /** Names from @name split on ';', trimmed, empty ones dropped. */
  names: string[];
  localDomain: string | null;
  /** Position of the <IPAffinity> start tag (in whichever file defined it last). */
  pos: SourcePos;
  ips: AffinityIp[];
}

export interface AffinityIp {
  address: string;
  publicId: number;
  /** Default 1. */
  weight: number;
  heloHost: string | null;
  /** Recipient-domain masks; null = attribute absent (all domains allowed). */
  includeDomains: string[] | null;
  /** Recipient-domain masks, applied after includeDomains; [] when absent. */
  excludeDomains: string[];
  /** Position of the <IP> tag. */
  pos: SourcePos;
  /** Positions of individual attributes, by attribute name (e.g. "publicId", "heloHost"). */
  attrPos: Record<string, SourcePos>;
}

// ---------------------------------------------------------------------------------------------
// mx-rules.yaml

export type RuleTls = "default" | "disabled" | "opportunistic";

export type RuleSetSource = "adobe-sync" | "custom";
export type ThroughputLevel = "slow" | "normal" | "fast" | "very-fast" | "boost" | "custom";

/** The optional header of mx-rules.yaml: where the rules come from (docs/onboarding.md). */
export interface RuleSetOrigin {
  source: RuleSetSource;
  level: ThroughputLevel | null;
  /** YYYY-MM-DD, as written. */
  snapshotDate: string | null;
  /** Position of the `source:` value. */
  pos: SourceSpan;
}

export interface MxRuleSet {
  file: string;
  rules: MxRule[];
  /** null when the file has no `source:` header. */
  origin?: RuleSetOrigin | null;
}

export interface PublicIdRange {
  from: number;
  to: number;
}

export interface MxRule {
  /** 0-based position in the file; order matters (first match wins). */
  index: number;
  mask: string;
  /** null = "" = every publicId. */
  range: PublicIdRange | null;
  shared: boolean;
  maxConnections: number;
  maxMessagesPerConnection: number;
  messagesPerHour: number;
  connectionTimeoutSec: number;
  timeoutDataSec: number;
  timeoutSec: number;
  tls: RuleTls;
  /** Lines of the whole rule item (the `- mask: …` entry through its last key). */
  span: SourceSpan;
  /** Position of each key's value that was written, by key name as in the file. */
  fieldPos: Partial<Record<MxRuleKey, SourceSpan>>;
  /** Keys the user left out, so reports can say which defaults were assumed. */
  defaulted: MxRuleKey[];
}

export type MxRuleKey =
  | "mask"
  | "range"
  | "shared"
  | "maxConnections"
  | "maxMessagesPerConnection"
  | "messagesPerHour"
  | "connectionTimeout"
  | "timeoutData"
  | "timeout"
  | "tls";

// ---------------------------------------------------------------------------------------------
// traffic.yaml

export interface TrafficPlan {
  file: string;
  deliveries: Delivery[];
}

export interface Delivery {
  name: string;
  /** Epoch milliseconds (UTC). */
  start: number;
  recipients: number;
  /** Affinity name as written; null when absent (then "default" if defined, else every IP). */
  affinity: string | null;
  /** Named domains with integer counts (shares resolved with the largest-remainder method). */
  domains: DomainVolume[];
  /** Recipients in the "other" bucket (recipients − Σ named domains), ≥ 0. */
  otherRecipients: number;
  /** Seconds; null when no business deadline is set. */
  deadlineSec: number | null;
  /** Seconds; default 5d. */
  validitySec: number;
  /** Seconds; default 1h. */
  retryPeriodSec: number;
  /** Retries on the first day; default 5. */
  retries: number;
  /** "Send using multiple waves": when each wave starts (seconds after start) and its size; null: one wave of all recipients. */
  waves: { afterSec: number; size: number }[] | null;
  /** Average message size in KB, when declared (only the working-set-memory notice reads it). */
  messageSizeKb?: number;
  span: SourceSpan;
  fieldPos: Partial<Record<DeliveryKey, SourceSpan>>;
}

export type DeliveryKey =
  | "name"
  | "start"
  | "recipients"
  | "affinity"
  | "domains"
  | "deadline"
  | "validity"
  | "retryPeriod"
  | "retries"
  | "waves"
  | "messageSizeKb";

export interface DomainVolume {
  /** Lower-cased recipient domain. */
  domain: string;
  recipients: number;
  /** How it was written: a share (0..1) or an absolute count. */
  written: { share: number } | { count: number };
  pos: SourceSpan;
}

// ---------------------------------------------------------------------------------------------
// providers (built-in catalog + providers.yaml)

export interface Provider {
  /** Catalog key, e.g. "google", "yahoo". */
  name: string;
  /** Lower-cased recipient domains. */
  domains: string[];
  /** MX host names in preference order (lowest preference first), for the domains not in domainMx. */
  mx: string[];
  /** Domains whose own MX list differs from `mx` (e.g. yahoo.fr → mx-eu.mail.am0.yahoodns.net). */
  domainMx?: Record<string, string[]>;
  /** Distinct remote IPs across the MX set (paths = local publicIds × remoteIps). */
  remoteIps: number;
  requiresTls: boolean;
  /** The provider publishes TLS as recommended, not required (a tls-recommended notice for plaintext). */
  recommendsTls: boolean;
  /** How the provider answers plaintext, or where its TLS recommendation comes from (quoted in TLS findings). */
  tlsNote?: string;
  /** Share of attempts accepted, 0..1 (every attempt costs a messages-per-hour credit). */
  acceptance: number;
  secondsPerMessage: number;
  connectSeconds: number;
  tlsHandshakeSeconds: number;
  /** "builtin" or the providers.yaml entry that added or changed it. */
  origin: "builtin" | "providers.yaml";
  /** Position of the providers.yaml entry, when it came from there. */
  pos?: SourceSpan;
  /** Source and confidence of built-in data (docs/model.md#sources), shown in reports. */
  note?: string;
  /** YYYY-MM-DD the MX hosts were last checked (built-in: desk research; providers.yaml: as written). */
  verifiedOn?: string;
  /** Where the MX hosts come from. */
  source?: string;
}

export interface ProviderCatalog {
  providers: Provider[];
}

// ---------------------------------------------------------------------------------------------
// .github/mx-guard.yml (read from the default branch only)

export type { FindingId } from "./catalogue.js";

export interface InstancePaths {
  name: string;
  serverConf: string;
  /** Optional file: absent on disk means "no overrides" unless the policy named it explicitly. */
  instanceConf: string | null;
  mxRules: string;
  traffic: string;
  /** Optional file. */
  providers: string | null;
  /** MTA hosts running this configuration (policy instances[].mtaHosts); absent: 1. */
  mtaHosts?: number;
  /** Statistics server this instance's MTAs report to (policy instances[].statServer): instances naming the same one count their quotas together. */
  statServer?: string;
  /** True when the policy wrote instanceConf/providers explicitly (then a missing file is an error). */
  explicit: { instanceConf: boolean; providers: boolean };
}

/** The policy file's name and its path in a repository (read from the default branch only). */
export const POLICY_FILE = "mx-guard.yml";
export const POLICY_PATH = `.github/${POLICY_FILE}`;

/**
 * How the simulation reads Adobe's documentation where it leaves a choice (docs/model.md). Set in the
 * policy's `model:` section, read from the default branch like the rest, so a pull request cannot relax them.
 */
export interface ModelOptions {
  /** abandon: a message waiting maxAgeSec is abandoned until the next retry (Adobe's maxAgeSec text); pace: it waits for the quota. */
  quotaMet: "abandon" | "pace";
  /** hourly-from-start: retries at start + k × retryPeriod, then daily; spread-over-first-day: the first-day retries spread over 24 h. */
  retrySchedule: "hourly-from-start" | "spread-over-first-day";
  /** true: a publicId whose quota is used up leaves its traffic to the others; false: each carries its weight's share. */
  spillOver: boolean;
  /** shared: one working set for every domain, filled in delivery order; by-domain: each domain its own part, by planned volume. */
  workingSet: "shared" | "by-domain";
  /** A shared rule several sites match: rule = one bucket per rule × publicId for all of them; site = each site its own buckets. */
  sharedScope: "rule" | "site";
}

export const DEFAULT_MODEL_OPTIONS: ModelOptions = {
  quotaMet: "abandon",
  retrySchedule: "hourly-from-start",
  spillOver: false,
  workingSet: "shared",
  sharedScope: "rule",
};

export interface Policy {
  instances: InstancePaths[];
  /** The simulation's readings (policy `model:`). */
  model: ModelOptions;
  failOn: FindingId[];
  comment: "update" | "new" | "hide-and-new" | "delete-and-new" | "off";
  review: boolean;
  /** quota-raise fires when a site's hourly capacity on the head exceeds maxRaise × the base's. */
  maxRaise: number;
  /** Where the policy came from: a file path, or null when every default applies. */
  file: string | null;
}

// ---------------------------------------------------------------------------------------------
// One instance, ready to simulate

export interface InstanceModel {
  name: string;
  paths: InstancePaths;
  serverConf: ServerConf;
  mxRules: MxRuleSet;
  traffic: TrafficPlan;
  providers: ProviderCatalog;
  /** The policy's model options; absent: DEFAULT_MODEL_OPTIONS. */
  options?: ModelOptions;
  /** What the other instances on the same statistics server (InstancePaths.statServer) put on the quota buckets. */
  foreignLoads?: BucketLoad[];
}

/**
 * One delivery's planned use of a quota bucket, as another instance on the same statistics server sees it:
 * `quota` names the messages-per-hour bucket, `connections` the paths (site × publicId) whose connections it uses.
 */
export interface BucketLoad {
  instance: string;
  quota: string;
  connections: string;
  /** Epoch ms during which the delivery may send (start to validity end). */
  fromMs: number;
  toMs: number;
  /** Planned recipients on this bucket (the stream's recipients × the publicId's share). */
  volume: number;
}
