/**
 * quota-raise, rule-change and ip-warmup: the findings only a base/head comparison produces, run
 * through the front door on the example repository with one edit on the head.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultPolicy, parsePolicy, reviewChange } from "../../src/engine/index.js";
import type { Policy } from "../../src/model/config.js";
import type { FileMap } from "../../src/model/source.js";

const EXAMPLE = join(import.meta.dirname, "../../examples/campaign-repo");
const RULES = "campaign/mx-rules.yaml";
const SERVER_CONF = "campaign/serverConf.xml";

function exampleFiles(): FileMap {
  const files: FileMap = {};
  for (const path of [SERVER_CONF, "campaign/config-prod.xml", RULES, "campaign/traffic.yaml"]) {
    files[path] = readFileSync(join(EXAMPLE, path), "utf8");
  }
  files["campaign/providers.yaml"] = null;
  return files;
}

function examplePolicy(extra = ""): Policy {
  const parsed = parsePolicy(readFileSync(join(EXAMPLE, ".github/mx-guard.yml"), "utf8") + extra, ".github/mx-guard.yml");
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.value;
}

function withEdit(path: string, change: (text: string) => string): FileMap {
  const files = exampleFiles();
  files[path] = change(files[path]!);
  return files;
}

/** The catch-all rule moved from last to first. */
function catchAllFirst(text: string): string {
  const at = text.indexOf('  - mask: "*"  ');
  const catchAll = text.slice(at).trimEnd();
  return `${text.slice(0, at).trimEnd().replace("rules:\n", `rules:\n${catchAll}\n\n`)}\n`;
}

const review = (head: FileMap, policy = examplePolicy()) => reviewChange(exampleFiles(), head, policy, { simulate: null }).review;
const ids = (r: ReturnType<typeof review>, id: string) => r.findings.filter((finding) => finding.id === id && finding.status === "new");

describe("quota-raise", () => {
  it("a reordered catch-all above the provider rules raises Yahoo and fails the check, naming the rule now applied", () => {
    const result = review(withEdit(RULES, catchAllFirst));
    const yahoo = ids(result, "quota-raise").find((finding) => finding.details?.["site"] === "yahoo");
    expect(yahoo).toBeDefined();
    expect(yahoo!.message).toContain(
      'rule "*" (campaign/mx-rules.yaml:4) now applies instead of rule "*.yahoodns.net" (campaign/mx-rules.yaml:20)',
    );
    expect(yahoo!.message).toMatch(
      /send 320,000 messages\/hour instead of 80,000 on the base \(4×, more than the policy's maxRaise of 2×\)/,
    );
    expect(yahoo!.line).toBe(4);
    expect(result.conclusion).toBe("failure");
    expect(ids(result, "rule-change").map((finding) => finding.details?.["site"])).toEqual(
      expect.arrayContaining(["yahoo", "google", "microsoft"]),
    );
  });

  it("fails on the reorder alone, with a failOn that lists only quota-raise", () => {
    const policy = { ...examplePolicy(), failOn: ["quota-raise" as const] };
    expect(review(withEdit(RULES, catchAllFirst), policy).conclusion).toBe("failure");
  });

  it("a doubled quota is within the default maxRaise; 2.5× is not, and a policy maxRaise of 3 allows it", () => {
    const yahooTo = (value: string) => withEdit(RULES, (text) => text.replace('messagesPerHour: "20,000"', `messagesPerHour: "${value}"`));
    expect(ids(review(yahooTo("40,000")), "quota-raise")).toEqual([]);
    const raised = ids(review(yahooTo("50,000")), "quota-raise");
    expect(raised).toHaveLength(1);
    expect(raised[0]!.message).toContain("messagesPerHour 20,000 → 50,000");
    expect(raised[0]!.message).toContain("(2.5×, more than the policy's maxRaise of 2×)");
    expect(raised[0]!.details).toMatchObject({ site: "yahoo", baseHourly: 80_000, headHourly: 200_000, maxRaise: 2 });
    const policy = examplePolicy("maxRaise: 3\n");
    expect(ids(review(yahooTo("50,000"), policy), "quota-raise")).toEqual([]);
  });

  it("shared: true → false multiplies the buckets by the provider's remote IPs and says why", () => {
    const head = withEdit(RULES, (text) => text.replace(/("\*\.yahoodns\.net".*\n\s+shared: )true/, "$1false"));
    const raised = ids(review(head), "quota-raise");
    expect(raised.map((finding) => finding.details?.["site"])).toEqual(["yahoo"]);
    expect(raised[0]!.message).toContain("shared true → false");
  });

  it("a lowered quota is no raise, and an unchanged head has no comparative finding", () => {
    const lowered = review(withEdit(RULES, (text) => text.replace('messagesPerHour: "20,000"', 'messagesPerHour: "8,000"')));
    expect(ids(lowered, "quota-raise")).toEqual([]);
    const same = review(exampleFiles());
    expect(same.findings.filter((finding) => ["quota-raise", "rule-change", "ip-warmup"].includes(finding.id))).toEqual([]);
  });
});

describe("rule-change", () => {
  it("a narrower rule inserted above names both rules, as a warning", () => {
    const head = withEdit(RULES, (text) =>
      text.replace("rules:\n", 'rules:\n  - mask: "*.am0.yahoodns.net"\n    maxConnections: 10\n    messagesPerHour: "20,000"\n\n'),
    );
    const result = review(head, defaultPolicyFor());
    const changes = ids(result, "rule-change");
    expect(changes).toHaveLength(1);
    expect(changes[0]!.severity).toBe("warning");
    expect(changes[0]!.message).toContain(
      'rule "*.am0.yahoodns.net" (campaign/mx-rules.yaml:4) now applies instead of rule "*.yahoodns.net" (campaign/mx-rules.yaml:20)',
    );
  });
});

/** The example policy's instance with every default otherwise (failOn without any review-only id). */
function defaultPolicyFor(): Policy {
  return { ...defaultPolicy(".github/mx-guard.yml"), instances: examplePolicy().instances };
}

describe("ip-warmup", () => {
  it("a publicId new in this change that carries traffic is a warning on its IP", () => {
    const head = withEdit(SERVER_CONF, (text) =>
      text.replace(
        '<IP address="192.0.2.12" publicId="2" heloHost="mta2.news.shop.example" weight="5"/>',
        '<IP address="192.0.2.12" publicId="2" heloHost="mta2.news.shop.example" weight="5"/>\n          <IP address="192.0.2.13" publicId="7" heloHost="mta3.news.shop.example" weight="5"/>',
      ),
    );
    const result = review(head);
    const warm = ids(result, "ip-warmup");
    expect(warm).toHaveLength(1);
    expect(warm[0]).toMatchObject({ severity: "warning", file: SERVER_CONF, line: 20 });
    expect(warm[0]!.message).toMatch(
      /^publicId 7 \(192\.0\.2\.13\) in instance prod is new in this change and carries planned traffic to .*google/,
    );
    expect(warm[0]!.message).toContain("full capacity");
  });

  it("an existing publicId on a new address is not a new IP", () => {
    const head = withEdit(SERVER_CONF, (text) => text.replace('address="192.0.2.12"', 'address="192.0.2.99"'));
    expect(ids(review(head), "ip-warmup")).toEqual([]);
  });
});
