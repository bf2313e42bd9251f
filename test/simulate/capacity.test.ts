import { describe, expect, it } from "vitest";
import { DEFAULT_MODEL_OPTIONS } from "../../src/model/config.js";
import { ipShares, pathCapacity, simulateInstance } from "../../src/simulate/index.js";
import { buildModel, makeProvider, YAHOO } from "./builders.js";

const timing = { connectSeconds: 0.5, tlsHandshakeSeconds: 0.5, secondsPerMessage: 0.1 };
const generous = { maxConnections: 10_000, maxMessagesPerConnection: 100 };

describe("path capacity (SPEC §3, Adobe's examples)", () => {
  it("smooths 10,000 messages per hour into 833 per 5-minute slot", () => {
    const p = pathCapacity({ shared: true, messagesPerHour: 10_000, ...generous }, { remoteIps: 1, ...timing }, "plaintext");
    expect(p.perSlotHourly).toBe(833);
    expect(p.slotCapacity).toBe(833);
    expect(p.limitedBy).toBe("hourly");
  });

  it.each([
    // local IPs, remote IPs, shared, messages per hour, max throughput per hour (Adobe's table)
    [2, 7, true, 10_000, 20_000],
    [2, 7, false, 10_000, 140_000],
    [1, 5, true, 1_000, 1_000],
    [1, 5, false, 1_000, 5_000],
  ])("%i local × %i remote, shared=%s at %i/h → %i/h", (local, remote, shared, mph, expected) => {
    const one = pathCapacity({ shared, messagesPerHour: mph, ...generous }, { remoteIps: remote, ...timing }, "plaintext");
    expect(one.hourly * local).toBe(expected);
    expect(one.buckets).toBe(shared ? 1 : remote);
  });

  it("lets the connections bind when they carry less than the hourly share", () => {
    // 2 connections × 20 msgs / (0.5 + 0.5 + 20 × 0.1 s) = 6.67 msg/s each → 4,000 per slot.
    const p = pathCapacity(
      { shared: true, messagesPerHour: 120_000, maxConnections: 2, maxMessagesPerConnection: 20 },
      { remoteIps: 1, ...timing },
      "opportunistic",
    );
    expect(p.perSlotHourly).toBe(10_000);
    expect(p.perSlotConnections).toBe(4000);
    expect(p.slotCapacity).toBe(4000);
    expect(p.limitedBy).toBe("connections");
    // Without TLS the handshake is not paid: 20 / 2.5 s = 8 msg/s × 2 × 300 = 4,800.
    expect(
      pathCapacity(
        { shared: true, messagesPerHour: 120_000, maxConnections: 2, maxMessagesPerConnection: 20 },
        { remoteIps: 1, ...timing },
        "plaintext",
      ).perSlotConnections,
    ).toBe(4800);
  });

  it("counts 2 local × 16 remote = 32 Yahoo paths on an unshared rule", () => {
    const model = buildModel({
      providers: [YAHOO],
      rules: [{ mask: "*.yahoodns.net", shared: false, messagesPerHour: 1200, maxConnections: 5, maxMessagesPerConnection: 20 }],
      affinities: [
        {
          names: ["default"],
          ips: [
            { address: "10.0.0.1", publicId: 1 },
            { address: "10.0.0.2", publicId: 2 },
          ],
        },
      ],
      deliveries: [{ name: "n", domains: { "yahoo.com": 1000 } }],
    });
    const site = simulateInstance(model).result.sites.find((s) => s.site === "yahoo")!;
    expect(site.publicIds).toEqual([1, 2]);
    expect(site.paths!.reduce((sum, p) => sum + p.buckets, 0)).toBe(32);
    expect(site.hourlyCapacity).toBe(32 * 1200);
    expect(site.slotCapacity).toBe(32 * 100);
    expect(site.limitedBy).toBe("hourly");
  });

  it("applies acceptance to the site capacity", () => {
    const model = buildModel({
      providers: [makeProvider({ name: "acme", domains: ["acme.example"], mx: ["mx.acme.example"], acceptance: 0.5 })],
      rules: [{ mask: "*.acme.example", messagesPerHour: 12_000 }],
      deliveries: [{ name: "n", domains: { "acme.example": 10 } }],
    });
    expect(simulateInstance(model).result.sites[0]!.slotCapacity).toBe(500);
  });
});

