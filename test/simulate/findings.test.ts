import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/model/findings.js";
import { simulateInstance } from "../../src/simulate/index.js";
import {
  buildModel,
  GOOGLE,
  HOUR,
  ipLine,
  makeDeliveries,
  makeProvider,
  MTA_LINES,
  ruleLine,
  RULES_FILE,
  SERVER_CONF,
  TRAFFIC_FILE,
  type DeliverySpec,
  type ModelSpec,
} from "./builders.js";

function findings(spec: ModelSpec): Finding[] {
  return simulateInstance(buildModel(spec)).findings;
}

function only(list: Finding[], id: Finding["id"]): Finding {
  const hits = list.filter((f) => f.id === id);
  expect(hits, `${id} in ${list.map((f) => f.id).join(", ")}`).toHaveLength(1);
  return hits[0]!;
}

const lines = (deliveries: DeliverySpec[]) => makeDeliveries(deliveries).lines;

describe("failure findings with the arithmetic", () => {
  const slow: ModelSpec = {
    rules: [
      { mask: "*.yahoodns.net", messagesPerHour: 600, maxConnections: 5 },
      { mask: "*", messagesPerHour: 100_000 },
    ],
    deliveries: [
      { name: "Black Friday", domains: { "yahoo.com": 30_000, "hotmail.com": 1000 }, validitySec: 6 * HOUR, deadlineSec: 4 * HOUR },
    ],
    mta: { maxSpareServers: 1, maxWaitingMessages: 50 },
  };

  it("delivery-expiry is anchored on the whole binding rule and explains the numbers", () => {
    const { result, findings: list } = simulateInstance(buildModel(slow));
    const f = only(list, "delivery-expiry");
    expect(f).toMatchObject({ severity: "failure", file: RULES_FILE, line: ruleLine(0), endLine: ruleLine(0) + 9 });
    // 600/h → 50 per slot; 6 h = 72 slots → 3,600 sent of 30,000 yahoo. The working set of 50 drains
    // at 50 per slot, so nothing waits 600 s. But it is shared, filled in delivery order (30 yahoo for
    // 1 hotmail): each slot the 50 places yahoo frees and hotmail's own are prepared again, P = 50 + P / 31
    // → 51.67, of which hotmail gets 1.67: head-of-line blocking leaves it 122 sent in 6 h.
    const [hotmail, yahoo] = result.deliveries[0]!.domains;
    expect(yahoo).toMatchObject({ domain: "yahoo.com", sent: 3600, expired: 26_400, deferred: 0 });
    expect(hotmail).toMatchObject({ domain: "hotmail.com", sent: 122, expired: 878 });
    expect(f.magnitude).toEqual({ deferred: 0, expired: 26_400 + 878, completionHours: null });
    expect(f.message).toContain('"*.yahoodns.net"');
    expect(f.message).toContain("floor(600 / 12) × 1 = 50 per 5-minute slot; × 1 publicId (1) = 50 messages per slot for this delivery");
    expect(f.message).toContain(`of 31,000`);
    expect(f.details).toMatchObject({
      site: "yahoo",
      ruleIndex: 0,
      messagesPerHour: 600,
      perSlotHourly: 50,
      siteSlotCapacity: 50,
      siteVolume: 30_000,
      publicIds: [1],
    });
    expect(f.title.length).toBeLessThanOrEqual(255);
  });

  it("deadline-miss is raised when completion is later than the deadline", () => {
    const late = findings({
      ...slow,
      deliveries: [{ ...slow.deliveries![0]!, validitySec: 5 * 24 * HOUR, deadlineSec: 2 * HOUR }],
      rules: [{ mask: "*.yahoodns.net", messagesPerHour: 12_000 }, { mask: "*" }],
    });
    const f = only(late, "deadline-miss");
    // 30,000 at 1,000 per slot = 30 slots = 2.5 h > 2 h.
    expect(f.magnitude).toEqual({ deferred: 0, expired: 0, completionHours: 2.5 });
    expect(f).toMatchObject({ line: ruleLine(0), endLine: ruleLine(0) + 9, severity: "failure" });
    expect(f.details).toMatchObject({ ruleIndex: 0, deadlineHours: 2 });
    expect(late.some((x) => x.id === "delivery-expiry")).toBe(false);
  });

  it("deadline-miss compares the unrounded completion: one message past the deadline misses it", () => {
    // 12,000/h → 1,000 per slot: 24,000 take 24 slots, the last half-message 0.15 s before 2 h;
    // one more message needs 0.5 / 1,000 of slot 24 → 0.15 s after 2 h, which rounds to 2 h.
    const spec = (recipients: number): ModelSpec => ({
      rules: [{ mask: "*.yahoodns.net", messagesPerHour: 12_000 }],
      deliveries: [{ name: "N", domains: { "yahoo.com": recipients }, deadlineSec: 2 * HOUR }],
      mta: { maxSpareServers: 1, maxWaitingMessages: 50 },
    });
    const onTime = simulateInstance(buildModel(spec(24_000)));
    expect(onTime.result.deliveries[0]).toMatchObject({ completionHours: 2, deadlineHours: 2 });
    expect(onTime.findings.some((x) => x.id === "deadline-miss")).toBe(false);
    const late = simulateInstance(buildModel(spec(24_001)));
    expect(late.result.deliveries[0]).toMatchObject({ completionHours: 2, deadlineHours: 2 });
    const f = only(late.findings, "deadline-miss");
    expect(f.message).toContain("completes after 2 h 0 min 1 s, later than its deadline of 2h");
    expect(f.magnitude).toEqual({ deferred: 0, expired: 0, completionHours: 2 });
  });

  it("explains a delivery's capacity with the publicIds that delivery may use", () => {
    // google has 4 publicIds, but "transactional" may only use its own 2.
    const spec: ModelSpec = {
      rules: [{ mask: "*.google.com", messagesPerHour: 12_000, tls: "opportunistic" }, { mask: "*" }],
      affinities: [
        {
          names: ["marketing"],
          ips: [
            { address: "10.0.0.1", publicId: 1 },
            { address: "10.0.0.2", publicId: 2 },
          ],
        },
        {
          names: ["transactional"],
          ips: [
            { address: "10.0.1.3", publicId: 3 },
            { address: "10.0.1.4", publicId: 4 },
          ],
        },
      ],
      deliveries: [
        { name: "News", affinity: "marketing", domains: { "gmail.com": 10_000 } },
        { name: "Orders", affinity: "transactional", domains: { "gmail.com": 10_000 }, deadlineSec: HOUR },
      ],
      mta: { maxSpareServers: 1, maxWaitingMessages: 100 },
    };
    const { result, findings: list } = simulateInstance(buildModel(spec));
    // Each affinity queues apart with its own 2 × 1,000 per slot: 10,000 take 5 slots (0.42 h).
    expect(result.deliveries.map((d) => d.completionHours)).toEqual([0.42, 0.42]);
    expect(list.some((x) => x.id === "deadline-miss")).toBe(false);
    const tight = simulateInstance(
      buildModel({ ...spec, deliveries: [spec.deliveries![0]!, { ...spec.deliveries![1]!, deadlineSec: 300 }] }),
    ).findings;
    const f = only(tight, "deadline-miss");
    expect(f.message).toContain("× 2 publicIds (3, 4, of the site's 4) = 2,000 messages per slot for this delivery");
    expect(f.message).not.toContain("× 4 publicIds");
    expect(f.details).toMatchObject({ ruleIndex: 0, publicIds: [3, 4], mask: "*.google.com" });
  });

  it("keeps fingerprints when lines move", () => {
    const a = only(findings(slow), "delivery-expiry");
    const b = only(findings({ ...slow, rules: [{ mask: "*.unused.example" }, ...slow.rules!] }), "delivery-expiry");
    expect(b.line).not.toBe(a.line);
    expect(b.fingerprint).toBe(a.fingerprint);
    expect([a.details!["ruleIndex"], b.details!["ruleIndex"]]).toEqual([0, 1]);
  });

  it("anchors on the delivery when no rule binds", () => {
    const f = only(
      findings({
        rules: [{ mask: "*" }],
        deliveries: [{ name: "Pending forever", domains: {}, other: 1000, validitySec: HOUR }],
        mta: { maxSpareServers: 1, maxSessionsPerChild: 0 },
      }),
      "delivery-expiry",
    );
    expect(f).toMatchObject({ file: TRAFFIC_FILE, line: 2 });
  });
});

