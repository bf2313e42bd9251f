import { describe, expect, it } from "vitest";
import { nextRetryTime, simulateInstance } from "../../src/simulate/index.js";
import { buildModel, DAY, HOUR, T0, type ModelSpec } from "./builders.js";

const gmailRule = { mask: "*.google.com", messagesPerHour: 10_000, shared: true, maxConnections: 1000 };

function run(spec: ModelSpec) {
  return simulateInstance(buildModel(spec));
}

describe("retry schedule", () => {
  const d = { start: T0, retryPeriodSec: HOUR, retries: 5, validitySec: 5 * DAY };
  it("retries hourly five times, then once a day until validity", () => {
    const times: number[] = [];
    let t: number | null = T0;
    while ((t = nextRetryTime(d, t!)) !== null) times.push((t - T0) / 3_600_000);
    expect(times).toEqual([1, 2, 3, 4, 5, 24, 48, 72, 96]);
  });
  it("puts the daily retries after the last periodic one", () => {
    expect(nextRetryTime({ ...d, retries: 30 }, T0 + 29.5 * HOUR * 1000)).toBe(T0 + 30 * HOUR * 1000);
    expect(nextRetryTime({ ...d, retries: 30 }, T0 + 30 * HOUR * 1000)).toBe(T0 + 48 * HOUR * 1000);
  });
});

