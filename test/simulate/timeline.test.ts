import { describe, expect, it } from "vitest";
import { nextRetryTime, simulateInstance } from "../../src/simulate/index.js";
import { DEFAULT_MODEL_OPTIONS, type ModelOptions } from "../../src/model/config.js";
import { buildModel, DAY, GOOGLE, HOUR, MICROSOFT, T0, YAHOO, type ModelSpec } from "./builders.js";

const gmailRule = { mask: "*.google.com", messagesPerHour: 10_000, shared: true, maxConnections: 1000 };

function run(spec: ModelSpec, options: Partial<ModelOptions> = {}) {
  return simulateInstance({ ...buildModel(spec), options: { ...DEFAULT_MODEL_OPTIONS, ...options } });
}

describe("retry schedule", () => {
  const d = { start: T0, retryPeriodSec: HOUR, retries: 5, validitySec: 5 * DAY };
  it("retries hourly five times, then once a day until validity", () => {
    const times: number[] = [];
    let t: number | null = T0;
    while ((t = nextRetryTime(d, t!)) !== null) times.push((t - T0) / 3_600_000);
    expect(times).toEqual([1, 2, 3, 4, 5, 24, 48, 72, 96]);
  });
  it("spreads the first-day retries over 24 hours with model.retrySchedule spread-over-first-day", () => {
    const times: number[] = [];
    let t: number | null = T0;
    while ((t = nextRetryTime(d, t!, "spread-over-first-day")) !== null) times.push(Math.round(((t - T0) / 3_600_000) * 10) / 10);
    expect(times).toEqual([4.8, 9.6, 14.4, 19.2, 24, 48, 72, 96]);
    // A retry period longer than 24 h ÷ retries is kept (the minimum interval).
    expect(nextRetryTime({ ...d, retryPeriodSec: 6 * HOUR }, T0, "spread-over-first-day")).toBe(T0 + 6 * HOUR * 1000);
  });

  it("uses the schedule the policy names, so the spread reading changes the outcome", () => {
    const spec: ModelSpec = { rules: [gmailRule], deliveries: [{ name: "N", domains: { "gmail.com": 100_000 } }] };
    const hourly = run(spec).result.deliveries[0]!;
    const spread = run(spec, { retrySchedule: "spread-over-first-day" }).result.deliveries[0]!;
    expect(spread.expired!).toBeLessThan(hourly.expired!);
    expect(run(spec, { retrySchedule: "spread-over-first-day" }).result.assumptions.join(" ")).toContain(
      "model.retrySchedule: spread-over-first-day",
    );
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
    // Nothing is held back; 100,000 Gmail messages in a day only fall under Google's bulk-sender rules.
    expect(findings.map((f) => f.id)).toEqual(["bulk-sender"]);
    const site = result.sites.find((s) => s.site === "google")!;
    expect(site.hourly![0]).toEqual({ hour: 0, sent: 9_996, queued: 100_000 - 9_996 });
    expect(site.hourly![9]).toEqual({ hour: 9, sent: 9_996, queued: 40 });
  });

  it("abandons, slot by slot, what cannot be sent within maxAgeSec (a FIFO drained at the quota)", () => {
    // W = 2 × 2,000 = 4,000; 833 per slot; maxAgeSec 600 s: a FIFO drained at 833 per 300 s sends
    // only the first 833 × 600 / 300 = 1,666 waiting messages in time.
    // slot 0: 4,000 prepared + 833 more as places free up; 833 sent, 1,666 kept, 2,334 hold their
    //         places for 600 s and are abandoned at slot 2;
    // slot 1: no free place; the 833 sent are replaced by 833 kept;
    // slot 2: the 2,334 leave, so 2,334 + 833 are prepared, 833 kept, 2,334 abandoned at slot 4; …
    // so 2,334 are abandoned at slots 0, 2, … 10 and 833 are sent every slot. Validity 1 h: the
    // retry (daily, retries 0) comes too late, the rest expires at slot 12.
    const { result } = run({
      rules: [gmailRule],
      deliveries: [{ name: "Newsletter", domains: { "gmail.com": 100_000 }, validitySec: HOUR, retries: 0 }],
    });
    expect(result.deliveries[0]).toMatchObject({ sent: 12 * 833, deferred: 6 * 2_334, expired: 100_000 - 12 * 833, completionHours: null });
    const chart = result.sites.find((s) => s.site === "google")!.hourly!;
    expect(chart[0]).toEqual({ hour: 0, sent: 9_996, queued: 100_000 - 9_996 });
  });

  it("prepares a domain's fresh messages before its retried ones", () => {
    // Same slots for 2 h with one retry at 1 h: the 5 × 2,334 abandoned by then come back at slot
    // 12, but fresh gmail messages are still there and go first; 833 are still sent every slot, and
    // the 2,334 abandoned at slots 12, 14, … 22 are fresh ones too: 12 × 2,334 distinct messages.
    const { result } = run({
      rules: [gmailRule],
      deliveries: [{ name: "Newsletter", domains: { "gmail.com": 100_000 }, validitySec: 2 * HOUR, retries: 1 }],
    });
    const d = result.deliveries[0]!;
    expect(d).toMatchObject({ sent: 24 * 833, deferred: 12 * 2_334, expired: 100_000 - 24 * 833 });
  });

  it("moves continuously with maxAgeSec: no step between 600 and 601 s", () => {
    const expired = (maxAgeSec: number) =>
      run({ rules: [gmailRule], deliveries: [{ name: "N", domains: { "gmail.com": 100_000 } }], mta: { maxAgeSec } }).result.deliveries[0]!
        .expired!;
    const [at600, at601] = [expired(600), expired(601)];
    expect(at600).toBeGreaterThan(0);
    expect(Math.abs(at600 - at601)).toBeLessThan(0.05 * at600);
    expect(expired(3600)).toBe(0);
  });

  it("gives both bounds for the README's worked example: paced 10 h, modelled expiry after a day-long gap", () => {
    const { result, findings } = run({ rules: [gmailRule], deliveries: [{ name: "N", domains: { "gmail.com": 100_000 } }] });
    const d = result.deliveries[0]!;
    expect(d.pacedHours).toBe(10);
    expect(d.completionHours).toBeNull();
    expect(d.expired!).toBeGreaterThan(2_000);
    expect(d.expired!).toBeLessThan(2_400);
    const sent = result.sites.find((s) => s.site === "google")!.hourly!.map((h) => h.sent);
    // The five hourly retries keep the quota busy to hour 7; nothing is sent until the daily retry.
    expect(sent.slice(0, 7).every((n) => n === 9_996)).toBe(true);
    expect(sent.slice(8, 24).every((n) => n === 0)).toBe(true);
    expect(sent[24]).toBe(9_996);
    const expiry = findings.find((f) => f.id === "delivery-expiry")!;
    expect(expiry.message).toContain("Paced at the quota it would take 10 h");
    expect(expiry.message).toContain("only 1,666 waiting messages for google can be sent within maxAgeSec (600 s)");
  });

  it("abandons nothing while the working set drains within maxAgeSec (the FIFO threshold)", () => {
    // 24,000/h = 2,000 per slot: 4,000 waiting messages drain in 600 s, so none waits longer.
    const at = (messagesPerHour: number) =>
      run({
        rules: [{ ...gmailRule, messagesPerHour, maxConnections: 300 }],
        deliveries: [{ name: "N", domains: { "gmail.com": 100_000 } }],
      }).result.deliveries[0]!;
    expect(at(24_000)).toMatchObject({ deferred: 0, expired: 0, completionHours: 4.17 });
    expect(at(23_000).deferred).toBeGreaterThan(0);
    expect(at(23_000).deferred).toBeLessThan(at(20_000).deferred!);
  });

  it("defers until the retries bring the mail back, and completes later than the quota alone would", () => {
    const { result, findings } = run({
      rules: [gmailRule],
      deliveries: [{ name: "Newsletter", domains: { "gmail.com": 100_000 } }],
    });
    const d = result.deliveries[0]!;
    expect(d.sent! + d.expired!).toBe(100_000);
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

  it("lets a throttled domain slow the others of its delivery: its messages hold places in the shared working set", () => {
    const spec = (yahooRate: number): ModelSpec => ({
      rules: [
        { mask: "*.yahoodns.net", messagesPerHour: yahooRate },
        { mask: "*", messagesPerHour: 1_000_000 },
      ],
      deliveries: [{ name: "Mix", domains: { "yahoo.com": 50_000, "hotmail.com": 50_000 } }],
      mta: { maxSpareServers: 1, maxWaitingMessages: 2000 },
    });
    const hotmail = (rate: number, options: Partial<ModelOptions> = {}) =>
      run(spec(rate), options).result.deliveries[0]!.domains.find((d) => d.domain === "hotmail.com")!;
    const free = hotmail(1_000_000);
    const blocked = hotmail(1_200);
    expect(free).toMatchObject({ sent: 50_000, deferred: 0 });
    expect(blocked).toMatchObject({ sent: 50_000, deferred: 0 });
    // Yahoo at 100 per slot keeps only 200 in time; the rest of its half of what is prepared holds
    // places for 600 s, so hotmail gets fewer of the 2,000 places and finishes hours later.
    expect(blocked.completionHours!).toBeGreaterThan(free.completionHours! + 0.5);
    // by-domain: each domain has its own part of the working set, and yahoo cannot slow hotmail.
    expect(hotmail(1_200, { workingSet: "by-domain" })).toEqual(hotmail(1_000_000, { workingSet: "by-domain" }));
    const deliveryFinding = run(spec(1_200)).findings.find((f) => f.id === "quota-deferral")!;
    expect(deliveryFinding.message).toContain("Head-of-line blocking");
    expect(deliveryFinding.message).toContain("hotmail.com");
  });

  it("lets messages refused for TLS leave the working set in the slot they are tried, so they block no other domain", () => {
    // Gmail requires TLS and every path is plaintext (tls: disabled): Gmail answers 421 4.7.29 in the SMTP
    // session, so its messages free their places at once and wait for a retry; hotmail's 2,000 places
    // stay its own, and it finishes exactly as in the same delivery without Gmail.
    const spec = (domains: Record<string, number>): ModelSpec => ({
      rules: [
        { ...gmailRule, tls: "disabled" },
        { mask: "*", messagesPerHour: 12_000 },
      ],
      deliveries: [{ name: "Mix", domains }],
      mta: { maxSpareServers: 1, maxWaitingMessages: 2000 },
    });
    const withGmail = run(spec({ "gmail.com": 50_000, "hotmail.com": 50_000 })).result.deliveries[0]!;
    const alone = run(spec({ "hotmail.com": 50_000 })).result.deliveries[0]!;
    const hotmail = withGmail.domains.find((d) => d.domain === "hotmail.com")!;
    const gmail = withGmail.domains.find((d) => d.domain === "gmail.com")!;
    expect(gmail).toMatchObject({ sent: 0, expired: 50_000, refusedTls: 50_000, deferred: 0 });
    expect(alone.domains[0]).toMatchObject({ sent: 50_000, deferred: 0, expired: 0 });
    expect(hotmail.completionHours).toBe(alone.domains[0]!.completionHours);
    expect(hotmail).toMatchObject({ sent: 50_000, deferred: 0, expired: 0 });
  });

  it("sends in waves: each wave's messages are prepared only from its start", () => {
    const spec = (waves: { afterSec: number; size: number }[] | null): ModelSpec => ({
      rules: [gmailRule],
      deliveries: [{ name: "Waves", domains: { "gmail.com": 20_000 }, waves }],
      mta: { maxSpareServers: 1, maxWaitingMessages: 800 },
    });
    const once = run(spec(null)).result;
    const twice = run(
      spec([
        { afterSec: 0, size: 10_000 },
        { afterSec: 2 * HOUR, size: 10_000 },
      ]),
    ).result;
    // 20,000 at 9,996/h: 2 h in one go; in two waves the second starts at 2 h and takes 1 h more.
    expect(once.deliveries[0]!.completionHours).toBeCloseTo(2, 1);
    expect(twice.deliveries[0]!.completionHours).toBeCloseTo(3, 1);
    const hourly = twice.sites.find((s) => s.site === "google")!.hourly!.map((h) => h.sent);
    expect(hourly.slice(0, 4)).toEqual([9_996, 4, 9_996, 4]);
    // A wave that starts after the validity never sends: its recipients expire.
    const late = run({
      ...spec([
        { afterSec: 0, size: 10_000 },
        { afterSec: 2 * HOUR, size: 10_000 },
      ]),
      deliveries: [
        {
          name: "Waves",
          domains: { "gmail.com": 20_000 },
          validitySec: HOUR + 1800,
          waves: [
            { afterSec: 0, size: 10_000 },
            { afterSec: 2 * HOUR, size: 10_000 },
          ],
        },
      ],
    }).result;
    expect(late.deliveries[0]).toMatchObject({ sent: 10_000, expired: 10_000 });
  });

  it("counts every MTA host's mtachild processes with mtaHosts (working set and sessions), quotas shared", () => {
    const spec: ModelSpec = { rules: [gmailRule], deliveries: [{ name: "N", domains: { "gmail.com": 100_000 } }] };
    const one = run(spec).result;
    const model = buildModel(spec);
    const two = simulateInstance({ ...model, paths: { ...model.paths, mtaHosts: 2 }, options: DEFAULT_MODEL_OPTIONS }).result;
    expect(two.assumptions.join(" ")).toContain("maxSpareServers × maxWaitingMessages = 8,000 messages");
    // The quota stays 833 per period; twice the prepared messages means more abandoned, not more sent per hour.
    expect(two.sites.find((s) => s.site === "google")!.slotCapacity).toBe(833);
    expect(two.deliveries[0]!.deferred!).toBeGreaterThan(one.deliveries[0]!.deferred!);
  });

  it("waits for the quota instead of abandoning with quotaMet: pace", () => {
    const { result } = run({ rules: [gmailRule], deliveries: [{ name: "N", domains: { "gmail.com": 100_000 } }] }, { quotaMet: "pace" });
    // 120 full slots of 833 (99,960), then 40 of 833 into the 121st: 10 h, as the paced bound.
    expect(result.deliveries[0]).toMatchObject({ sent: 100_000, deferred: 0, expired: 0, completionHours: 10 });
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
      // One remote IP, so maxConnections (per path) is Yahoo's whole connection limit.
      providers: [GOOGLE, { ...YAHOO, remoteIps: 1 }, MICROSOFT],
    });
    // by-domain: the working set is kept apart too, so only the sessions could couple the sites.
    const byDomain = { workingSet: "by-domain" } as const;
    const slow = run(spec(1), byDomain);
    const site = slow.result.sites.find((s) => s.site === "microsoft")!;
    expect(site).toMatchObject({ limitedBy: "mta", slotCapacity: 681, hourlyCapacity: 8_181 });
    expect(slow.result.sites.find((s) => s.site === "yahoo")!.limitedBy).toBe("connections");
    const fast = run(spec(100), byDomain);
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
    expect(result.sites[0]).toMatchObject({
      site: "other",
      limitedBy: "mta",
      rule: null,
      slotCapacity: 200_000,
      hourlyCapacity: 2_400_000,
    });
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
    const { result } = run({
      rules: [gmailRule],
      deliveries: [{ name: "N", domains: { "unknown.example": 10 }, other: 5 }],
      mta: { statServerTLSSupport: false },
    });
    const text = result.assumptions.join("\n");
    expect(text).toContain("one quota bucket per local publicId");
    expect(text).toContain("floor(messagesPerHour / 12)");
    expect(text).toContain("1 remote IP");
    expect(text).toContain('"other" bucket');
    expect(text).toContain("statServerTLSSupport");
    expect(text).toContain("once a day");
    expect(text).toContain("fresh messages are prepared before its retried ones");
    expect(text).toContain("model.workingSet: shared");
    expect(text).toContain("model.quotaMet: abandon");
    expect(text).toContain("model.retrySchedule: hourly-from-start");
    expect(text).toContain("model.spillOver: false");
    expect(text).toContain("maxSpareServers × maxWaitingMessages = 4,000 messages");
  });

  it("does not simulate quotas in relay or Enhanced MTA mode, and says so with null results", () => {
    for (const mta of [{ relayAddress: "relay.example:25" }, { useMomentum: true }]) {
      const { result, findings } = run({
        rules: [gmailRule],
        deliveries: [{ name: "N", domains: { "gmail.com": 1_000_000 }, deadlineSec: HOUR }],
        mta,
      });
      expect(result.mode).toBe("relayAddress" in mta ? "relay" : "enhanced-mta");
      expect(result.simulated).toBe(false);
      expect(result.deliveries[0]).toMatchObject({
        recipients: 1_000_000,
        sent: null,
        deferred: null,
        expired: null,
        completionHours: null,
        pacedHours: null,
      });
      expect(result.deliveries[0]!.domains[0]).toMatchObject({ domain: "gmail.com", sent: null, completionHours: null, pacedHours: null });
      expect(result.assumptions.join(" ")).toContain("null (unknown)");
      // The 5-day validity is over the Enhanced MTA's 3.5 days; no deadline is judged.
      expect(findings.map((f) => [f.id, f.severity])).toEqual(
        "relayAddress" in mta
          ? [["mx-rules-unused", "notice"]]
          : [
              ["mx-rules-unused", "notice"],
              ["emta-validity", "notice"],
            ],
      );
    }
  });

  it("does not flag an Enhanced MTA validity of 3.5 days or less", () => {
    const { findings } = run({
      rules: [gmailRule],
      deliveries: [{ name: "N", domains: { "gmail.com": 10 }, validitySec: 3.5 * DAY }],
      mta: { useMomentum: true },
    });
    expect(findings.map((f) => f.id)).toEqual(["mx-rules-unused"]);
  });
});