describe("tls-required", () => {
  it("is anchored on the rule's tls field, and its fix is the rule, never enableTLS", () => {
    const list = findings({
      rules: [{ mask: "*.google.com", tls: "disabled" }],
      deliveries: [{ name: "N", domains: { "gmail.com": 100 }, validitySec: 2 * HOUR }],
      mta: { enableTLS: true },
    });
    const f = only(list, "tls-required");
    expect(f).toMatchObject({ severity: "failure", file: RULES_FILE, line: ruleLine(0, "tls") });
    expect(f.message).toContain("sets tls: disabled");
    expect(f.message).toContain("Change tls: disabled to tls: opportunistic on rule");
    expect(f.message).not.toContain("enableTLS");
    expect(f.magnitude!.expired).toBe(100);
    expect(f.details).toMatchObject({ ruleIndex: 0, mask: "*.google.com", refusedTls: 100 });
    // The TLS cause is one finding: its expiry is in tls-required's message, not a second finding.
    expect(f.message).toContain('Delivery "N": 100 refused for TLS are unsent when its validity (2h) ends');
    expect(list.map((x) => x.id)).not.toContain("delivery-expiry");
  });

  it("is anchored on the rule when tls is left to the default, with enableTLS's position", () => {
    const f = only(
      findings({
        rules: [{ mask: "*.google.com" }],
        deliveries: [{ name: "N", domains: { "gmail.com": 100 } }],
        mta: { enableTLS: false },
      }),
      "tls-required",
    );
    expect(f).toMatchObject({ line: ruleLine(0), endLine: ruleLine(0) + 9 });
    expect(f.message).toContain(`${SERVER_CONF}:${MTA_LINES.enableTLS}`);
  });

  it("is not raised with opportunistic TLS", () => {
    expect(
      findings({
        rules: [{ mask: "*.google.com", tls: "opportunistic" }],
        deliveries: [{ name: "N", domains: { "gmail.com": 100 } }],
        mta: { enableTLS: false },
      }),
    ).toEqual([]);
  });

  it("with statServerTLSSupport false and a rule saying tls: disabled, restores per-rule TLS instead of suggesting enableTLS", () => {
    const f = only(
      findings({
        rules: [{ mask: "*.google.com", tls: "disabled" }],
        deliveries: [{ name: "N", domains: { "gmail.com": 100 } }],
        mta: { enableTLS: false, statServerTLSSupport: false },
      }),
      "tls-required",
    );
    expect(f.message).toContain('Change tls: disabled to tls: opportunistic on rule "*.google.com"');
    expect(f.message).toContain('and set statServerTLSSupport="true" so that per-rule TLS applies.');
    expect(f.message).not.toContain('enableTLS="true"');
  });

  it("without a rule, suggests a rule for the provider's MX before a global enableTLS", () => {
    const list = findings({
      rules: [],
      deliveries: [{ name: "N", domains: { "gmail.com": 100 }, deadlineSec: HOUR }],
      mta: { enableTLS: false },
    });
    const f = only(list, "tls-required");
    expect(f.message).toContain('no rule applies and enableTLS="false"');
    expect(f.message).toContain("Add an MX rule for gmail-smtp-in.l.google.com with tls: opportunistic");
    expect(f.message).toContain("so it misses its 1h deadline");
    expect(list.map((x) => x.id)).not.toContain("deadline-miss");
  });

  it("when only some publicIds are plaintext, counts nothing as refused and says the others carry the mail", () => {
    const list = findings({
      affinities: [
        {
          names: ["default"],
          ips: [
            { address: "10.0.0.1", publicId: 1 },
            { address: "10.0.0.2", publicId: 2 },
          ],
        },
      ],
      rules: [
        { mask: "*.google.com", range: { from: 1, to: 1 }, tls: "opportunistic" },
        { mask: "*.google.com", range: { from: 2, to: 2 }, tls: "disabled" },
      ],
      deliveries: [{ name: "N", domains: { "gmail.com": 100 } }],
    });
    const f = only(list, "tls-required");
    expect(f.details).toMatchObject({ publicIds: [2], refusedTls: 0 });
    expect(f.message).toContain("The simulation sends the site's mail through its other publicIds");
    expect(f.message).not.toContain("never delivered");
  });

  it("leaves a deadline missed for another reason to deadline-miss", () => {
    const list = findings({
      rules: [{ mask: "*.google.com" }, { mask: "*.yahoodns.net", messagesPerHour: 120 }],
      deliveries: [{ name: "N", domains: { "gmail.com": 100, "yahoo.com": 1_000 }, deadlineSec: HOUR }],
      mta: { enableTLS: false },
    });
    expect(only(list, "tls-required").details).toMatchObject({ refusedTls: 100 });
    expect(only(list, "deadline-miss").message).toContain("Besides these, 100 messages are refused for TLS (see tls-required).");
  });
});

