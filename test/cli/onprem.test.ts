/**
 * A hand-written on-premise repository (test/fixtures/onprem-repo): a Latin-1 serverConf.xml with
 * French comments and other modules, a config-default.xml, current GMX and Comcast masks; run
 * through `mx-guard simulate --format json` as a new user would.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";

const FIXTURE = join(import.meta.dirname, "../fixtures/onprem-repo");
const CONF = "campaign/serverConf.xml";

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

/** A scratch copy; `editConf` rewrites serverConf.xml (read and written as Latin-1 unless told). */
function repo() {
  const dir = mkdtempSync(join(tmpdir(), "mx-guard-onprem-"));
  cpSync(FIXTURE, dir, { recursive: true });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = (file: string) => join(dir, file);
  return {
    dir,
    confText: () => readFileSync(path(CONF), "latin1"),
    editConf(change: (text: string) => string) {
      writeFileSync(path(CONF), Buffer.from(change(readFileSync(path(CONF), "latin1")), "latin1"));
    },
    writeBytes: (file: string, bytes: Buffer) => writeFileSync(path(file), bytes),
    write: (file: string, text: string) => writeFileSync(path(file), text),
  };
}

interface Json {
  instances: {
    name: string;
    assumptions: string[];
    sites: { site: string; domains: string[]; mx: string[]; tls: string; rule: { mask: string } | null }[];
  }[];
  findings: { id: string; severity: string; file: string; line: number; column?: number; message: string }[];
}

async function simulate(dir: string): Promise<{ code: number; json: Json; stderr: string }> {
  const { code, stdout, stderr } = await runCli(["simulate", dir, "--format", "json", "--exit-zero"]);
  return { code, json: JSON.parse(stdout) as Json, stderr };
}

/** The JSON findings carry line but not column: the column is read from the message's file:line:column prefix. */
const ids = (json: Json, id: string) =>
  json.findings.filter((f) => f.id === id).map((f) => ({ ...f, column: Number(/^[^:]+:\d+:(\d+): /.exec(f.message)?.[1]) }));

describe("encodings follow the document", () => {
  it("reads a serverConf.xml declared ISO-8859-1 with accented comments (the bytes are Latin-1)", async () => {
    const r = repo();
    expect(readFileSync(join(r.dir, CONF)).includes(Buffer.from([0xe9]))).toBe(true); // "é" as one byte
    const { code, json, stderr } = await simulate(r.dir);
    expect(ids(json, "config-error")).toEqual([]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });

  it("keeps positions exact after accented characters on the same line", async () => {
    const r = repo();
    r.editConf((t) =>
      t.replace(
        '<IP address="192.0.2.12" publicId="2" heloHost="mta2.news.boutique.example"',
        '<IP address="192.0.2.12" heloHost="mta2.élysée.example" publicId="deux"',
      ),
    );
    const { json } = await simulate(r.dir);
    const [error] = ids(json, "config-error");
    const line = r
      .confText()
      .split("\n")
      .findIndex((l) => l.includes('publicId="deux"'));
    expect(error).toMatchObject({ file: CONF, line: line + 1, column: r.confText().split("\n")[line]!.indexOf("deux") + 1 });
    expect(error!.message).toContain("publicId must be numeric");
  });

  it("reads windows-1252 (curly quotes and the euro sign) and UTF-16 with a byte-order mark", async () => {
    const r = repo();
    const text = r
      .confText()
      .replace('encoding="ISO-8859-1"', 'encoding="windows-1252"')
      .replace("Configuration générale", "Configuration \u2019générale\u2019 \u20ac");
    const cp1252 = Buffer.from(text.replace("\u2019", "\x92").replace("\u2019", "\x92").replace("\u20ac", "\x80"), "latin1");
    r.writeBytes(CONF, cp1252);
    expect(ids((await simulate(r.dir)).json, "config-error")).toEqual([]);

    const utf16 = text.replace('encoding="windows-1252"', 'encoding="UTF-16"').replace('publicId="2"', 'publicId="x"');
    r.writeBytes(CONF, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(utf16, "utf16le")]));
    const [error] = ids((await simulate(r.dir)).json, "config-error");
    // The only error is the bad value, at its character position: the UTF-16 text itself was read.
    const line = utf16.split("\n").findIndex((l) => l.includes('publicId="x"'));
    expect(error).toMatchObject({ line: line + 1, column: utf16.split("\n")[line]!.indexOf('"x"') + 2 });
  });

  it("refuses an encoding it cannot read, naming the declaration", async () => {
    const r = repo();
    r.editConf((t) => t.replace('encoding="ISO-8859-1"', 'encoding="EBCDIC-CP-FR"'));
    const { code, json } = await simulate(r.dir);
    const [error] = ids(json, "config-error");
    expect(error).toMatchObject({ file: CONF, line: 1, column: 31 });
    expect(error!.message).toContain('the XML declaration names encoding "EBCDIC-CP-FR"');
    expect(code).toBe(2);
  });

  it("still refuses undeclared Latin-1 bytes as invalid UTF-8 (XML's default encoding)", async () => {
    const r = repo();
    r.editConf((t) => t.replace('<?xml version="1.0" encoding="ISO-8859-1"?>', '<?xml version="1.0"?>'));
    const [error] = ids((await simulate(r.dir)).json, "config-error");
    expect(error!.message).toContain("invalid UTF-8");
    expect(error!.line).toBe(2);
  });
});

