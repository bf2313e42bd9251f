/** traffic.yaml → TrafficPlan (README.md#configuration-reference): domain shares become integer counts that sum exactly. */
import type { Delivery, DeliveryKey, DomainVolume, TrafficPlan } from "../model/config.js";
import { fail, ok, type ConfigIssue, type Result } from "../model/errors.js";
import type { SourceSpan } from "../model/source.js";
import { checkHost } from "../schema/hosts.js";
import {
  deliverySchema,
  domainVolumeSchema,
  OTHER_DOMAIN,
  TRAFFIC_LIMITS,
  trafficFileSchema,
  type DeliveryInput,
} from "../schema/traffic.js";
import { allocateShares, formatShareTotal, shareToNumber, sharesExceedWhole, type ExactShare, type Volume } from "../schema/units.js";
import { formatLimit, LIMITS } from "./limits.js";
import {
  capIssue,
  hasKey,
  issueAt,
  readYaml,
  sortIssues,
  spanAt,
  keySpanAt,
  knownKeys,
  totalCapIssue,
  validateSource,
  sizeAt,
  valueAt,
  type KeyBounds,
  type YamlPath,
  type YamlSource,
} from "./yaml/index.js";

/** Every key a delivery may have, from its schema. */
const DELIVERY_KEYS: readonly DeliveryKey[] = Object.keys(deliverySchema.shape) as (keyof typeof deliverySchema.shape)[];

const TOP_KEYS = knownKeys(trafficFileSchema, []).length;
const KEYS_PER_DELIVERY = DELIVERY_KEYS.length;
/** waves is { size, every } or a list of { after, size }: the keys of one listed wave. */
const KEYS_PER_WAVE = (() => {
  const [every, list] = deliverySchema.shape.waves.unwrap().options;
  return Math.max(Object.keys(every.shape).length, Object.keys(list.element.shape).length);
})();

/**
 * The most keys a traffic.yaml within the limits has: every delivery with every key, the listed
 * waves and the named domains, each summed over the deliveries. The largest mapping (the domains,
 * summed over the deliveries) is the tight bound.
 */
export const TRAFFIC_KEY_BOUNDS: KeyBounds = {
  kind: "traffic.yaml",
  total: TOP_KEYS + LIMITS.deliveries * (KEYS_PER_DELIVERY + KEYS_PER_WAVE) + LIMITS.trafficWaves * KEYS_PER_WAVE + LIMITS.trafficDomains,
  totalWhy: `${formatLimit(LIMITS.deliveries)} deliveries × (${KEYS_PER_DELIVERY} keys + ${KEYS_PER_WAVE} for waves) + ${formatLimit(LIMITS.trafficWaves)} listed waves × ${KEYS_PER_WAVE} + ${formatLimit(LIMITS.trafficDomains)} named domains + ${TOP_KEYS}`,
  perMapping: Math.max(TOP_KEYS, KEYS_PER_DELIVERY, LIMITS.trafficDomains),
  perMappingWhy: `the named recipient domains, ${formatLimit(LIMITS.trafficDomains)} over all deliveries`,
};

export function parseTraffic(text: string, file: string): Result<TrafficPlan> {
  const raw = readYaml(text, file, trafficFileSchema, TRAFFIC_KEY_BOUNDS);
  if (!raw.ok) return raw;
  const tooMany = trafficCaps(raw.value);
  if (tooMany.length > 0) return fail(tooMany, raw.warnings);
  const read = validateSource(raw.value, trafficFileSchema, raw.warnings);
  if (!read.ok) return read;
  const { src, data } = read.value;
  const errors: ConfigIssue[] = [];
  const deliveries = data.deliveries.map((input, index) => toDelivery(src, input, ["deliveries", index], errors));
  errors.push(...duplicateNames(src, deliveries));
  errors.push(...spanIssues(src, deliveries));
  if (errors.length > 0) return fail(sortIssues(errors), read.warnings);
  return ok({ file, deliveries }, read.warnings);
}

