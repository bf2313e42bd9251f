/** Adobe's and the providers' published guidance as notices (src/simulate/findings/guidelines.ts). */
import { describe, expect, it } from "vitest";
import { simulateInstance } from "../../src/simulate/index.js";
import { BULK_SENDER_DAILY } from "../../src/simulate/findings/guidelines.js";
import { buildModel, HOUR, type ModelSpec } from "./builders.js";

const gmailRule = { mask: "*.google.com", shared: true, maxConnections: 10, messagesPerHour: 1_200 };
const idsOf = (spec: ModelSpec) => simulateInstance(buildModel(spec)).findings.map((f) => f.id);
const findingOf = (spec: ModelSpec, id: string) => simulateInstance(buildModel(spec)).findings.find((f) => f.id === id);

describe("retry-guideline", () => {
  const deferring: ModelSpec = { rules: [gmailRule], deliveries: [{ name: "N", domains: { "gmail.com": 4_000 } }] };

  it("notes a delivery with quota deferrals that retries hourly, 5 times (Campaign's defaults)", () => {
    const finding = findingOf(deferring, "retry-guideline");
    expect(finding?.message).toContain("a retry period of 30 minutes and more than 20 retries");
    expect(finding?.message).toContain("retryPeriod 60 min, 5 retries");
    expect(finding?.details).toMatchObject({ retries: 5, retryPeriodSec: HOUR });
  });

  it("is quiet at the guideline, and when nothing is deferred", () => {
    const atGuideline: ModelSpec = {
      ...deferring,
      deliveries: [{ name: "N", domains: { "gmail.com": 4_000 }, retries: 21, retryPeriodSec: 1_800 }],
    };
    expect(idsOf(atGuideline)).not.toContain("retry-guideline");
    expect(idsOf({ rules: [gmailRule], deliveries: [{ name: "N", domains: { "gmail.com": 50 } }] })).not.toContain("retry-guideline");
  });
});

describe("mtachild-count", () => {
  it("notes more than 8 mtachild processes, anchored on maxSpareServers", () => {
    const finding = findingOf(
      { rules: [gmailRule], deliveries: [{ name: "N", domains: { "gmail.com": 10 } }], mta: { maxSpareServers: 9 } },
      "mtachild-count",
    );
    expect(finding?.message).toContain("Adobe recommends at most 8 mtachild processes");
    expect(finding?.line).toBeGreaterThan(1);
    expect(
      idsOf({ rules: [gmailRule], deliveries: [{ name: "N", domains: { "gmail.com": 10 } }], mta: { maxSpareServers: 8 } }),
    ).not.toContain("mtachild-count");
  });
});

describe("bulk-sender", () => {
  it(`notes ${BULK_SENDER_DAILY.toLocaleString("en-US")} or more messages to Gmail or Microsoft in one delivery, once per provider`, () => {
    const spec: ModelSpec = {
      rules: [{ ...gmailRule, messagesPerHour: 100_000 }],
      deliveries: [{ name: "N", domains: { "gmail.com": 5_000, "hotmail.com": 4_999 } }],
    };
    const findings = simulateInstance(buildModel(spec)).findings.filter((f) => f.id === "bulk-sender");
    expect(findings.map((f) => f.details?.["provider"])).toEqual(["google"]);
    expect(findings[0]!.message).toContain("one-click unsubscribe");
  });
});
