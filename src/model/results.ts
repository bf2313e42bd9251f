/**
 * What a simulation produces for one instance. Field names follow the JSON contract of docs/contract.md#json-output;
 * extra fields are allowed there, and the ones marked "extra" below are ours.
 */
import type { Finding } from "./findings.js";

export type SimulationMode = "mx-rules" | "enhanced-mta" | "relay";
export type EffectiveTls = "plaintext" | "opportunistic";
export type LimitedBy = "hourly" | "connections" | "mta" | "tls" | "no-path" | "no-rule";

export interface SiteResult {
  /** Site key: the provider name, or the domain itself for a domain in no provider. */
  site: string;
  domains: string[];
  mx: string[];
  /** The rule that applies to the first publicId (null when none matches). */
  rule: { mask: string; file: string; line: number } | null;
  /**
   * The "other" bucket only: the catch-all rule ("*") each of its small domains gets its own buckets
   * under (the bucket as a whole is limited by the MTA sessions, not by this rule).
   */
  catchAll?: { mask: string; file: string; line: number };
  publicIds: number[];
  /** Messages per hour the site can take (Σ over publicIds, after acceptance). */
  hourlyCapacity: number;
  /** Messages per 5-minute slot the site can take (after acceptance and the MTA ceiling). */
  slotCapacity: number;
  limitedBy: LimitedBy;
  tls: EffectiveTls;
  /** extra: per-publicId breakdown used by reports and fixes. */
  paths?: PathCapacity[];
  /** extra: hourly series (hour index from the earliest delivery start) for charts. */
  hourly?: { hour: number; sent: number; queued: number }[];
  /** extra: the site that suffers most (most expired, then deferred, then latest completion); the charts start with it. */
  worst?: true;
}

export interface PathCapacity {
  publicId: number;
  /** Local IP addresses carrying this publicId that the traffic may use. */
  addresses: string[];
  rule: { index: number; mask: string; file: string; line: number } | null;
  buckets: number;
  hourly: number;
  perSlotHourly: number;
  perSlotConnections: number;
  slotCapacity: number;
  limitedBy: LimitedBy;
  /** extra: share of the site's traffic this publicId carries, by its IPs' weights (0..1, 4 decimals). */
  share?: number;
}

/**
 * Counts are null when the instance is not simulated (Enhanced MTA, relay): nothing is known.
 * `Count` is `number` inside the simulation, where every count is known.
 */
export interface DomainResult<Count extends number | null = number | null> {
  domain: string;
  site: string;
  recipients: number;
  sent: Count;
  deferred: Count;
  expired: Count;
  /**
   * extra: messages a provider that requires TLS refuses because they leave in plaintext (Gmail: 421 4.7.29
   * rate limit, 550 5.7.29 block). Never counted in `deferred` (quota deferrals); they are part of `expired`.
   */
  refusedTls: Count;
  completionHours: number | null;
  /**
   * extra: the paced bound, hours to send every message at the domain's full quota (volume ÷ the
   * effective hourly rate): no reading of Adobe's documentation finishes sooner. null: no quota at all.
   */
  pacedHours: number | null;
}

export interface DeliveryResult<Count extends number | null = number | null> {
  name: string;
  recipients: number;
  sent: Count;
  deferred: Count;
  expired: Count;
  /** extra: Σ of its domains' refusedTls. */
  refusedTls: Count;
  completionHours: number | null;
  /** extra: the latest paced bound of its domains (null when one has none). */
  pacedHours: number | null;
  domains: DomainResult<Count>[];
  /** extra */
  deadlineHours?: number | null;
}

export interface InstanceResult {
  name: string;
  mode: SimulationMode;
  /** extra: false in Enhanced MTA and relay mode: no quota simulation, counts and hours are null. */
  simulated: boolean;
  sites: SiteResult[];
  deliveries: DeliveryResult[];
  /** extra: the assumptions this run relied on, printed in every report. */
  assumptions: string[];
}

export interface SimulationReport {
  version: 1;
  instances: InstanceResult[];
  findings: Finding[];
}