/** Counts checked before validation, so a huge plan fails at once with the limit it exceeds. */
function trafficCaps(src: YamlSource): ConfigIssue[] {
  const deliveries = capIssue(src, ["deliveries"], LIMITS.deliveries, "deliveries");
  if (deliveries) return [deliveries];
  const count = sizeAt(src, ["deliveries"]);
  const lists: YamlPath[] = Array.from({ length: count }, (_, i) => ["deliveries", i, "domains"]);
  const domains = totalCapIssue(src, lists, LIMITS.trafficDomains, "named recipient domains (counted over all deliveries)");
  if (domains) return [domains];
  const waveLists: YamlPath[] = Array.from({ length: count }, (_, i) => ["deliveries", i, "waves"] as YamlPath).filter((path) =>
    Array.isArray(valueAt(src.value, path)),
  );
  const waves = totalCapIssue(src, waveLists, LIMITS.trafficWaves, "listed waves (counted over all deliveries)");
  return waves ? [waves] : [];
}

const DAY_MS = 86_400_000;

/** Every delivery starts within LIMITS.planSpanDays of the earliest one (bounds the simulated horizon). */
function spanIssues(src: YamlSource, deliveries: Delivery[]): ConfigIssue[] {
  if (deliveries.length < 2) return [];
  const earliest = deliveries.reduce((best, d, i) => (d.start < deliveries[best]!.start ? i : best), 0);
  const first = deliveries[earliest]!;
  const limitMs = LIMITS.planSpanDays * DAY_MS;
  const issues: ConfigIssue[] = [];
  deliveries.forEach((d, index) => {
    if (d.start - first.start <= limitMs) return;
    const days = Math.floor((d.start - first.start) / DAY_MS);
    issues.push(
      issueAt(src, ["deliveries", index, "start"], {
        message: `this delivery starts ${formatLimit(days)} days after "${first.name}" (line ${first.fieldPos.start?.line ?? first.span.line}); one traffic plan covers at most ${LIMITS.planSpanDays} days of starts`,
        expected: `a start at most ${LIMITS.planSpanDays} days after the earliest delivery's start`,
        hint: "split far-apart campaigns into separate plans (instances), or simulate them one at a time",
      }),
    );
  });
  return issues;
}

function toDelivery(src: YamlSource, input: DeliveryInput, path: YamlPath, errors: ConfigIssue[]): Delivery {
  const fieldPos: Partial<Record<DeliveryKey, SourceSpan>> = {};
  for (const key of DELIVERY_KEYS) if (hasKey(src, path, key)) fieldPos[key] = spanAt(src, [...path, key]);
  const { domains, otherRecipients } = resolveDomains(src, input, [...path, "domains"], errors);
  return {
    name: input.name,
    start: input.start,
    recipients: input.recipients,
    affinity: input.affinity ?? null,
    domains,
    otherRecipients,
    deadlineSec: input.deadline ?? null,
    validitySec: input.validity,
    retryPeriodSec: input.retryPeriod,
    retries: input.retries,
    waves: toWaves(input),
    ...(input.messageSizeKb !== undefined ? { messageSizeKb: input.messageSizeKb } : {}),
    span: spanAt(src, path),
    fieldPos,
  };
}

/** { size, every } → one wave every `every` until all recipients are released; a list is kept in time order. */
function toWaves(input: DeliveryInput): Delivery["waves"] {
  const waves = input.waves;
  if (waves === undefined) return null;
  if (!Array.isArray(waves)) {
    const count = Math.min(TRAFFIC_LIMITS.maxWaves, Math.ceil(input.recipients / waves.size));
    return Array.from({ length: count }, (_, k) => ({ afterSec: k * waves.every, size: waves.size }));
  }
  return waves.map((w) => ({ afterSec: w.after, size: w.size })).sort((a, b) => a.afterSec - b.afterSec);
}

interface Entry {
  domain: string;
  volume: Volume;
  pos: SourceSpan;
}

