import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ConfigIssue } from "../../src/model/errors.js";
import { parseServerConf } from "../../src/parse/serverconf.js";

const fixture = (name: string) => ({
  file: `campaign/${name}`,
  text: readFileSync(new URL(`../fixtures/serverconf/${name}`, import.meta.url), "utf8"),
});

function errorsOf(...args: Parameters<typeof parseServerConf>): ConfigIssue[] {
  const result = parseServerConf(...args);
  if (result.ok) throw new Error("expected errors");
  return result.errors;
}

const brief = (issues: ConfigIssue[]) => issues.map((i) => [i.line, i.column, i.found, i.message]);

describe("parseServerConf: validation errors point at the attribute value", () => {
  it("reports publicId that is not numeric in Adobe's words", () => {
    expect(errorsOf(fixture("broken/bad-publicid.xml"))).toEqual([
      {
        file: "campaign/broken/bad-publicid.xml",
        line: 6,
        column: 48,
        found: '"one"',
        expected: "a whole number of at least 0",
        message: "publicId must be numeric",
      },
    ]);
  });

  it("reports every bad value in a file, in file order", () => {
    expect(brief(errorsOf(fixture("broken/bad-values.xml")))).toEqual([
      [2, 21, '"yes"', "useMomentum must be true or false"],
      [3, 30, '"0"', "maxSpareServers must be at least 1"],
      [4, 23, '"-3"', "maxAgeSec must not be negative"],
      [4, 47, '"1.5"', "maxWaitingMessages must be a whole number"],
      [5, 44, '"abc"', "initialDelaySec must be a whole number"],
      [5, 70, '""', "maxSessionsPerChild must be a whole number"],
      [7, 55, '"-1"', "weight must not be negative"],
      [8, 11, "<IP> without address", "IP element needs an address"],
      [9, 24, '"10.0.0.1"', 'IP address 10.0.0.1 appears twice in IPAffinity "default" (first at line 7, column 11)'],
    ]);
  });

  it("keys an IP without publicId by its address, with a warning (Adobe does not say the attribute is required)", () => {
    const result = parseServerConf(fixture("broken/bad-values.xml"));
    expect(result.warnings.map((w) => [w.line, w.column, w.found, w.message])).toContainEqual([
      10,
      11,
      "no publicId",
      "IP 10.0.0.4 has no publicId: mx-guard keys its quota buckets by its address (Adobe requires publicId only when several MTAs share a public IP behind NAT)",
    ]);
  });

  it("accepts TRUE and 1 as booleans and rejects other words", () => {
    const doc = (v: string) => ({ file: "s.xml", text: `<serverConf><mta useMomentum="${v}"/></serverConf>` });
    for (const v of ["TRUE", "False", "1", "0", " true "]) expect(parseServerConf(doc(v)).ok).toBe(true);
    for (const v of ["yes", "on", "", "2"]) expect(errorsOf(doc(v))[0]).toMatchObject({ line: 1, column: 31 });
  });

  it("rejects integers written as decimals, with signs or too large", () => {
    const doc = (v: string) => ({ file: "s.xml", text: `<serverConf><mta><child maxAgeSec="${v}"/></mta></serverConf>` });
    expect(errorsOf(doc("1e3"))[0]!.message).toBe("maxAgeSec must be a whole number");
    expect(errorsOf(doc("+5"))[0]!.message).toBe("maxAgeSec must be a whole number");
    expect(errorsOf(doc("99999999999999999999"))[0]!.message).toBe("maxAgeSec is too large");
    expect(parseServerConf(doc("0")).ok).toBe(true);
  });

  it("checks publicId after the merge, pointing the warning at the IP that lacks it and keying it by address", () => {
    const result = parseServerConf(
      {
        file: "serverConf.xml",
        text: '<serverConf><mta><child><smtp><IPAffinity name="a"><IP address="1.1.1.1" publicId="1"/></IPAffinity></smtp></child></mta></serverConf>',
      },
      {
        file: "config-prod.xml",
        text: '<serverConf><mta><child><smtp><IPAffinity name="a">\n<IP address="1.1.1.2"/></IPAffinity></smtp></child></mta></serverConf>',
      },
    );
    expect(result.ok).toBe(true);
    expect(result.warnings).toMatchObject([{ file: "config-prod.xml", line: 2, column: 1, found: "no publicId" }]);
    if (result.ok) expect(result.value.affinities[0]!.ips.map((ip) => ip.publicId)).toEqual([1, -1]);
  });

  it("points an invalid value supplied by the instance file at that file", () => {
    const issues = errorsOf(
      { file: "serverConf.xml", text: '<serverConf><mta><master maxSpareServers="2"/></mta></serverConf>' },
      { file: "config-prod.xml", text: '<serverConf><mta><master maxSpareServers="many"/></mta></serverConf>' },
    );
    expect(issues).toMatchObject([{ file: "config-prod.xml", line: 1, column: 43, found: '"many"' }]);
  });

  it("rejects an empty address and a duplicate address within one file's affinity", () => {
    const issues = errorsOf({
      file: "s.xml",
      text: '<serverConf><mta><child><smtp>\n<IP address=" " publicId="1"/>\n<IP address="2.2.2.2" publicId="2"/><IP address="2.2.2.2" publicId="3"/></smtp></child></mta></serverConf>',
    });
    expect(brief(issues)).toEqual([
      [2, 14, '""', "IP element needs an address"],
      [3, 50, '"2.2.2.2"', "IP address 2.2.2.2 appears twice in the IP elements under mta/child/smtp (first at line 3, column 1)"],
    ]);
  });
});