describe("tls-recommended", () => {
  const comcast = makeProvider({
    name: "comcast",
    domains: ["comcast.net"],
    mx: ["mx1.mxge.comcast.net"],
    recommendsTls: true,
    tlsNote: "as published",
  });

  it("is a notice for plaintext to a provider with recommendsTls, none with opportunistic TLS", () => {
    const spec: ModelSpec = {
      providers: [GOOGLE, comcast],
      rules: [{ mask: "*.mxge.comcast.net" }],
      deliveries: [{ name: "N", domains: { "comcast.net": 100 } }],
      mta: { enableTLS: false },
    };
    const f = only(findings(spec), "tls-recommended");
    expect(f).toMatchObject({ severity: "notice", file: RULES_FILE, line: ruleLine(0) });
    expect(f.message).toContain("comcast (comcast.net) recommends TLS (as published)");
    expect(findings({ ...spec, mta: { enableTLS: true } }).map((x) => x.id)).not.toContain("tls-recommended");
  });
});

describe("path findings", () => {
  it("affinity-missing is anchored on the delivery's affinity line", () => {
    const deliveries = [{ name: "Promo", affinity: "marketing", domains: { "gmail.com": 10 } }];
    const f = only(findings({ rules: [{ mask: "*" }], deliveries }), "affinity-missing");
    expect(f).toMatchObject({ file: TRAFFIC_FILE, line: lines(deliveries)[0]!.affinity, severity: "failure" });
    expect(f.message).toContain("Pending");
  });

  it("no-path is anchored on the domain entry when include/exclude leave no IP", () => {
    const deliveries = [{ name: "Promo", domains: { "gmail.com": 10, "orange.fr": 20 } }];
    const list = findings({
      rules: [{ mask: "*" }],
      affinities: [
        {
          names: ["default"],
          ips: [
            { address: "10.0.0.1", publicId: 1, excludeDomains: ["orange.*"] },
            { address: "10.0.0.2", publicId: 2, includeDomains: ["gmail.com"] },
          ],
        },
      ],
      deliveries,
    });
    const f = only(list, "no-path");
    expect(f).toMatchObject({ file: TRAFFIC_FILE, line: lines(deliveries)[0]!.domain(1) });
    expect(f.magnitude!.expired).toBe(20);
  });

  it("no-rule names the MX host at line 1 of the rules file", () => {
    const f = only(findings({ rules: [{ mask: "*.google.com" }], deliveries: [{ name: "N", domains: { "hotmail.com": 10 } }] }), "no-rule");
    expect(f).toMatchObject({ file: RULES_FILE, line: 1, severity: "warning" });
    expect(f.message).toContain("hotmail-com.olc.protection.outlook.com");
  });
});

