import { describe, expect, it } from "vitest";
import { simulateInstance } from "../../src/simulate/index.js";
import { buildModel, makeProvider, type ModelSpec } from "./builders.js";

const YAHOO_EU = makeProvider({
  name: "yahoo",
  domains: ["yahoo.com", "yahoo.fr", "yahoo.de"],
  mx: ["mta5.am0.yahoodns.net", "mta6.am0.yahoodns.net"],
  domainMx: { "yahoo.fr": ["mx-eu.mail.am0.yahoodns.net"], "yahoo.de": ["mx-eu.mail.am0.yahoodns.net"] },
  remoteIps: 16,
});

const rules: ModelSpec["rules"] = [
  { mask: "mx-eu.*", messagesPerHour: 1_200 },
  { mask: "*.yahoodns.net", messagesPerHour: 120_000 },
];

function run(domains: Record<string, number>) {
  return simulateInstance(
    buildModel({
      providers: [YAHOO_EU],
      rules,
      deliveries: [{ name: "N", domains }],
      mta: { maxSpareServers: 1, maxWaitingMessages: 100 },
    }),
  );
}

describe("each recipient domain's own MX hosts", () => {
  it("matches the rule on the domain's first MX host, so yahoo.fr gets the mx-eu rule and yahoo.com the other", () => {
    const { result } = run({ "yahoo.com": 10_000, "yahoo.fr": 600, "yahoo.de": 600 });
    const sites = Object.fromEntries(result.sites.map((s) => [s.site, s]));
    expect(Object.keys(sites).sort()).toEqual(["yahoo", "yahoo:mx-eu.mail.am0.yahoodns.net"]);
    expect(sites["yahoo"]!).toMatchObject({ domains: ["yahoo.com"], rule: { mask: "*.yahoodns.net" }, hourlyCapacity: 120_000 });
    // The EU domains share their MX host, hence one quota: 1,200/h (one remote IP per MX host, shared rule).
    expect(sites["yahoo:mx-eu.mail.am0.yahoodns.net"]!).toMatchObject({
      domains: ["yahoo.de", "yahoo.fr"],
      rule: { mask: "mx-eu.*" },
      hourlyCapacity: 1_200,
      mx: ["mx-eu.mail.am0.yahoodns.net"],
    });
    // 1,200 EU messages at 1,200/h take at least an hour.
    expect(result.deliveries[0]!.domains.find((r) => r.domain === "yahoo.fr")!.completionHours).toBeGreaterThanOrEqual(1);
  });

  it("reports a rule that matches a provider's MX host but no planned domain's first MX", () => {
    const { findings } = run({ "yahoo.com": 1_000 });
    const dead = findings.filter((f) => f.id === "rule-not-first-mx");
    expect(dead.map((f) => [f.severity, f.details!["mask"]])).toEqual([["notice", "mx-eu.*"]]);
    expect(dead[0]!.message).toContain("first MX host");
    expect(run({ "yahoo.com": 1_000, "yahoo.fr": 10 }).findings.some((f) => f.id === "rule-not-first-mx")).toBe(false);
  });
});
