import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ServerConf } from "../../src/model/config.js";
import { parseServerConf } from "../../src/parse/serverconf.js";

const fixture = (name: string) => ({
  file: `campaign/${name}`,
  text: readFileSync(new URL(`../fixtures/serverconf/${name}`, import.meta.url), "utf8"),
});
const inline = (text: string, file = "campaign/serverConf.xml") => ({ file, text });

function parsed(...args: Parameters<typeof parseServerConf>): ServerConf {
  const result = parseServerConf(...args);
  if (!result.ok) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
  return result.value;
}

describe("parseServerConf: values and defaults", () => {
  it("applies Adobe's documented defaults when nothing is set", () => {
    const conf = parsed(inline("<serverConf/>"));
    expect(conf.files).toEqual(["campaign/serverConf.xml"]);
    expect(conf.affinities).toEqual([]);
    const values = Object.fromEntries(Object.entries(conf.mta).map(([key, s]) => [key, s.value]));
    expect(values).toEqual({
      useMomentum: false,
      relayAddress: null,
      statServerTLSSupport: true,
      maxSpareServers: 2,
      maxAgeSec: 600,
      maxWaitingMessages: 2000,
      maxWorkingSetMb: 128,
      enableTLS: false,
      maxSessionsPerChild: 1000,
      initialDelaySec: 4,
    });
    for (const setting of Object.values(conf.mta)) {
      expect(setting.origin).toBe("default");
      expect(setting.pos).toBeUndefined();
    }
  });

  it("accepts both root spellings and rejects any other", () => {
    expect(parsed(inline('<serverconf><mta useMomentum="true"/></serverconf>')).mta.useMomentum.value).toBe(true);
    expect(parsed(inline('<serverConf><mta useMomentum="true"/></serverConf>')).mta.useMomentum.value).toBe(true);
    const result = parseServerConf(fixture("broken/wrong-root.xml"));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      {
        file: "campaign/broken/wrong-root.xml",
        line: 2,
        column: 1,
        found: "<ServerConf>",
        expected: "<serverConf> or <serverconf>",
        message: "the root element must be <serverConf> (or <serverconf>), not <ServerConf>",
      },
    ]);
  });

  it("reads every setting of a realistic serverConf.xml with the position of its attribute", () => {
    const { mta } = parsed(fixture("serverConf.xml"));
    const file = "campaign/serverConf.xml";
    expect(mta.useMomentum).toEqual({ value: false, origin: "serverConf", pos: { file, line: 15, column: 71 } });
    expect(mta.statServerTLSSupport).toEqual({ value: true, origin: "serverConf", pos: { file, line: 15, column: 43 } });
    expect(mta.maxSpareServers).toEqual({ value: 2, origin: "serverConf", pos: { file, line: 18, column: 67 } });
    expect(mta.maxAgeSec).toEqual({ value: 600, origin: "serverConf", pos: { file, line: 19, column: 37 } });
    expect(mta.maxWaitingMessages).toEqual({ value: 2000, origin: "serverConf", pos: { file, line: 20, column: 12 } });
    expect(mta.enableTLS).toEqual({ value: false, origin: "serverConf", pos: { file, line: 21, column: 13 } });
    expect(mta.initialDelaySec).toEqual({ value: 4, origin: "serverConf", pos: { file, line: 21, column: 57 } });
    expect(mta.maxSessionsPerChild).toEqual({ value: 1000, origin: "serverConf", pos: { file, line: 21, column: 77 } });
    // <relay address=""/> is written but empty: no relay.
    expect(mta.relayAddress).toEqual({ value: null, origin: "serverConf", pos: { file, line: 33, column: 12 } });
  });

  it("reads relay mode, Enhanced MTA and statServerTLSSupport=false", () => {
    const { mta } = parsed(
      inline(
        '<serverConf><mta useMomentum="TRUE" statServerTLSSupport="0"><relay address=" relay1.example, relay2.example "/></mta></serverConf>',
      ),
    );
    expect(mta.useMomentum.value).toBe(true);
    expect(mta.statServerTLSSupport.value).toBe(false);
    expect(mta.relayAddress.value).toBe("relay1.example, relay2.example");
  });

  it("treats attributes starting with '_' as absent", () => {
    const { mta } = parsed(
      inline('<serverConf><mta><child><smtp _enableTLS="true" _maxSessionsPerChild="nonsense"/></child></mta></serverConf>'),
    );
    expect(mta.enableTLS).toEqual({ value: false, origin: "default" });
    expect(mta.maxSessionsPerChild).toEqual({ value: 1000, origin: "default" });
  });

  it("reads the CDS <master …> line", () => {
    const { mta } = parsed(fixture("cds-master.xml"));
    expect(mta.maxSpareServers).toEqual({
      value: 2,
      origin: "serverConf",
      pos: { file: "campaign/cds-master.xml", line: 3, column: 67 },
    });
  });

  it("ignores unknown attributes and elements, and sections at other paths", () => {
    const { mta } = parsed(
      inline(
        '<serverConf><shared><mta useMomentum="true"/></shared><mta foo="bar"><child><smtp enableTLS="true"><unknown/></smtp></child></mta><smtp enableTLS="false"/></serverConf>',
      ),
    );
    expect(mta.useMomentum.value).toBe(false);
    expect(mta.enableTLS.value).toBe(true);
  });
});

