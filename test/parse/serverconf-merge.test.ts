import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ServerConf } from "../../src/model/config.js";
import { parseServerConf } from "../../src/parse/serverconf.js";

const fixture = (name: string) => ({
  file: `campaign/${name}`,
  text: readFileSync(new URL(`../fixtures/serverconf/${name}`, import.meta.url), "utf8"),
});
const base = (text: string) => ({ file: "serverConf.xml", text });
const instance = (text: string) => ({ file: "config-prod.xml", text });
const smtp = (inner: string, attrs = "") => `<serverconf><mta><child><smtp ${attrs}>${inner}</smtp></child></mta></serverconf>`;

function parsed(...args: Parameters<typeof parseServerConf>): ServerConf {
  const result = parseServerConf(...args);
  if (!result.ok) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
  return result.value;
}

describe("parseServerConf: config-<instance>.xml overrides serverConf.xml", () => {
  const merged = parsed(fixture("serverConf.xml"), fixture("config-prod.xml"));
  const baseFile = "campaign/serverConf.xml";
  const instanceFile = "campaign/config-prod.xml";

  it("lists both files in load order", () => {
    expect(merged.files).toEqual([baseFile, instanceFile]);
  });

  it("takes each attribute from the instance file when it sets it, with its origin and position", () => {
    expect(merged.mta.maxSpareServers).toEqual({ value: 4, origin: "instance", pos: { file: instanceFile, line: 7, column: 13 } });
    expect(merged.mta.maxWaitingMessages).toEqual({ value: 3000, origin: "instance", pos: { file: instanceFile, line: 8, column: 12 } });
    expect(merged.mta.enableTLS).toEqual({ value: true, origin: "instance", pos: { file: instanceFile, line: 9, column: 13 } });
  });

  it("keeps serverConf.xml's attributes the instance does not set, including ones it only disables with '_'", () => {
    expect(merged.mta.maxAgeSec).toMatchObject({ value: 600, origin: "serverConf", pos: { file: baseFile, line: 19 } });
    expect(merged.mta.maxSessionsPerChild).toMatchObject({ value: 1000, origin: "serverConf", pos: { file: baseFile, line: 21 } });
    expect(merged.mta.useMomentum).toMatchObject({ value: false, origin: "serverConf" });
  });

  it("merges IPAffinity by name and IP by address, attribute by attribute", () => {
    expect(merged.affinities.map((a) => a.names)).toEqual([["default"], ["transactional", "tx"], ["marketing"]]);
    const [defaults, transactional, marketing] = merged.affinities;
    expect(defaults).toMatchObject({ localDomain: "prod.example.com", pos: { file: instanceFile, line: 10, column: 9 } });
    expect(defaults!.ips.map((ip) => [ip.address, ip.publicId, ip.weight, ip.heloHost])).toEqual([
      ["192.168.0.11", 1, 5, "mta1.campaign.example.com"],
      ["192.168.0.12", 2, 2, "mta2.campaign.example.com"],
      ["192.168.0.13", 3, 1, "mta3.campaign.example.com"],
      ["192.168.0.14", 6, 1, "mta4.campaign.example.com"],
    ]);
    expect(transactional!.pos).toEqual({ file: baseFile, line: 27, column: 9 });
    expect(marketing!.ips).toMatchObject([{ address: "192.168.0.31", publicId: 7, pos: { file: instanceFile, line: 15 } }]);
  });

  it("takes each position from the file that supplied the winning value", () => {
    const overlaid = merged.affinities[0]!.ips[1]!;
    expect(overlaid.pos).toEqual({ file: instanceFile, line: 11, column: 11 });
    expect(overlaid.attrPos).toEqual({
      address: { file: instanceFile, line: 11, column: 15 },
      weight: { file: instanceFile, line: 11, column: 38 },
      publicId: { file: baseFile, line: 24, column: 75 },
      heloHost: { file: baseFile, line: 24, column: 38 },
    });
    const untouched = merged.affinities[0]!.ips[0]!;
    expect(untouched.pos).toEqual({ file: baseFile, line: 23, column: 11 });
  });

  it("has no warnings for the clean fixture pair", () => {
    const result = parseServerConf(fixture("serverConf.xml"), fixture("config-prod.xml"));
    expect(result.warnings).toEqual([]);
  });
});

describe("parseServerConf: merge details", () => {
  it("keeps the serverConf.xml value when the instance file only has the disabled '_' form", () => {
    const conf = parsed(base(smtp("", 'enableTLS="true"')), instance(smtp("", '_enableTLS="false"')));
    expect(conf.mta.enableTLS).toMatchObject({ value: true, origin: "serverConf" });
  });

  it("lets an empty relay address in the instance file switch relay mode off", () => {
    const conf = parsed(
      base('<serverconf><mta><relay address="relay.example"/></mta></serverconf>'),
      instance('<serverConf><mta><relay address=""/></mta></serverConf>'),
    );
    expect(conf.mta.relayAddress).toMatchObject({ value: null, origin: "instance" });
  });

  it("treats a null or missing instance file as no overrides", () => {
    const text = smtp('<IPAffinity name="a"><IP address="1.1.1.1" publicId="1"/></IPAffinity>');
    expect(parsed(base(text), null)).toEqual(parsed(base(text)));
  });

  it("uses the whole trimmed name as the affinity key", () => {
    const conf = parsed(
      base(smtp('<IPAffinity name="a;b"><IP address="1.1.1.1" publicId="1"/></IPAffinity>')),
      instance(
        smtp(
          '<IPAffinity name=" a;b "><IP address="1.1.1.2" publicId="2"/></IPAffinity><IPAffinity name="a"><IP address="1.1.1.3" publicId="3"/></IPAffinity>',
        ),
      ),
    );
    expect(conf.affinities.map((a) => [a.names, a.ips.map((ip) => ip.address)])).toEqual([
      [
        ["a", "b"],
        ["1.1.1.1", "1.1.1.2"],
      ],
      [["a"], ["1.1.1.3"]],
    ]);
  });

  it("merges directly written IPs across files by address", () => {
    const conf = parsed(
      base(smtp('<IP address="10.0.0.1" publicId="1"/>')),
      instance(smtp('<IP address="10.0.0.1" weight="4"/><IP address="10.0.0.2" publicId="2"/>')),
    );
    expect(conf.affinities).toHaveLength(1);
    expect(conf.affinities[0]!.ips.map((ip) => [ip.address, ip.publicId, ip.weight])).toEqual([
      ["10.0.0.1", 1, 4],
      ["10.0.0.2", 2, 1],
    ]);
    expect(conf.affinities[0]!.pos.file).toBe("config-prod.xml");
  });

  it("merges a repeated IPAffinity within one file, with a warning, and a repeated section with a warning", () => {
    const text = smtp(
      '\n<IPAffinity name="x"><IP address="1.1.1.1" publicId="1"/></IPAffinity>\n<IPAffinity name="x"><IP address="1.1.1.2" publicId="2"/></IPAffinity>',
    ).replace("</child>", '</child><child maxAgeSec="900"/>');
    const result = parseServerConf(base(text));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.value.affinities.map((a) => a.ips.length)).toEqual([2]);
    expect(result.value.mta.maxAgeSec.value).toBe(900);
    expect(result.warnings.map((w) => [w.line, w.column, w.found])).toEqual([
      [3, 1, 'a second IPAffinity "x"'],
      [3, 86, "2 <child> elements"],
    ]);
  });
});
