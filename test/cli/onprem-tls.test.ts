/**
 * TLS as providers word it, and the cheap lints around it, on the hand-written on-premise repository
 * (test/fixtures/onprem-repo: a Latin-1 serverConf.xml with French comments and other modules, a
 * config-default.xml, commented YAML with accents), through `mx-guard simulate` in JSON and text.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";

const FIXTURE = join(import.meta.dirname, "../fixtures/onprem-repo");
const CONF = "campaign/serverConf.xml";
const RULES = "campaign/mx-rules.yaml";
const TRAFFIC = "campaign/traffic.yaml";

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

/** A scratch copy; serverConf.xml is read and written as Latin-1 (its declared encoding). */
function repo() {
  const dir = mkdtempSync(join(tmpdir(), "mx-guard-onprem-tls-"));
  cpSync(FIXTURE, dir, { recursive: true });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = (file: string) => join(dir, file);
  return {
    dir,
    read: (file: string) => readFileSync(path(file), file === CONF ? "latin1" : "utf8"),
    edit(file: string, change: (text: string) => string) {
      const text = change(readFileSync(path(file), file === CONF ? "latin1" : "utf8"));
      writeFileSync(path(file), file === CONF ? Buffer.from(text, "latin1") : text);
    },
  };
}

interface Counts {
  recipients: number;
  sent: number;
  deferred: number;
  expired: number;
  refusedTls: number;
}
interface Json {
  instances: { deliveries: (Counts & { name: string; domains: (Counts & { domain: string })[] })[] }[];
  findings: { id: string; severity: string; file: string; line: number; message: string; details?: Record<string, unknown> }[];
}

async function simulate(dir: string): Promise<Json> {
  const { stdout } = await runCli(["simulate", dir, "--format", "json", "--exit-zero"]);
  return JSON.parse(stdout) as Json;
}
const ids = (json: Json) => json.findings.map((f) => f.id);
const only = (json: Json, id: string) => {
  const list = json.findings.filter((f) => f.id === id);
  expect(list, `${id} in ${ids(json).join(", ")}`).toHaveLength(1);
  return list[0]!;
};
const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

/** Gmail in plaintext: enableTLS="false" in serverConf.xml and the *.google.com rule left to the default. */
function gmailPlaintext() {
  const r = repo();
  r.edit(CONF, (t) => t.replace('enableTLS="true"', 'enableTLS="false"'));
  r.edit(RULES, (t) => t.replace("    tls: opportunistic\n", ""));
  return r;
}

