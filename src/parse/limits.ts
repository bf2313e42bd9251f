/**
 * Sanity limits on how much a configuration repository may describe. The files come from anyone
 * who can open a pull request, and the simulation's cost grows with these counts (rules × MX hosts,
 * streams × 5-minute slots, sites × hours), so each count is capped far above real Campaign set-ups
 * and an input over a cap gets one clear error naming the limit, at the first item over it.
 */
/** Largest configuration file mx-guard reads (bytes). Campaign files are kilobytes; this bounds hostile input. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

export const LIMITS = {
  /** MX rules in mx-rules.yaml (Adobe ships a few dozen; large set-ups have a few hundred). */
  rules: 1_000,
  /** Deliveries in traffic.yaml. */
  deliveries: 500,
  /** Named recipient domains summed over all deliveries of traffic.yaml. */
  trafficDomains: 2_000,
  /** Listed waves (`waves: [{after, size}, …]`) summed over all deliveries of traffic.yaml: Campaign sends use a handful each. */
  trafficWaves: 10_000,
  /** Days between the earliest and the latest delivery start in traffic.yaml (bounds the simulated horizon). */
  planSpanDays: 31,
  /** Provider entries in providers.yaml. */
  providers: 500,
  /** Recipient domains summed over the providers.yaml entries. */
  providerDomains: 10_000,
  /** MX hosts summed over the providers.yaml entries. */
  providerMx: 1_000,
  /** Instances in .github/mx-guard.yml. */
  instances: 20,
  /** IPAffinity elements (after merging by name) in serverConf.xml + config-<instance>.xml. */
  affinities: 1_000,
  /** Names in one IPAffinity@name list. */
  affinityNames: 100,
  /** IP elements (after merging by address) over all affinities. */
  ips: 1_000,
  /** Masks in one includeDomains or excludeDomains list. */
  domainMasks: 100,
  /** Characters in one includeDomains/excludeDomains mask (a host name has at most 253). */
  maskLength: 253,
  /** mta/child@maxAgeSec, in seconds (Adobe's default is 600): one day. */
  maxAgeSec: 86_400,
} as const;

export const formatLimit = (n: number): string => n.toLocaleString("en-US");