describe("parseServerConf: IP affinities", () => {
  it("reads ED's IPAffinity example with weights 5/5/1", () => {
    const [affinity, ...rest] = parsed(fixture("ed-ipaffinity.xml")).affinities;
    expect(rest).toEqual([]);
    const file = "campaign/ed-ipaffinity.xml";
    expect(affinity).toMatchObject({ names: ["default"], localDomain: "campaign.example.com", pos: { file, line: 6, column: 9 } });
    expect(affinity!.ips.map((ip) => [ip.address, ip.publicId, ip.weight, ip.heloHost])).toEqual([
      ["192.168.0.11", 1, 5, null],
      ["192.168.0.12", 2, 5, "revdns1.campaign.com"],
      ["192.168.0.13", 3, 1, null],
    ]);
    const second = affinity!.ips[1]!;
    expect(second.pos).toEqual({ file, line: 8, column: 11 });
    expect(second.attrPos).toEqual({
      address: { file, line: 8, column: 15 },
      heloHost: { file, line: 8, column: 38 },
      publicId: { file, line: 8, column: 70 },
      weight: { file, line: 8, column: 83 },
    });
    expect(second.includeDomains).toBeNull();
    expect(second.excludeDomains).toEqual([]);
  });

  it("reads CDS's multi-name affinity example", () => {
    const [affinity] = parsed(fixture("cds-multiname.xml")).affinities;
    expect(affinity!.names).toEqual(["mid.Server", "WWserver", "local.Server"]);
    expect(affinity!.localDomain).toBeNull();
    expect(affinity!.ips).toMatchObject([
      {
        address: "10.10.0.5",
        heloHost: "myserver.us.campaign.net",
        publicId: 123,
        excludeDomains: ["neo.*"],
        weight: 5,
        includeDomains: null,
      },
    ]);
  });

  it("splits, trims and lower-cases includeDomains/excludeDomains; weight defaults to 1", () => {
    const affinities = parsed(fixture("serverConf.xml")).affinities;
    expect(affinities.map((a) => a.names)).toEqual([["default"], ["transactional", "tx"]]);
    const [first, second] = affinities[1]!.ips;
    expect(first).toMatchObject({ includeDomains: ["orange.com", "wanadoo.com", "yahoo.*"], excludeDomains: [], weight: 1 });
    expect(second).toMatchObject({ includeDomains: null, excludeDomains: ["neo.*"], weight: 2 });
  });

  it("reads empty includeDomains as unset, empty names and heloHost as absent, weight 0 as allowed", () => {
    const [affinity] = parsed(
      inline(
        '<serverConf><mta><child><smtp><IPAffinity name=" a ; ;b " localDomain=" "><IP address=" 1.2.3.4 " publicId=" 7 " weight="0" heloHost="" includeDomains=" , " excludeDomains=""/></IPAffinity></smtp></child></mta></serverConf>',
      ),
    ).affinities;
    expect(affinity).toMatchObject({ names: ["a", "b"], localDomain: null });
    expect(affinity!.ips).toMatchObject([
      { address: "1.2.3.4", publicId: 7, weight: 0, heloHost: null, includeDomains: null, excludeDomains: [] },
    ]);
  });

  it("collects IP elements written directly under smtp into an unnamed affinity, with a warning", () => {
    const result = parseServerConf(fixture("direct-ip.xml"));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.value.affinities).toHaveLength(1);
    const [affinity] = result.value.affinities;
    expect(affinity).toMatchObject({ names: [], pos: { line: 5, column: 9 } });
    expect(affinity!.ips.map((ip) => [ip.address, ip.publicId, ip.weight])).toEqual([
      ["10.0.0.1", 1, 1],
      ["10.0.0.2", 2, 3],
    ]);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatchObject({ file: "campaign/direct-ip.xml", line: 5, column: 9, found: "<IP> under <smtp>" });
    expect(result.warnings[0]!.message).toContain("assumed");
  });

  it("warns about an affinity without IP elements", () => {
    const result = parseServerConf(inline('<serverConf><mta><child><smtp>\n<IPAffinity name="empty"/></smtp></child></mta></serverConf>'));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.value.affinities).toMatchObject([{ names: ["empty"], ips: [] }]);
    expect(result.warnings).toMatchObject([{ line: 2, column: 1, found: "no <IP>" }]);
    expect(result.warnings[0]!.message).toContain('IPAffinity "empty" has no IP element');
  });
});