describe("plaintext to Gmail is its own outcome: refused for TLS", () => {
  it("counts the refused messages as refusedTls, never as quota deferrals, per domain and per delivery", async () => {
    const json = await simulate(gmailPlaintext().dir);
    const delivery = json.instances[0]!.deliveries[0]!;
    expect(delivery.domains.find((d) => d.domain === "gmail.com")).toMatchObject({
      recipients: 8_000,
      sent: 0,
      deferred: 0,
      refusedTls: 8_000,
      expired: 8_000,
    });
    // gmx.de's own quota deferrals are the delivery's only ones.
    const gmx = delivery.domains.find((d) => d.domain === "gmx.de")!;
    expect(gmx.deferred).toBeGreaterThan(0);
    expect(delivery).toMatchObject({ refusedTls: 8_000, deferred: gmx.deferred, expired: 8_000 });
    for (const other of delivery.domains.filter((d) => d.domain !== "gmail.com")) expect(other.refusedTls).toBe(0);
  });

  it("lets the refused messages hold no working-set place: the other domains do exactly as with Gmail over TLS", async () => {
    const refused = (await simulate(gmailPlaintext().dir)).instances[0]!.deliveries[0]!.domains;
    const encrypted = (await simulate(repo().dir)).instances[0]!.deliveries[0]!.domains;
    const others = (domains: typeof refused) => domains.filter((d) => d.domain !== "gmail.com");
    expect(others(refused)).toHaveLength(3);
    expect(others(refused)).toEqual(others(encrypted));
  });

  it("gives one blocking finding that carries the expiry and the missed deadline, and no quota finding for Gmail", async () => {
    const json = await simulate(gmailPlaintext().dir);
    const failures = json.findings.filter((f) => f.severity === "failure").map((f) => f.id);
    expect(failures).toEqual(["tls-required"]);
    for (const id of ["delivery-expiry", "deadline-miss"]) expect(ids(json)).not.toContain(id);
    // The one quota finding is gmx's own, the same as with Gmail over TLS; none counts the refused messages.
    const quota = only(json, "quota-deferral");
    expect(quota.message).toContain("2,000 of 6,000 messages for gmx");
    expect(quota.message).not.toMatch(/google|gmail/);
    // (The rule positions differ: gmailPlaintext() removes a line above gmx's rule.)
    const unplaced = (message: string) => message.replace(/mx-rules\.yaml:\d+/g, "mx-rules.yaml");
    expect(unplaced(only(await simulate(repo().dir), "quota-deferral").message)).toBe(unplaced(quota.message));
    const tls = only(json, "tls-required");
    expect(tls).toMatchObject({ file: RULES, line: 3 });
    expect(tls.message).toContain("421 4.7.29 (rate limited) or 550 5.7.29 (blocked), or spam-folders it");
    expect(tls.message).toContain("refused for TLS, not as quota deferrals: 8,000 of 8,000 messages for google are never delivered");
    expect(tls.message).toContain(
      'Delivery "Newsletter décembre": 8,000 refused for TLS are unsent when its validity (5d) ends, so it misses its 6h deadline.',
    );
    expect(tls.message).not.toContain("quotas met");
    expect(tls.details).toMatchObject({ refusedTls: 8_000, expired: 8_000, recipients: 8_000 });
  });

  it("suggests the rule's own TLS before a global enableTLS, with Adobe's reason", async () => {
    const { message } = only(await simulate(gmailPlaintext().dir), "tls-required");
    const perRule = message.indexOf('Set tls: opportunistic on rule "*.google.com" (campaign/mx-rules.yaml:3)');
    const global = message.indexOf('a global enableTLS="true"');
    expect(perRule).toBeGreaterThan(0);
    expect(global).toBeGreaterThan(perRule);
    expect(message).toContain('Adobe: enabling TLS globally "is not recommended because it can reduce throughput"');
  });

  it("never suggests enableTLS when the rule itself says tls: disabled (the fix is the rule)", async () => {
    const r = repo(); // enableTLS="true" stays: only the rule makes Gmail plaintext
    r.edit(RULES, (t) => t.replace("    tls: opportunistic\n", "    tls: disabled     # désactivé pour un test\n"));
    const tls = only(await simulate(r.dir), "tls-required");
    expect(tls).toMatchObject({ file: RULES, line: lineOf(r.read(RULES), "tls: disabled") });
    expect(tls.message).toContain('rule "*.google.com" (campaign/mx-rules.yaml:3) sets tls: disabled.');
    expect(tls.message).toContain('Change tls: disabled to tls: opportunistic on rule "*.google.com"');
    expect(tls.message).not.toContain("enableTLS");
  });

  it("keeps a quota expiry beside the TLS cause as its own finding, counting only the quota's messages", async () => {
    const r = gmailPlaintext();
    r.edit(RULES, (t) => t.replace('messagesPerHour: "6,000"', 'messagesPerHour: "120"'));
    const json = await simulate(r.dir);
    const expiry = only(json, "delivery-expiry");
    const gmx = json.instances[0]!.deliveries[0]!.domains.find((d) => d.domain === "gmx.de")!;
    expect(gmx.expired).toBeGreaterThan(0);
    expect(gmx.refusedTls).toBe(0);
    expect(expiry.message).toContain(`Delivery "Newsletter décembre": ${gmx.expired.toLocaleString("en-US")} of 20,000 messages`);
    expect(expiry.message).toContain("Besides these, 8,000 messages are refused for TLS (see tls-required).");
    expect(expiry.details).toMatchObject({ expired: gmx.expired, refusedTls: 8_000, site: "gmx" });
  });

  it("shows refused for TLS in the text report and never labels it as queued by quotas", async () => {
    const { stdout } = await runCli(["simulate", gmailPlaintext().dir, "--exit-zero"]);
    expect(stdout).toMatch(/Instance\s+Delivery\s+Completion\s+Deferred\s+Refused \(TLS\)\s+Expired/);
    // The 2,000 deferred are gmx.de's quota deferrals; Gmail's 8,000 are refused, none deferred.
    expect(stdout).toContain("sent 12,000, deferred 2,000, refused for TLS 8,000, expired 8,000");
    expect(stdout).toMatch(/gmail\.com\s+google\s+8,000\s+0\s+0\s+8,000\s+8,000\s+expires/);
    const quotasMet = stdout.split("\n").filter((line) => line.includes("Messages queued (connection quotas met)"));
    // gmx's quota-deferral finding and the retry-guideline notice about its deferrals.
    expect(quotasMet).toHaveLength(2);
    for (const line of quotasMet) expect(line).not.toMatch(/google|gmail/);
    expect(quotasMet[0]).toContain("messages for gmx");
  });

  it("shows the column in the Markdown report", async () => {
    const { stdout } = await runCli(["simulate", gmailPlaintext().dir, "--format", "markdown", "--exit-zero"]);
    expect(stdout).toContain("| Delivery | Completion | Deferred | Refused (TLS) | Expired |");
  });

  it("keeps the report without the column when nothing is refused", async () => {
    const { stdout } = await runCli(["simulate", repo().dir, "--exit-zero"]);
    expect(stdout).not.toContain("Refused (TLS)");
  });
});

