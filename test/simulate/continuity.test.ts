/**
 * The fluid FIFO model has no knife edges: a small change of maxAgeSec, of a rule's rate or of a
 * domain's volume moves sent / expired / abandoned by a small amount, and the paced bound never
 * exceeds the modelled completion.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DeliveryResult } from "../../src/model/results.js";
import { simulateInstance } from "../../src/simulate/index.js";
import { buildModel, type ModelSpec } from "./builders.js";
import { modelArb, SEED } from "./generators.js";

function totals(spec: ModelSpec): { recipients: number; expired: number; deferred: number } {
  const deliveries = simulateInstance(buildModel(spec)).result.deliveries;
  const sum = (key: "recipients" | "expired" | "deferred") => deliveries.reduce((s, d) => s + d[key]!, 0);
  return { recipients: sum("recipients"), expired: sum("expired"), deferred: sum("deferred") };
}

/** Within 2 % of the recipients plus a few messages of rounding. */
function close(a: number, b: number, recipients: number, moved = 0): void {
  expect(Math.abs(a - b)).toBeLessThanOrEqual(0.02 * recipients + moved + 5);
}

describe("continuity (no knife edges)", () => {
  it("moves results a little when maxAgeSec moves by one second", () => {
    fc.assert(
      // The slot multiples first: the old slot-rounded ages jumped there (600 → 601 s).
      fc.property(modelArb, fc.oneof(fc.constantFrom(300, 600, 900, 1200), fc.integer({ min: 301, max: 3600 })), (spec, age) => {
        const a = totals({ ...spec, mta: { ...spec.mta, maxAgeSec: age } });
        const b = totals({ ...spec, mta: { ...spec.mta, maxAgeSec: age + 1 } });
        close(a.expired, b.expired, a.recipients);
        close(a.deferred, b.deferred, a.recipients);
      }),
      { numRuns: 150, seed: SEED },
    );
  }, 120_000);

  it("moves results a little when a rule's messagesPerHour moves by 1 %", () => {
    fc.assert(
      fc.property(modelArb, fc.nat(), (spec, pick) => {
        const k = pick % spec.rules!.length;
        const rules = spec.rules!.map((r, i) =>
          i === k ? { ...r, messagesPerHour: Math.round((r.messagesPerHour ?? 10_000) * 1.01) } : r,
        );
        const a = totals(spec);
        const b = totals({ ...spec, rules });
        close(a.expired, b.expired, a.recipients);
        close(a.deferred, b.deferred, a.recipients);
      }),
      { numRuns: 150, seed: SEED + 2 },
    );
  }, 120_000);

  it("moves results a little when a domain's volume moves by 1 %", () => {
    fc.assert(
      fc.property(modelArb, (spec) => {
        const [first, ...rest] = spec.deliveries!;
        const [domain, count] = Object.entries(first!.domains)[0]!;
        const extra = Math.round(count * 0.01);
        const a = totals(spec);
        const b = totals({ ...spec, deliveries: [{ ...first!, domains: { ...first!.domains, [domain]: count + extra } }, ...rest] });
        close(a.expired, b.expired, a.recipients, extra);
        close(a.deferred, b.deferred, a.recipients, extra);
      }),
      { numRuns: 150, seed: SEED + 3 },
    );
  }, 120_000);
});

describe("bounds", () => {
  const check = (d: DeliveryResult) => {
    expect(d.sent! + d.expired!).toBe(d.recipients);
    for (const r of [d, ...d.domains]) {
      if (r.pacedHours !== null && r.completionHours !== null && r.recipients > 0)
        expect(r.pacedHours, `${d.name}`).toBeLessThanOrEqual(r.completionHours);
    }
  };
  it("never models a completion sooner than the paced bound, and conserves messages", () => {
    fc.assert(
      fc.property(
        modelArb,
        fc.constantFrom("shared" as const, "by-domain" as const),
        fc.constantFrom("abandon" as const, "pace" as const),
        fc.constantFrom("rule" as const, "site" as const),
        (spec, workingSet, quotaMet, sharedScope) => {
          const model = {
            ...buildModel(spec),
            options: { quotaMet, workingSet, spillOver: false, retrySchedule: "hourly-from-start" as const, sharedScope },
          };
          simulateInstance(model).result.deliveries.forEach(check);
        },
      ),
      { numRuns: 200, seed: SEED + 4 },
    );
  }, 120_000);
});