describe("parseServerConf: unreadable files", () => {
  const cases: [string, number, number, string][] = [
    ["billion-laughs.xml", 2, 1, "<!DOCTYPE"],
    ["external-entity.xml", 5, 1, "<!ENTITY"],
    ["external-entity-doctype.xml", 2, 1, "<!DOCTYPE"],
    ["unclosed-tag.xml", 4, 3, "</mta>"],
    ["unclosed-root.xml", 1, 1, "end of file"],
    ["mismatched-tag.xml", 3, 12, "</smtp>"],
    ["duplicate-attribute.xml", 2, 28, "useMomentum"],
    ["junk-after-root.xml", 4, 1, '"<serverConf/>"'],
    ["unterminated-comment.xml", 2, 3, "end of file"],
    ["unterminated-string.xml", 3, 5, '"<relay address=\\"\\"/>"'],
    ["ed-placeholder.xml", 1, 26, '"<domain>\\" name=\\"defa"'],
    ["deep-nesting.xml", 1, 498, '"<n99><n100><n101><n1"'],
    ["wrong-root.xml", 2, 1, "<ServerConf>"],
  ];
  it.each(cases)("%s fails at %i:%i (found %s)", (name, line, column, found) => {
    const issues = errorsOf(fixture(`broken/${name}`));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: `campaign/broken/${name}`, line, column, found });
    expect(issues[0]!.expected.length).toBeGreaterThan(0);
  });

  it("reports syntax errors of both files and validates nothing else", () => {
    const issues = errorsOf(
      { file: "serverConf.xml", text: '<serverConf><mta useMomentum="maybe"/></serverConf>\n<!DOCTYPE x>' },
      { file: "config-prod.xml", text: "<serverConf>" },
    );
    expect(issues.map((i) => [i.file, i.line, i.found])).toEqual([
      ["serverConf.xml", 2, "<!DOCTYPE"],
      ["config-prod.xml", 1, "end of file"],
    ]);
  });

  it("rejects binary content in the instance file", () => {
    const issues = errorsOf({ file: "serverConf.xml", text: "<serverConf/>" }, { file: "config-prod.xml", text: "\u0000\u0001PK" });
    expect(issues).toMatchObject([
      { file: "config-prod.xml", line: 1, column: 1, message: expect.stringContaining("binary or invalid UTF-8") },
    ]);
  });
});