describe("tls-recommended: providers that publish TLS as recommended", () => {
  it("gives Comcast and GMX in plaintext a notice each, from the catalog's recommendsTls, and still delivers", async () => {
    const json = await simulate(gmailPlaintext().dir);
    const notices = json.findings.filter((f) => f.id === "tls-recommended");
    expect(notices.map((f) => [f.severity, f.details?.["site"]])).toEqual([
      ["notice", "gmx"],
      ["notice", "comcast"],
    ]);
    expect(notices[1]!.message).toContain("comcast (comcast.net) recommends TLS (KumoMTA's shaping data");
    expect(notices[1]!.message).toContain('Set tls: opportunistic on rule "*.mxge.comcast.net"');
    const comcast = json.instances[0]!.deliveries[0]!.domains.find((d) => d.domain === "comcast.net")!;
    expect(comcast).toMatchObject({ sent: 2_000, refusedTls: 0 });
  });

  it("is gone for the provider whose rule says tls: opportunistic", async () => {
    const r = gmailPlaintext();
    r.edit(RULES, (t) => t.replace('messagesPerHour: "10,000"', 'messagesPerHour: "10,000"\n    tls: opportunistic'));
    const json = await simulate(r.dir);
    expect(json.findings.filter((f) => f.id === "tls-recommended").map((f) => f.details?.["site"])).toEqual(["gmx"]);
  });

  it("follows providers.yaml: recommendsTls: false silences it", async () => {
    const r = gmailPlaintext();
    writeFileSync(
      join(r.dir, "campaign/providers.yaml"),
      "# Comcast : pas de recommandation chez nous.\nproviders:\n  comcast:\n    recommendsTls: false\n",
    );
    const json = await simulate(r.dir);
    expect(json.findings.filter((f) => f.id === "tls-recommended").map((f) => f.details?.["site"])).toEqual(["gmx"]);
  });
});