function resolveDomains(
  src: YamlSource,
  input: DeliveryInput,
  path: YamlPath,
  errors: ConfigIssue[],
): { domains: DomainVolume[]; otherRecipients: number } {
  const entries = domainEntries(src, input.domains ?? {}, path, errors);
  const shares = entries.filter((e): e is Entry & { volume: { share: ExactShare } } => "share" in e.volume);
  const counts = entries.filter((e): e is Entry & { volume: { count: number } } => "count" in e.volume);
  const countTotal = counts.reduce((sum, e) => sum + e.volume.count, 0);
  const empty = { domains: [], otherRecipients: input.recipients };

  if (sharesExceedWhole(shares.map((e) => e.volume.share))) {
    const total = formatShareTotal(shares.map((e) => e.volume.share));
    errors.push(
      issueAt(
        src,
        path,
        { message: `the domain shares add up to ${total}, more than 100%`, expected: "shares totalling at most 100%", found: total },
        "key",
      ),
    );
    return empty;
  }
  const allocated = allocateShares(
    input.recipients,
    shares.map((e) => e.volume.share),
  );
  const named = countTotal + allocated.reduce((a, b) => a + b, 0);
  if (named > input.recipients) {
    const what = shares.length > 0 ? `the domain counts and shares come to ${named}` : `the domain counts add up to ${named}`;
    errors.push(
      issueAt(
        src,
        path,
        {
          message: `${what}, more than the ${input.recipients} recipients`,
          expected: `at most ${input.recipients} recipients in named domains`,
          found: String(named),
        },
        "key",
      ),
    );
    return empty;
  }
  const byDomain = new Map(shares.map((e, i) => [e.domain, allocated[i]!]));
  const domains = entries.map(
    (e): DomainVolume => ({
      domain: e.domain,
      recipients: "count" in e.volume ? e.volume.count : byDomain.get(e.domain)!,
      written: "count" in e.volume ? { count: e.volume.count } : { share: shareToNumber(e.volume.share) },
      pos: e.pos,
    }),
  );
  return { domains, otherRecipients: input.recipients - named };
}

/** Checks domain keys (syntax, reserved "other", duplicates after lower-casing) in file order. */
function domainEntries(src: YamlSource, written: Record<string, Volume>, path: YamlPath, errors: ConfigIssue[]): Entry[] {
  const entries: Entry[] = [];
  const seen = new Map<string, SourceSpan>();
  for (const [key, volume] of userEntries(src, written, path, errors)) {
    const domain = key.trim().toLowerCase();
    const keyPath = [...path, key];
    const at = (message: string, expected: string, hint?: string) =>
      errors.push(issueAt(src, keyPath, { message, expected, hint, found: JSON.stringify(key) }, "key"));
    const first = seen.get(domain);
    const problem = checkHost(domain);
    if (domain === OTHER_DOMAIN)
      at(
        `"${OTHER_DOMAIN}" is reserved for the recipients in no named domain`,
        "a recipient domain",
        'leave them out: the rest goes to the "other" bucket',
      );
    else if (problem) at(problem, "a recipient domain such as gmail.com");
    else if (first) at(`the domain "${domain}" is listed twice (first on line ${first.line})`, "each domain once");
    else {
      seen.set(domain, keySpanAt(src, keyPath));
      entries.push({ domain, volume, pos: spanAt(src, keyPath) });
    }
  }
  return entries;
}

/**
 * The domains as written, in file order. A validated record has no key __proto__ (assigning it sets
 * the prototype), so such a key is taken from the file and its value validated on its own.
 */
function userEntries(src: YamlSource, written: Record<string, Volume>, path: YamlPath, errors: ConfigIssue[]): [string, Volume][] {
  const raw = valueAt(src.value, path);
  if (raw === null || typeof raw !== "object") return Object.entries(written);
  const out: [string, Volume][] = [];
  for (const key of Object.keys(raw)) {
    if (Object.hasOwn(written, key)) {
      out.push([key, written[key]!]);
      continue;
    }
    const checked = domainVolumeSchema.safeParse((raw as Record<string, unknown>)[key]);
    if (checked.success) out.push([key, checked.data]);
    else {
      const first = checked.error.issues[0]!;
      const params = (first as { params?: { expected?: string; hint?: string } }).params ?? {};
      errors.push(
        issueAt(src, [...path, key], {
          message: first.message,
          expected: params.expected ?? "a share or a number of recipients",
          hint: params.hint,
        }),
      );
    }
  }
  return out;
}

function duplicateNames(src: YamlSource, deliveries: Delivery[]): ConfigIssue[] {
  const firstLine = new Map<string, number>();
  const errors: ConfigIssue[] = [];
  deliveries.forEach((delivery, index) => {
    const line = firstLine.get(delivery.name);
    if (line === undefined) firstLine.set(delivery.name, delivery.fieldPos.name?.line ?? delivery.span.line);
    else {
      errors.push(
        issueAt(src, ["deliveries", index, "name"], {
          message: `another delivery is already named "${delivery.name}" (line ${line})`,
          expected: "a unique delivery name",
          hint: "findings and reports identify deliveries by name",
        }),
      );
    }
  });
  return errors;
}
