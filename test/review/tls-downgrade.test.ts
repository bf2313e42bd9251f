import { describe, expect, it } from "vitest";
import { simulateSide } from "../../src/engine/index.js";
import { fingerprint } from "../../src/model/fingerprint.js";
import { review } from "../../src/review/review.js";
import { tlsDowngrades } from "../../src/review/tls-downgrade.js";
import { instance, model, report, rule, run, site } from "../fixtures/review/build.js";
import { editFile, exampleFiles, examplePolicy, replaceOnce, RULES } from "../fixtures/review/campaign.js";

describe("tlsDowngrades (hand-built reports)", () => {
  const headModel = model("prod", [rule(0, "*.other.example", 3, 5), rule(1, "*.google.example", 7, 12, { tls: "disabled" })]);
  const googleHead = site("google", {
    tls: "plaintext",
    rule: { mask: "*.google.example", file: "campaign/mx-rules.yaml", line: 7 },
    paths: [
      {
        publicId: 1,
        addresses: ["192.0.2.1"],
        rule: { index: 1, mask: "*.google.example", file: "campaign/mx-rules.yaml", line: 7 },
        buckets: 1,
        hourly: 1,
        perSlotHourly: 1,
        perSlotConnections: 1,
        slotCapacity: 1,
        limitedBy: "hourly",
      },
    ],
  });

  it("finds opportunistic → plaintext per instance and site, anchored on the head rule's full span", () => {
    const base = run(report([instance("prod", [], [site("google"), site("yahoo")])], []));
    const head = run(report([instance("prod", [], [googleHead, site("yahoo")])], []), [headModel]);
    const out = tlsDowngrades(base, head);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      id: "tls-downgrade",
      severity: "warning",
      instance: "prod",
      file: "campaign/mx-rules.yaml",
      line: 7,
      endLine: 12,
      fingerprint: fingerprint("tls-downgrade", "prod", "google"),
    });
    expect(out[0]!.message).toContain("tls: disabled");
    expect(out[0]!.details).toMatchObject({ site: "google", ruleIndex: 1, baseTls: "opportunistic", headTls: "plaintext" });
  });

  it("ignores sites that were already plaintext, new sites, and other instances", () => {
    const base = run(report([instance("prod", [], [site("google", { tls: "plaintext" })]), instance("stage", [], [site("google")])], []));
    const head = run(
      report([instance("prod", [], [googleHead, { ...site("yahoo"), tls: "plaintext" }]), instance("qa", [], [googleHead])], []),
      [headModel],
    );
    expect(tlsDowngrades(base, head)).toEqual([]);
  });

  it("does not report an upgrade", () => {
    const base = run(report([instance("prod", [], [googleHead])], []));
    const head = run(report([instance("prod", [], [site("google")])], []), [headModel]);
    expect(tlsDowngrades(base, head)).toEqual([]);
  });
});

describe("tls-downgrade through the real loader and simulation", () => {
  it("tls: disabled on a rule downgrades its site, with a verified tls: opportunistic suggestion", () => {
    const policy = examplePolicy();
    const files = exampleFiles();
    const headFiles = editFile(files, RULES, (t) =>
      replaceOnce(
        t,
        'messagesPerHour: "10,000"\n\n  - mask: "*.yahoodns.net"',
        'messagesPerHour: "10,000"\n    tls: disabled\n\n  - mask: "*.yahoodns.net"',
      ),
    );
    const result = review(simulateSide(files, policy), simulateSide(headFiles, policy), policy);
    const downgrade = result.findings.filter((f) => f.id === "tls-downgrade");
    expect(downgrade).toHaveLength(1);
    expect(downgrade[0]).toMatchObject({ status: "new", line: 14, endLine: 19 });
    expect(downgrade[0]!.suggestion?.split("\n").at(-1)).toBe("    tls: opportunistic");
    expect(downgrade[0]!.suggestion).not.toContain("disabled");
  });
});