describe("working-set-memory: maxWaitingMessages × messageSizeKb × 2.5 over maxWorkingSetMb", () => {
  it("is a notice on the delivery's messageSizeKb line when the working set does not fit", async () => {
    const r = repo();
    r.edit(TRAFFIC, (t) =>
      t.replace("    deadline: 6h", "    deadline: 6h\n    messageSizeKb: 60   # taille moyenne (Adobe : 60 Ko maximum)"),
    );
    const notice = only(await simulate(r.dir), "working-set-memory");
    expect(notice).toMatchObject({ severity: "notice", file: TRAFFIC, line: lineOf(r.read(TRAFFIC), "messageSizeKb") });
    // 2,000 × 60 KB × 2.5 = 300,000 KB = 292.97 MB > maxWorkingSetMb="128" written in serverConf.xml.
    expect(notice.message).toContain(
      `needs 2,000 × 60 KB × 2.5 = 293 MB, over maxWorkingSetMb 128 (${CONF}:${lineOf(r.read(CONF), "maxWorkingSetMb")})`,
    );
    expect(notice.details).toMatchObject({ messageSizeKb: 60, maxWaitingMessages: 2000, maxWorkingSetMb: 128 });
  });

  it("is silent when it fits, or when no size is declared", async () => {
    const r = repo();
    expect(ids(await simulate(r.dir))).not.toContain("working-set-memory");
    r.edit(TRAFFIC, (t) => t.replace("    deadline: 6h", "    deadline: 6h\n    messageSizeKb: 20"));
    expect(ids(await simulate(r.dir))).not.toContain("working-set-memory"); // 97.7 MB ≤ 128
    r.edit(CONF, (t) => t.replace('maxWorkingSetMb="128"', 'maxWorkingSetMb="64"'));
    expect(only(await simulate(r.dir), "working-set-memory").message).toContain("over maxWorkingSetMb 64");
  });

  it("refuses a messageSizeKb that is not a positive number, at its position", async () => {
    const r = repo();
    r.edit(TRAFFIC, (t) => t.replace("    deadline: 6h", "    deadline: 6h\n    messageSizeKb: beaucoup"));
    const error = only(await simulate(r.dir), "config-error");
    expect(error).toMatchObject({ file: TRAFFIC, line: lineOf(r.read(TRAFFIC), "messageSizeKb") });
  });
});

describe("remoteIps and placeholder hosts", () => {
  it("marks the catalog's remoteIps as an estimate in the capacity arithmetic of a message", async () => {
    const r = repo();
    r.edit(RULES, (t) =>
      t.replace(
        '    shared: true\n    maxConnections: 4\n    maxMessagesPerConnection: 20\n    messagesPerHour: "6,000"',
        '    shared: false\n    maxConnections: 4\n    maxMessagesPerConnection: 20\n    messagesPerHour: "60"',
      ),
    );
    const expiry = only(await simulate(r.dir), "delivery-expiry");
    expect(expiry.message).toContain("not shared: 2 buckets per publicId, one per remote IP (estimate)");
  });

  it("does not report a Microsoft 365 rule against the catalog's tenant placeholder as not-first-MX", async () => {
    const r = repo();
    r.edit(RULES, (t) =>
      t.replace(
        '  - mask: "*"',
        '  - mask: "*.mail.protection.outlook.com" # Microsoft 365 (clients B2B)\n    shared: true\n    maxConnections: 10\n    maxMessagesPerConnection: 20\n    messagesPerHour: "10,000"\n\n' +
          '  - mask: "alt1.gmail-smtp-in.l.google.com"\n    shared: true\n    maxConnections: 10\n    maxMessagesPerConnection: 20\n    messagesPerHour: "10,000"\n\n  - mask: "*"',
      ),
    );
    r.edit(TRAFFIC, (t) => t.replace("      comcast.net: 10%", "      comcast.net: 10%\n      hotmail.com: 5%"));
    const json = await simulate(r.dir);
    // The real case still fires: alt1 is a Gmail MX host but no planned domain's first MX.
    expect(json.findings.filter((f) => f.id === "rule-not-first-mx").map((f) => f.details?.["mask"])).toEqual([
      "alt1.gmail-smtp-in.l.google.com",
    ]);
  });
});

describe("excludeDomains takes the same separators as includeDomains", () => {
  it("refuses ';' with the comma advice, at the ';'", async () => {
    const r = repo();
    r.edit(CONF, (t) => t.replace('publicId="2" heloHost', 'publicId="2" excludeDomains="gmail.com;googlemail.com" heloHost'));
    const error = only(await simulate(r.dir), "config-error");
    expect(error).toMatchObject({ file: CONF, line: lineOf(r.read(CONF), "gmail.com;") });
    expect(error.message).toContain("excludeDomains separates domain masks with commas");
  });
});