describe("rule-set findings", () => {
  it("shadowed-rule is anchored on the rule that can never apply", () => {
    const list = findings({
      rules: [
        { mask: "*.yahoodns.net" },
        { mask: "mx-aol.*" },
        { mask: "mta?.am0.yahoodns.net", range: { from: 1, to: 2 } },
        { mask: "*" },
      ],
    });
    const f = only(list, "shadowed-rule");
    expect(f).toMatchObject({ line: ruleLine(2), endLine: ruleLine(2) + 9 });
    expect(f.message).toContain('"*.yahoodns.net"');
  });

  it("shadowed-rule considers ranges", () => {
    const list = findings({
      rules: [{ mask: "*.yahoodns.net", range: { from: 1, to: 1 } }, { mask: "*.yahoodns.net", range: { from: 1, to: 2 } }, { mask: "*" }],
    });
    expect(list.some((f) => f.id === "shadowed-rule")).toBe(false);
    const covered = findings({
      rules: [
        { mask: "*.yahoodns.net", range: { from: 1, to: 1 } },
        { mask: "*", range: { from: 2, to: 5 } },
        { mask: "mta5.am0.yahoodns.net", range: { from: 1, to: 3 } },
      ],
    });
    expect(only(covered, "shadowed-rule").line).toBe(ruleLine(2));
  });

  it("unreachable-quota shows both numbers", () => {
    const f = only(
      findings({
        rules: [{ mask: "*.google.com", messagesPerHour: 120_000, maxConnections: 2, maxMessagesPerConnection: 20 }],
        deliveries: [{ name: "N", domains: { "gmail.com": 10 } }],
      }),
      "unreachable-quota",
    );
    // 2 × 20 / (0.5 + 0.5 + 2) s × 300 s = 4,000 per slot → 48,000 per hour.
    expect(f.message).toContain("120,000");
    expect(f.message).toContain("48,000");
    expect(f).toMatchObject({ severity: "notice", line: ruleLine(0, "messagesPerHour") });
  });

  it("stale-mask flags masks that match no known MX host, never the catch-all", () => {
    const list = findings({
      rules: [{ mask: "*.mail.yahoo.com" }, { mask: "*.google.com" }, { mask: "mx?.shop.example" }, { mask: "*" }],
      deliveries: [{ name: "N", domains: { "gmail.com": 1 } }],
    });
    const stale = list.filter((f) => f.id === "stale-mask");
    expect(stale.map((f) => f.line)).toEqual([ruleLine(0), ruleLine(2)]);
    expect(stale.every((f) => f.severity === "notice")).toBe(true);
    const known = findings({
      rules: [{ mask: "mx?.shop.example" }, { mask: "*" }],
      deliveries: [{ name: "N", domains: { "mx1.shop.example": 1 } }],
    });
    expect(known.some((f) => f.id === "stale-mask")).toBe(false);
  });

  it("helo-conflict is anchored on the IP element that adds a second HELO name", () => {
    const list = findings({
      affinities: [
        { names: ["default"], ips: [{ address: "10.0.0.1", publicId: 1, heloHost: "a.example" }] },
        {
          names: ["bulk"],
          ips: [
            { address: "10.0.0.9", publicId: 7 },
            { address: "10.0.0.1", publicId: 1, heloHost: "b.example" },
          ],
        },
      ],
      rules: [{ mask: "*" }],
    });
    const conflicts = list.filter((f) => f.id === "helo-conflict");
    expect(conflicts).toHaveLength(2);
    expect(conflicts.every((f) => f.file === SERVER_CONF && f.line === ipLine(1, 1))).toBe(true);
    expect(new Set(conflicts.map((f) => f.fingerprint)).size).toBe(2);
  });
});

