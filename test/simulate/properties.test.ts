import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DeliveryResult } from "../../src/model/results.js";
import { DEFAULT_MODEL_OPTIONS, type InstanceModel } from "../../src/model/config.js";
import { simulateInstance } from "../../src/simulate/index.js";
import { buildModel } from "./builders.js";
import { modelArb, raiseArb, raised, SEED } from "./generators.js";

function byDomain(deliveries: DeliveryResult[]) {
  return deliveries.flatMap((d) => d.domains.map((r) => ({ delivery: d.name, ...r })));
}

/** null (never completes) is worse than any number of hours. */
function notLater(after: number | null, before: number | null): boolean {
  return before === null || (after !== null && after <= before);
}

function expectNoWorse(before: DeliveryResult[], after: DeliveryResult[]): void {
  after.forEach((d, i) => {
    const b = before[i]!;
    const label = `delivery ${d.name}`;
    expect(d.deferred, `${label} deferred`).toBeLessThanOrEqual(b.deferred!);
    expect(d.expired, `${label} expired`).toBeLessThanOrEqual(b.expired!);
    expect(notLater(d.completionHours, b.completionHours), `${label} completion ${d.completionHours} after ${b.completionHours}`).toBe(
      true,
    );
    d.domains.forEach((r, j) => {
      const rb = b.domains[j]!;
      const at = `${label} / ${r.domain}`;
      expect(r.deferred, `${at} deferred`).toBeLessThanOrEqual(rb.deferred!);
      expect(r.expired, `${at} expired`).toBeLessThanOrEqual(rb.expired!);
      expect(notLater(r.completionHours, rb.completionHours), `${at} completion ${r.completionHours} after ${rb.completionHours}`).toBe(
        true,
      );
    });
  });
}

/**
 * Monotonicity holds where the mechanism is monotone: with each domain's own part of the working
 * set (model.workingSet: by-domain). In the shared working set, one domain sending faster changes
 * which messages the MTA prepares next for every other domain, in either direction.
 */
function byDomainModel(spec: Parameters<typeof buildModel>[0]): InstanceModel {
  return { ...buildModel(spec), options: { ...DEFAULT_MODEL_OPTIONS, workingSet: "by-domain" } };
}

describe("simulation properties", () => {
  it("conserves messages: sent + expired = recipients, all integers, deterministic", () => {
    fc.assert(
      fc.property(modelArb, (spec) => {
        const model = buildModel(spec);
        const { result, findings } = simulateInstance(model);
        for (const d of result.deliveries) {
          expect(d.sent! + d.expired!).toBe(d.recipients);
          for (const r of d.domains) {
            expect(r.sent! + r.expired!).toBe(r.recipients);
            for (const n of [r.sent, r.expired, r.deferred]) expect(Number.isInteger(n) && n! >= 0).toBe(true);
            expect(r.deferred).toBeLessThanOrEqual(r.recipients);
            expect(r.completionHours === null).toBe(r.expired! > 0);
          }
        }
        for (const site of result.sites) {
          for (const n of [site.hourlyCapacity, site.slotCapacity])
            expect(Number.isSafeInteger(n) && n >= 0 && n < Number.MAX_SAFE_INTEGER).toBe(true);
        }
        expect(simulateInstance(model)).toEqual({ result, findings });
      }),
      { numRuns: 200, seed: SEED },
    );
  }, 120_000);

  it("never defers, expires or completes later, per delivery and per domain, when a rule's messagesPerHour or maxConnections is raised (by-domain working set)", () => {
    fc.assert(
      fc.property(modelArb, raiseArb, (spec, raise) => {
        const before = simulateInstance(byDomainModel(spec)).result.deliveries;
        const after = simulateInstance(byDomainModel(raised(spec, raise))).result.deliveries;
        expectNoWorse(before, after);
      }),
      { numRuns: 300, seed: SEED },
    );
  }, 120_000);

  it("is monotone for every rule and both fields of the same model", () => {
    // Each generated model is checked against raising each of its rules in turn, both fields.
    fc.assert(
      fc.property(
        modelArb,
        fc.integer({ min: 11, max: 100 }).map((k) => k / 10),
        (spec, factor) => {
          const before = simulateInstance(byDomainModel(spec)).result.deliveries;
          for (let rule = 0; rule < spec.rules!.length; rule++) {
            for (const field of ["messagesPerHour", "maxConnections"] as const) {
              expectNoWorse(before, simulateInstance(byDomainModel(raised(spec, { rule, factor, field }))).result.deliveries);
            }
          }
        },
      ),
      { numRuns: 200, seed: SEED + 1 },
    );
  }, 300_000);

  it("does not depend on the order in which domains and deliveries are written", () => {
    fc.assert(
      fc.property(modelArb, fc.integer(), (spec, seed) => {
        const shuffled = {
          ...spec,
          deliveries: [...spec.deliveries!].reverse().map((d) => {
            const entries = Object.entries(d.domains);
            const rotated = entries.map((_, i) => entries[(i + Math.abs(seed)) % entries.length]!).reverse();
            return { ...d, domains: Object.fromEntries(rotated) };
          }),
        };
        const a = simulateInstance(buildModel(spec));
        const b = simulateInstance(buildModel(shuffled));
        const key = (r: { delivery: string; domain: string }) => `${r.delivery}/${r.domain}`;
        const sort = <T extends { delivery: string; domain: string }>(rows: T[]) => [...rows].sort((x, y) => key(x).localeCompare(key(y)));
        expect(sort(byDomain(b.result.deliveries))).toEqual(sort(byDomain(a.result.deliveries)));
        const totals = (r: typeof a) =>
          [...r.result.deliveries].sort((x, y) => x.name.localeCompare(y.name)).map(({ domains: _, ...rest }) => rest);
        expect(totals(b)).toEqual(totals(a));
        expect(b.result.sites.map((s) => [s.site, s.slotCapacity, s.limitedBy])).toEqual(
          a.result.sites.map((s) => [s.site, s.slotCapacity, s.limitedBy]),
        );
        expect(b.findings.map((f) => f.fingerprint).sort()).toEqual(a.findings.map((f) => f.fingerprint).sort());
      }),
      { numRuns: 200, seed: SEED },
    );
  }, 120_000);
});
