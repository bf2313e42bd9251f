/**
 * traffic.yaml — planned deliveries, README.md#configuration-reference. Defaults are Campaign's
 * (delivery duration 5d, retry period 1h, 5 retries): docs/model.md#retries-and-validity.
 */
import * as z from "zod";
import { schemaRef } from "./common.js";
import { HOST_PATTERN } from "./hosts.js";
import { count, duration, isoDate, text, volume } from "./fields.js";

export const DELIVERY_DEFAULTS = { validity: "5d", retryPeriod: "1h", retries: 5 } as const;

/** Sanity bounds against hostile or mistyped input. */
export const TRAFFIC_LIMITS = {
  maxRecipients: 1_000_000_000_000,
  years: { min: 2000, max: 2100 },
  maxValiditySec: 30 * 86400,
  minValiditySec: 300,
  maxRetries: 1000,
  minRetryPeriodSec: 60,
  maxWaves: 1000,
  maxMessageSizeKb: 1_000_000,
} as const;

/** Reserved: the bucket for recipients in no named domain. */
export const OTHER_DOMAIN = "other";

const domainKey = z.string().meta({ description: "Recipient domain (lower-cased).", pattern: HOST_PATTERN });

/** One domain's volume; exported because a domain named __proto__ is validated on its own (a record drops that key). */
export const domainVolumeSchema = volume('Share ("35%" or 0.35) or absolute number of recipients.');

export const deliverySchema = z
  .strictObject({
    name: text("Delivery name, unique in the file (findings refer to it)."),
    start: isoDate("Start, ISO-8601 with a timezone, e.g. 2026-11-27T08:00:00Z.", TRAFFIC_LIMITS.years),
    recipients: count("Number of recipients.", { min: 1, max: TRAFFIC_LIMITS.maxRecipients }),
    affinity: text("IPAffinity name.")
      .nullable()
      .optional()
      .meta({ description: 'IPAffinity name. Absent: the affinity named "default" if defined, else every IP.' }),
    domains: z
      .record(domainKey, domainVolumeSchema)
      .nullable()
      .optional()
      .meta({ description: 'Recipient domains with a share or a count; the rest goes to the "other" bucket.' }),
    deadline: duration("Business deadline after start (e.g. 6h); completion later than this is a deadline-miss.", { min: 60 }).optional(),
    validity: duration("Delivery duration (validity), default 5d; unsent messages expire then.", {
      min: TRAFFIC_LIMITS.minValiditySec,
      max: TRAFFIC_LIMITS.maxValiditySec,
    }).prefault(DELIVERY_DEFAULTS.validity),
    retryPeriod: duration("Period of retries, default 1h.", { min: TRAFFIC_LIMITS.minRetryPeriodSec }).prefault(
      DELIVERY_DEFAULTS.retryPeriod,
    ),
    retries: count("Retries on the first day, default 5; then one a day until validity ends.", { max: TRAFFIC_LIMITS.maxRetries }).prefault(
      DELIVERY_DEFAULTS.retries,
    ),
    waves: z
      .union([
        z.strictObject({
          size: count("Recipients per wave.", { min: 1, max: TRAFFIC_LIMITS.maxRecipients }),
          every: duration("Time between two waves, e.g. 2h.", { min: 60 }),
        }),
        z
          .array(
            z.strictObject({
              after: duration("When the wave starts, after the delivery's start (0s for the first).", {}),
              size: count("Recipients in this wave.", { min: 1, max: TRAFFIC_LIMITS.maxRecipients }),
            }),
          )
          .min(1)
          .max(TRAFFIC_LIMITS.maxWaves),
      ])
      .optional()
      .meta({
        description:
          'Campaign\'s "Send using multiple waves": { size, every } or a list of { after, size }; recipients beyond the waves go with the last one.',
      }),
    messageSizeKb: count(
      "Average message size in KB (Adobe recommends at most 60). With it, mx-guard checks maxWaitingMessages × messageSizeKb × 2.5 against maxWorkingSetMb.",
      { min: 1, max: TRAFFIC_LIMITS.maxMessageSizeKb },
    ).optional(),
  })
  .meta({ title: "Delivery", description: "One planned delivery: volume, domain mix and timing." });

export const trafficFileSchema = z
  .strictObject({
    $schema: schemaRef,
    deliveries: z.array(deliverySchema).meta({ description: "Planned deliveries." }),
  })
  .meta({
    title: "mx-guard traffic plan (traffic.yaml)",
    description: "Planned sending volume that mx-guard simulates against the MX rules.",
  });

export type DeliveryInput = z.output<typeof deliverySchema>;