describe("quota-deferral", () => {
  it("counts the deferred messages per site on its rule", () => {
    const list = findings({
      rules: [{ mask: "*.google.com", messagesPerHour: 12_000, tls: "opportunistic" }],
      deliveries: [{ name: "N", domains: { "gmail.com": 10_000 } }],
    });
    const f = only(list, "quota-deferral");
    expect(f).toMatchObject({ severity: "warning", line: ruleLine(0), endLine: ruleLine(0) + 9 });
    // W = 4,000; 1,000 per slot: slot 0 pulls 5,000 and sends 1,000, slot 1 sends 1,000, slot 2 defers 3,000 …
    expect(f.magnitude!.deferred).toBeGreaterThanOrEqual(3000);
    expect(f.details).toMatchObject({ site: "google", deferred: f.magnitude!.deferred, ruleIndex: 0 });
  });
});

it("orders findings deterministically", () => {
  const spec: ModelSpec = {
    providers: [GOOGLE, makeProvider({ name: "acme", domains: ["acme.example"], mx: ["mx.acme.example"] })],
    rules: [{ mask: "*.gone.example" }, { mask: "*.google.com", tls: "disabled" }],
    deliveries: [{ name: "N", domains: { "gmail.com": 10, "acme.example": 10 } }],
  };
  const a = findings(spec);
  expect(findings(spec)).toEqual(a);
  expect(a.map((f) => f.id)).toEqual(expect.arrayContaining(["stale-mask", "tls-required", "no-rule"]));
});