describe("Campaign's conventions", () => {
  it("never reads config-default.xml as the default instance's override (it holds web, syslogd, trackinglogd)", async () => {
    const r = repo();
    // config-default.xml says enableTLS="false"; read as an override, gmx.de would go out in plaintext.
    const { json } = await simulate(r.dir);
    expect(json.instances[0]!.name).toBe("default");
    expect(json.instances[0]!.sites.find((s) => s.domains.includes("gmx.de"))).toMatchObject({ tls: "opportunistic" });
  });

  it("reads config-default.xml when the policy names it", async () => {
    const r = repo();
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(r.dir, ".github"));
    r.write(".github/mx-guard.yml", "instances:\n  - name: default\n    instanceConf: campaign/config-default.xml\n");
    r.write(
      "campaign/config-default.xml",
      readFileSync(join(FIXTURE, "campaign/config-default.xml"), "utf8").replace(
        '<smtp enableTLS="false"/>',
        '<smtp enableTLS="false" maxSessionPerChild="10"/>',
      ),
    );
    const { json } = await simulate(r.dir);
    expect(ids(json, "unknown-attribute").map((f) => f.file)).toEqual(["campaign/config-default.xml"]);
    expect(json.instances[0]!.sites.find((s) => s.domains.includes("gmx.de"))).toMatchObject({ tls: "plaintext" });
  });

  it("keys an IP without publicId by its address: a warning and a printed assumption, not an error", async () => {
    const r = repo();
    r.editConf((t) => t.replace('<IP address="192.0.2.12" publicId="2"', '<IP address="192.0.2.12"'));
    const { code, json } = await simulate(r.dir);
    expect(ids(json, "config-error")).toEqual([]);
    const [warning] = ids(json, "config-warning");
    expect(warning).toMatchObject({ severity: "warning", file: CONF });
    expect(warning!.message).toContain("IP 192.0.2.12 has no publicId: mx-guard keys its quota buckets by its address");
    expect(json.instances[0]!.assumptions.join("\n")).toContain(
      "IP 192.0.2.12 (campaign/serverConf.xml:22) has no publicId: its quota buckets are keyed by its address",
    );
    expect(code).toBe(0);
  });

  it("lists the attributes it reads but does not simulate, once", async () => {
    const r = repo();
    r.editConf((t) => t.replace('IPMask=""', 'IPMask="10.0.*"'));
    const { json } = await simulate(r.dir);
    const lines = json.instances[0]!.assumptions.filter((a) => a.startsWith("Read, not simulated"));
    expect(lines).toHaveLength(1);
    for (const written of [
      'child@maxWorkingSetMb="128"',
      'child@timeToLive="48"',
      'child@startWithFirstMX="false"',
      'IPAffinity@IPMask="10.0.*"',
      'smtp@initialDelaySec="4"',
    ]) {
      expect(lines[0]).toContain(written);
    }
    expect(lines[0]).not.toContain("maxAgeSec");
  });

  it("warns when a known attribute is written in the wrong case, so its default never applies silently", async () => {
    const r = repo();
    r.editConf((t) =>
      t
        .replace('enableTLS="true"', 'enableTls="true"')
        .replace('<IP address="192.0.2.11" publicId="1"', '<IP address="192.0.2.11" publicID="1"'),
    );
    const { json } = await simulate(r.dir);
    const messages = ids(json, "config-warning").map((f) => f.message);
    expect(
      messages.some((m) =>
        m.includes(
          "<smtp> has enableTls, not enableTLS: Campaign reads attribute names exactly as written, so enableTLS is not set and its default (false) applies (rename it to enableTLS)",
        ),
      ),
    ).toBe(true);
    // publicID: one warning, which says both what is wrong and what mx-guard then assumes.
    const publicId = messages.filter((m) => m.includes("publicID"));
    expect(publicId).toHaveLength(1);
    expect(publicId[0]).toContain(
      "IP 192.0.2.11 has publicID, not publicId: Campaign reads attribute names exactly as written, so the IP has no publicId and mx-guard keys its quota buckets by its address (rename it to publicId)",
    );
    expect(messages.filter((m) => m.includes("192.0.2.11"))).toHaveLength(1);
  });

  it("gives an unknown attribute a notice with did you mean", async () => {
    const r = repo();
    r.editConf((t) => t.replace('maxSpareServers="2"', 'maxSpareServer="2"'));
    const { json } = await simulate(r.dir);
    const [notice] = ids(json, "unknown-attribute");
    expect(notice).toMatchObject({ severity: "notice", file: CONF });
    expect(notice!.message).toContain(
      '<master> has an attribute mx-guard does not know, maxSpareServer: it is ignored (did you mean "maxSpareServers"?)',
    );
  });

  it("accepts comma lists in includeDomains and refuses ';' with a clear message", async () => {
    const r = repo();
    r.editConf((t) => t.replace('publicId="1" heloHost', 'publicId="1" includeDomains="gmail.com, googlemail.com" heloHost'));
    expect(ids((await simulate(r.dir)).json, "config-error")).toEqual([]);
    r.editConf((t) => t.replace("gmail.com, googlemail.com", "gmail.com;googlemail.com"));
    const [error] = ids((await simulate(r.dir)).json, "config-error");
    const line = r
      .confText()
      .split("\n")
      .findIndex((l) => l.includes("gmail.com;"));
    expect(error).toMatchObject({ line: line + 1, column: r.confText().split("\n")[line]!.indexOf(";") + 1 });
    expect(error!.message).toContain(
      "includeDomains separates domain masks with commas, e.g. includeDomains=\"gmail.com,googlemail.com\"; ';' is not a separator",
    );
  });
});