describe("ipShares (Adobe's weight example)", () => {
  const ips = [
    { address: "192.168.0.11", publicId: 1, weight: 5 },
    { address: "192.168.0.12", publicId: 2, weight: 5 },
    { address: "192.168.0.13", publicId: 3, weight: 1 },
  ];
  it("gives 45 / 45 / 10 %", () => {
    const shares = ipShares(ips).map((s) => s.share);
    expect(shares).toEqual([5 / 11, 5 / 11, 1 / 11]);
    // Adobe writes 45 / 45 / 10 %: 1/11 is 9.1 %, rounded up in the documentation.
    expect(shares[0]).toBeCloseTo(0.45, 2);
    expect(shares[2]).toBeCloseTo(0.1, 1);
  });
  it("gives 83 / 17 % when the first address cannot be used", () => {
    const shares = ipShares(ips, (i) => i !== 0);
    expect(shares.map((s) => s.address)).toEqual(["192.168.0.12", "192.168.0.13"]);
    expect(shares.map((s) => Math.round(s.share * 100))).toEqual([83, 17]);
  });
});

describe("IP weights through the simulation (Adobe's 5/5/1 example)", () => {
  const ips = (w3: number, exclude1: string[] = []) => [
    {
      names: ["default"],
      ips: [
        { address: "192.168.0.11", publicId: 1, weight: 5, excludeDomains: exclude1 },
        { address: "192.168.0.12", publicId: 2, weight: 5 },
        { address: "192.168.0.13", publicId: 3, weight: w3 },
      ],
    },
  ];
  const run = (affinities: ReturnType<typeof ips>, spillOver = false) => {
    const model = buildModel({
      rules: [{ mask: "*.google.com", messagesPerHour: 10_000, shared: true, maxConnections: 1000 }],
      affinities,
      deliveries: [{ name: "n", domains: { "gmail.com": 22_000 } }],
      mta: { maxSpareServers: 1, maxWaitingMessages: 800 },
    });
    return simulateInstance({ ...model, options: { ...DEFAULT_MODEL_OPTIONS, spillOver } }).result;
  };

  it("sends 45 / 45 / 10 % through the three publicIds and runs at the pace of the heaviest", () => {
    const result = run(ips(1));
    const site = result.sites.find((s) => s.site === "google")!;
    expect(site.paths!.map((p) => p.share)).toEqual([0.4545, 0.4545, 0.0909]);
    // 10,000/h on publicId 1 carries 5/11 of the traffic: 10,000 × 11 / 5 = 22,000 per hour.
    expect(site.hourlyCapacity).toBe(22_000);
    expect(site.slotCapacity).toBe(Math.floor((833 * 11) / 5));
    expect(result.deliveries[0]!.completionHours).toBeCloseTo(1, 1);
  });

  it("sends 83 / 17 % when the first address cannot be used for the domain", () => {
    const site = run(ips(1, ["gmail.com"])).sites.find((s) => s.site === "google")!;
    expect(site.publicIds).toEqual([2, 3]);
    expect(site.paths!.map((p) => Math.round(p.share! * 100))).toEqual([83, 17]);
    expect(site.hourlyCapacity).toBe(12_000);
  });

  it('never uses an IP with weight="0"', () => {
    const site = run(ips(0)).sites.find((s) => s.site === "google")!;
    expect(site.publicIds).toEqual([1, 2]);
    expect(site.hourlyCapacity).toBe(20_000);
  });

  it("lets every publicId fill its quota when spill-over is assumed", () => {
    const site = run(ips(1), true).sites.find((s) => s.site === "google")!;
    expect(site.hourlyCapacity).toBe(30_000);
    expect(site.slotCapacity).toBe(3 * 833);
  });
});

describe('connections are per path (Adobe: "the maximum number of connections refers to a path")', () => {
  it("gives a shared rule maxConnections per remote IP too, not maxConnections per publicId", () => {
    // 5 connections, 7 remote IPs, one message per connection of 0.5 + 0.1 s: 35 × 300 / 0.6 = 17,500 per slot.
    const rule = { shared: true, messagesPerHour: 10_000_000, maxConnections: 5, maxMessagesPerConnection: 1 };
    const shared = pathCapacity(rule, { remoteIps: 7, ...timing }, "plaintext");
    const unshared = pathCapacity({ ...rule, shared: false }, { remoteIps: 7, ...timing }, "plaintext");
    expect(shared.perSlotConnections).toBe(17_500);
    expect(unshared.perSlotConnections).toBe(17_500);
    expect(shared.buckets).toBe(1);
    expect(unshared.buckets).toBe(7);
  });
});
