import fc from "fast-check";
import { HOUR, type AffinitySpec, type DeliverySpec, type ModelSpec, type RuleSpec } from "./builders.js";

/**
 * Generated multi-site, multi-delivery models: Google (requires TLS, so `tls: disabled` or
 * enableTLS=false blocks it), Yahoo (16 remote IPs), Microsoft (4), an unknown domain and the
 * "other" bucket; shared and unshared rules, publicId ranges, several affinities that share or do
 * not share publicIds, include/exclude filters, and few MTA sessions so the session shares bind.
 */
const DOMAINS = ["gmail.com", "googlemail.com", "yahoo.com", "aol.com", "hotmail.com", "outlook.com", "shop.example"];
export const SEED = 20_261_127;

const ruleArb: fc.Arbitrary<RuleSpec> = fc.record({
  mask: fc.constantFrom("*.google.com", "*.yahoodns.net", "*.outlook.com", "shop.example", "*"),
  range: fc.oneof(
    { arbitrary: fc.constant(null), weight: 2 },
    {
      arbitrary: fc
        .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 2 }))
        .map(([from, extra]) => ({ from, to: from + extra })),
      weight: 1,
    },
  ),
  shared: fc.boolean(),
  // Log-uniform from 12 to ~90,000 per hour: most rules are tight enough to matter.
  messagesPerHour: fc.integer({ min: 0, max: 40 }).map((k) => Math.round(12 * 1.25 ** k)),
  maxConnections: fc.integer({ min: 1, max: 40 }),
  maxMessagesPerConnection: fc.integer({ min: 1, max: 100 }),
  tls: fc.constantFrom("default" as const, "opportunistic" as const, "disabled" as const),
});

/** default: publicIds 1, 2; bulk: 2, 3 (shares publicId 2 with default); tx: 4 alone, some IPs filtered. */
const AFFINITIES: AffinitySpec[] = [
  {
    names: ["default"],
    ips: [
      { address: "10.0.0.1", publicId: 1, weight: 5 },
      { address: "10.0.0.2", publicId: 2, weight: 5 },
    ],
  },
  {
    names: ["bulk"],
    ips: [
      { address: "10.0.1.2", publicId: 2 },
      { address: "10.0.1.3", publicId: 3, excludeDomains: ["yahoo.com"] },
    ],
  },
  {
    names: ["tx"],
    ips: [
      { address: "10.0.2.4", publicId: 4 },
      { address: "10.0.2.5", publicId: 4, includeDomains: ["gmail.com", "hotmail.com"] },
    ],
  },
];

const deliveryArb = (name: string): fc.Arbitrary<DeliverySpec> =>
  fc.record({
    name: fc.constant(name),
    affinity: fc.constantFrom(null, "default", "bulk", "tx"),
    startOffsetSec: fc.integer({ min: 0, max: 4 * 12 }).map((k) => k * 300),
    domains: fc.dictionary(fc.constantFrom(...DOMAINS), fc.integer({ min: 0, max: 30_000 }), { minKeys: 1, maxKeys: 5 }),
    other: fc.integer({ min: 0, max: 5_000 }),
    validitySec: fc.integer({ min: 1, max: 48 }).map((h) => h * HOUR),
    retryPeriodSec: fc.constantFrom(900, 1800, 3600),
    retries: fc.integer({ min: 0, max: 6 }),
    deadlineSec: fc.option(
      fc.integer({ min: 1, max: 24 }).map((h) => h * HOUR),
      { nil: null },
    ),
  });

export const modelArb: fc.Arbitrary<ModelSpec> = fc.record({
  rules: fc.array(ruleArb, { minLength: 1, maxLength: 5 }),
  affinities: fc.constant(AFFINITIES),
  deliveries: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }).chain((ks) => fc.tuple(...ks.map((_, k) => deliveryArb(`D${k}`)))),
  mta: fc.record({
    maxSpareServers: fc.integer({ min: 1, max: 4 }),
    maxWaitingMessages: fc.integer({ min: 0, max: 3000 }),
    maxAgeSec: fc.constantFrom(300, 600, 1200, 3600),
    maxSessionsPerChild: fc.constantFrom(1000, 1000, 1000, 100, 10, 3),
    enableTLS: fc.boolean(),
  }),
});

export const raiseArb = fc.record({
  rule: fc.nat(),
  /** ×1.1 .. ×10 */
  factor: fc.integer({ min: 11, max: 100 }).map((k) => k / 10),
  field: fc.constantFrom("messagesPerHour" as const, "maxConnections" as const),
});

type Raise = { rule: number; factor: number; field: "messagesPerHour" | "maxConnections" };

export function raised(spec: ModelSpec, raise: Raise): ModelSpec {
  const k = raise.rule % spec.rules!.length;
  return {
    ...spec,
    rules: spec.rules!.map((r, i) => {
      if (i !== k) return r;
      const value = r[raise.field]!;
      return { ...r, [raise.field]: Math.max(value + 1, Math.round(value * raise.factor)) };
    }),
  };
}