describe("the refreshed provider catalog", () => {
  it("sends gmx.de through the *.emig.gmx.net rule and Comcast through *.mxge.comcast.net, without stale notices", async () => {
    const r = repo();
    const { json } = await simulate(r.dir);
    const sites = json.instances[0]!.sites;
    expect(sites.find((s) => s.domains.includes("gmx.de"))).toMatchObject({
      mx: ["mx00.emig.gmx.net", "mx01.emig.gmx.net"],
      rule: { mask: "*.emig.gmx.net" },
    });
    expect(sites.find((s) => s.domains.includes("comcast.net"))).toMatchObject({
      mx: ["mx1.mxge.comcast.net", "mx2.mxge.comcast.net"],
      rule: { mask: "*.mxge.comcast.net" },
    });
    // mx0?.gmx.net still matches gmx.com's mx00.gmx.net, so it is not stale; it no longer catches gmx.de.
    expect(ids(json, "stale-mask")).toEqual([]);
  });

  it("prints the catalog's remoteIps as estimates where unshared rules use them", async () => {
    const { json } = await simulate(repo().dir);
    const line = json.instances[0]!.assumptions.find((a) => a.startsWith("Remote IPs per provider (estimate"));
    expect(line).toContain("gmx 2, gmx-com 2");
    expect(line).toContain("mx-guard catalog --resolve shows the live count");
  });

  it("words a stale mask as a fact about mx-guard's catalog and its date", async () => {
    const r = repo();
    r.write(
      "campaign/mx-rules.yaml",
      readFileSync(join(FIXTURE, "campaign/mx-rules.yaml"), "utf8").replace('"*.mxge.comcast.net"', '"mx1a1.comcast.net"'),
    );
    const [stale] = ids((await simulate(r.dir)).json, "stale-mask");
    expect(stale!.message).toMatch(
      /^Mask "mx1a1\.comcast\.net" matches no MX host in mx-guard's catalog \(verified on \d{4}-\d{2}-\d{2}\)/,
    );
  });
});