describe("timeline (SPEC §4)", () => {
  it("sends 100,000 gmail recipients at 10,000/h in about 10 h without deferral when the working set is small", () => {
    // 833 per slot: 120 full slots (99,960) then 40 in the 121st slot, 40/833 of the way in → 10.00 h.
    const { result, findings } = run({
      rules: [gmailRule],
      deliveries: [{ name: "Newsletter", domains: { "gmail.com": 100_000 } }],
      mta: { maxSpareServers: 1, maxWaitingMessages: 800 },
    });
    const d = result.deliveries[0]!;
    expect(d).toMatchObject({ sent: 100_000, deferred: 0, expired: 0, completionHours: 10 });
    expect(findings).toEqual([]);
    const site = result.sites.find((s) => s.site === "google")!;
    expect(site.hourly![0]).toEqual({ hour: 0, sent: 9_996, queued: 100_000 - 9_996 });
    expect(site.hourly![9]).toEqual({ hour: 9, sent: 9_996, queued: 40 });
  });

  it("defers, slot by slot, what waits longer than maxAgeSec when the room is larger than the quota drains", () => {
    // W = 2 × 2,000 = 4,000, all of it gmail's room; 833 per slot; maxAgeSec 600 s = 2 slots.
    // slot 0: pull 4,000 + 833, send 833 → 4,000 wait (cohort 0)
    // slot 1: pull 833 (room 4,000 + 833 − 4,000 held), send 833 of cohort 0 → 3,167 + 833 wait
    // slot 2: cohort 0's 3,167 waited 600 s → deferred; pull 4,000, send cohort 1's 833 → 4,000 wait
    // … so 3,167 are deferred at slots 2, 4, 6, 8, 10, and 833 are sent every slot.
    // Validity 1 h: the retry (daily, retries 0) comes too late, the rest expires at slot 12.
    const { result } = run({
      rules: [gmailRule],
      deliveries: [{ name: "Newsletter", domains: { "gmail.com": 100_000 }, validitySec: HOUR, retries: 0 }],
    });
    expect(result.deliveries[0]).toMatchObject({ sent: 12 * 833, deferred: 5 * 3_167, expired: 100_000 - 12 * 833, completionHours: null });
    const chart = result.sites.find((s) => s.site === "google")!.hourly!;
    expect(chart[0]).toEqual({ hour: 0, sent: 9_996, queued: 100_000 - 9_996 });
  });

  it("pulls fresh messages before retried ones", () => {
    // Same slots for 2 h with one retry at 1 h: the 5 × 3,167 deferred by then come back at slot 12,
    // but fresh mail is still there, so they never get room; the fresh keep being deferred at
    // slots 12, 14, … 22 too: 11 × 3,167 distinct messages deferred, 24 × 833 sent.
    const { result } = run({
      rules: [gmailRule],
      deliveries: [{ name: "Newsletter", domains: { "gmail.com": 100_000 }, validitySec: 2 * HOUR, retries: 1 }],
    });
    expect(result.deliveries[0]).toMatchObject({ sent: 24 * 833, deferred: 11 * 3_167, expired: 100_000 - 24 * 833 });
  });

  it("defers until the retries bring the mail back, and completes later than the quota alone would", () => {
    const { result, findings } = run({
      rules: [gmailRule],
      deliveries: [{ name: "Newsletter", domains: { "gmail.com": 100_000 } }],
    });
    const d = result.deliveries[0]!;
    expect(d.sent + d.expired).toBe(100_000);
    expect(d.deferred).toBeGreaterThan(5 * 3_167);
    expect(d.completionHours === null || d.completionHours > 10).toBe(true);
    const chart = result.sites.find((s) => s.site === "google")!.hourly!;
    expect(chart[0]!.sent).toBe(9_996);
    // The quota is used every hour until the backlog is gone.
    expect(chart.slice(1, 5).every((h) => h.sent === 9_996)).toBe(true);
    const deferral = findings.find((f) => f.id === "quota-deferral")!;
    expect(deferral.magnitude!.deferred).toBe(d.deferred);
    expect(deferral.message).toContain("Messages queued (connection quotas met)");
    expect(deferral.details).toMatchObject({ ruleIndex: 0, mask: "*.google.com" });
  });

  it("expires what is still unsent when validity ends", () => {
    // 1,200/h = 100 per slot; 2 h of validity = 24 slots = 2,400 sent of 5,000.
    const { result } = run({
      rules: [{ mask: "*.google.com", messagesPerHour: 1200 }],
      deliveries: [{ name: "Flash sale", domains: { "gmail.com": 5000 }, validitySec: 2 * HOUR }],
      mta: { maxSpareServers: 1, maxWaitingMessages: 100 },
    });
    expect(result.deliveries[0]).toMatchObject({ sent: 2400, expired: 2600, completionHours: null });
  });

  it("shares one site's quota between overlapping deliveries", () => {
    const alone = run({
      rules: [gmailRule],
      deliveries: [{ name: "A", domains: { "gmail.com": 50_000 } }],
      mta: { maxSpareServers: 1, maxWaitingMessages: 800 },
    });
    const both = run({
      rules: [gmailRule],
      deliveries: [
        { name: "A", domains: { "gmail.com": 50_000 } },
        { name: "B", domains: { "googlemail.com": 50_000 } },
      ],
      mta: { maxSpareServers: 1, maxWaitingMessages: 800 },
    });
    const a = alone.result.deliveries[0]!.completionHours!;
    expect(a).toBeCloseTo(50_000 / 9_996, 1);
    const [ba, bb] = both.result.deliveries;
    expect(ba!.completionHours!).toBeGreaterThan(a * 1.8);
    expect(bb!.completionHours!).toBeGreaterThan(a * 1.8);
    expect(Math.max(ba!.completionHours!, bb!.completionHours!)).toBeCloseTo(100_000 / 9_996, 0);
    expect(both.result.sites.find((s) => s.site === "google")!.domains).toEqual(["gmail.com", "googlemail.com"]);
  });

  it("does not let a throttled site slow the others: each has its share of the working set by planned volume", () => {
    const spec = (yahooRate: number): ModelSpec => ({
      rules: [
        { mask: "*.yahoodns.net", messagesPerHour: yahooRate },
        { mask: "*", messagesPerHour: 1_000_000 },
      ],
      deliveries: [{ name: "Mix", domains: { "yahoo.com": 50_000, "hotmail.com": 50_000 } }],
      mta: { maxSpareServers: 1, maxWaitingMessages: 2000 },
    });
    const hotmail = (rate: number) => run(spec(rate)).result.deliveries[0]!.domains.find((d) => d.domain === "hotmail.com")!;
    // floor(1,000,000 / 12) = 83,333 per slot: 49,999.5 / 83,333 × 300 s = 180 s = 0.05 h.
    expect(hotmail(1_000_000)).toMatchObject({ sent: 50_000, deferred: 0, completionHours: 0.05 });
    expect(hotmail(1_200)).toEqual(hotmail(1_000_000));
    // Yahoo at 1,200/h (100 per slot) with a room of 1,000 defers what waits 600 s: 1,000 + 100
    // pulled, 100 sent per slot, 900 deferred every other slot.
    const yahoo = run(spec(1_200)).result.deliveries[0]!.domains.find((d) => d.domain === "yahoo.com")!;
    expect(yahoo.deferred).toBeGreaterThan(900);
  });

  it("shares the MTA sessions by planned volume, so more capacity for one site takes none from another", () => {
    // 1 child × 10 sessions; hotmail has 10,000 of 40,000 planned → 2.5 sessions; one message per
    // connection costs 0.5 + 0.5 + 0.1 = 1.1 s → 2.5 × 300 / 1.1 = 681.8 per slot.
    const spec = (yahooConnections: number): ModelSpec => ({
      rules: [
        { mask: "*.yahoodns.net", messagesPerHour: 1_000_000, maxConnections: yahooConnections, maxMessagesPerConnection: 1 },
        { mask: "*", messagesPerHour: 1_000_000, maxConnections: 100, maxMessagesPerConnection: 1 },
      ],
      deliveries: [{ name: "N", domains: { "hotmail.com": 10_000, "yahoo.com": 30_000 } }],
      mta: { maxSpareServers: 1, maxSessionsPerChild: 10 },
    });
    const slow = run(spec(1));
    const site = slow.result.sites.find((s) => s.site === "microsoft")!;
    expect(site).toMatchObject({ limitedBy: "mta", slotCapacity: 681, hourlyCapacity: 8_181 });
    expect(slow.result.sites.find((s) => s.site === "yahoo")!.limitedBy).toBe("connections");
    const fast = run(spec(100));
    expect(fast.result.sites.find((s) => s.site === "yahoo")!.limitedBy).toBe("mta");
    const hotmail = (r: typeof slow) => r.result.deliveries[0]!.domains.find((d) => d.domain === "hotmail.com")!;
    expect(hotmail(fast)).toEqual(hotmail(slow));
    // 14 full slots send 9,545.5; the last 454 (to 9,999.5) take 454 / 681.8 of slot 14 →
    // 14.666 × 300 s = 4,400 s = 1.22 h.
    expect(hotmail(slow).completionHours).toBe(1.22);
  });

  it("starts each delivery at its own time and counts completion from its start", () => {
    const { result } = run({
      rules: [gmailRule],
      deliveries: [
        { name: "Early", domains: { "gmail.com": 833 } },
        { name: "Late", startOffsetSec: 2 * HOUR, domains: { "gmail.com": 833 } },
      ],
    });
    expect(result.deliveries.map((d) => d.completionHours)).toEqual([0.08, 0.08]);
  });

  it("sends the other bucket limited only by the MTA ceiling", () => {
    const { result } = run({
      rules: [{ mask: "*", messagesPerHour: 100 }],
      deliveries: [{ name: "N", domains: {}, other: 30_000 }],
    });
    const d = result.deliveries[0]!;
    expect(d.domains).toEqual([expect.objectContaining({ domain: "other", site: "other", sent: 30_000, expired: 0 })]);
    expect(d.completionHours!).toBeLessThan(0.1);
    // 2 × 1,000 sessions, one message per connection: 1 + 1 + 1 s → 2,000 × 300 / 3 = 200,000 per slot.
    expect(result.sites[0]).toMatchObject({ site: "other", limitedBy: "mta", rule: null, slotCapacity: 200_000, hourlyCapacity: 2_400_000 });
    expect(result.sites[0]!.paths![0]).toMatchObject({ slotCapacity: 200_000, hourly: 2_400_000 });
  });

  it("scales sites down when they need more sessions than the MTA has", () => {
    // 1 child × 10 sessions; the rule allows 100 connections of 1 message (0.5 + 0.5 + 0.1 s each):
    // 100 × 300 / 1.1 = 27,272 per slot, but 10 sessions carry 2,727.
    const { result } = run({
      rules: [{ mask: "*", messagesPerHour: 1_000_000, maxConnections: 100, maxMessagesPerConnection: 1 }],
      deliveries: [{ name: "N", domains: { "hotmail.com": 10_000 } }],
      mta: { maxSpareServers: 1, maxSessionsPerChild: 10 },
    });
    const site = result.sites.find((s) => s.site === "microsoft")!;
    expect(site.limitedBy).toBe("mta");
    expect(site.slotCapacity).toBe(2727);
    expect(result.deliveries[0]!.sent).toBe(10_000);
  });

  it("keeps a Pending delivery out of the working set", () => {
    const with_ = run({
      rules: [gmailRule],
      deliveries: [
        { name: "Lost", affinity: "nowhere", domains: { "gmail.com": 1_000_000 } },
        { name: "Fine", domains: { "gmail.com": 833 } },
      ],
    });
    expect(with_.result.deliveries[0]).toMatchObject({ sent: 0, expired: 1_000_000, deferred: 0, completionHours: null });
    expect(with_.result.deliveries[1]).toMatchObject({ sent: 833, deferred: 0, completionHours: 0.08 });
  });

  it("reports the assumptions it used", () => {
    const { result } = run({ rules: [gmailRule], deliveries: [{ name: "N", domains: { "unknown.example": 10 }, other: 5 }], mta: { statServerTLSSupport: false } });
    const text = result.assumptions.join("\n");
    expect(text).toContain("one quota bucket per local publicId");
    expect(text).toContain("floor(messagesPerHour / 12)");
    expect(text).toContain("1 remote IP");
    expect(text).toContain('"other" bucket');
    expect(text).toContain("statServerTLSSupport");
    expect(text).toContain("once a day");
    expect(text).toContain("fresh messages before retried ones");
    expect(text).toContain("shares by planned volume");
    expect(text).toContain("maxSpareServers × maxWaitingMessages = 4,000 messages");
  });

  it("does not simulate quotas in relay or Enhanced MTA mode", () => {
    for (const mta of [{ relayAddress: "relay.example:25" }, { useMomentum: true }]) {
      const { result, findings } = run({ rules: [gmailRule], deliveries: [{ name: "N", domains: { "gmail.com": 1_000_000 } }], mta });
      expect(result.mode).toBe("relayAddress" in mta ? "relay" : "enhanced-mta");
      expect(result.deliveries[0]).toMatchObject({ sent: 1_000_000, completionHours: 0, expired: 0 });
      expect(result.assumptions.length).toBeGreaterThan(0);
      expect(findings.map((f) => [f.id, f.line])).toEqual([["mx-rules-unused", "relayAddress" in mta ? 4 : 3]]);
    }
  });
});
