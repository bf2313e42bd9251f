/** Hostile serverConf.xml / config-<instance>.xml: each gets a clear positioned error or a bounded result, fast. */
import { describe, expect, it } from "vitest";
import { decodeUtf8 } from "../../src/io/decode.js";
import { LIMITS } from "../../src/parse/limits.js";
import { parseServerConf } from "../../src/parse/serverconf.js";
import { errorsOf, lineOf, timed } from "./helpers.js";

const conf = (text: string) => parseServerConf({ file: "serverConf.xml", text });
const wrap = (smtp: string, child = "") =>
  `<serverConf>\n  <mta>\n    <child${child}>\n      <smtp>\n${smtp}\n      </smtp>\n    </child>\n  </mta>\n</serverConf>\n`;

describe("hostile XML", () => {
  it("refuses a billion-laughs entity bomb at the DOCTYPE, without expanding anything", () => {
    const lol = ['<?xml version="1.0"?>', "<!DOCTYPE lolz [", ' <!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i++) lol.push(` <!ENTITY lol${i} "${`&lol${i === 1 ? "" : i - 1};`.repeat(10)}">`);
    lol.push("]>", '<serverConf><mta><relay address="&lol9;"/></mta></serverConf>');
    const text = lol.join("\n");
    const { value, ms } = timed(() => conf(text));
    const [issue] = errorsOf(value, text);
    expect(issue).toMatchObject({ line: 2, column: 1, found: "<!DOCTYPE" });
    expect(issue!.message).toContain("never expands entities");
    expect(ms).toBeLessThan(50);
  });

  it("refuses an external entity (SYSTEM file:///etc/passwd): nothing is read", () => {
    const text =
      '<?xml version="1.0"?>\n<!DOCTYPE serverConf [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n<serverConf><mta><relay address="&xxe;"/></mta></serverConf>\n';
    const [issue] = errorsOf(conf(text), text);
    expect(issue).toMatchObject({ line: 2, column: 1, found: "<!DOCTYPE" });
    // Even without the DOCTYPE, the reference itself is refused rather than resolved.
    const bare = '<serverConf><mta><relay address="&xxe;"/></mta></serverConf>';
    const [ref] = errorsOf(conf(bare), bare);
    expect(ref).toMatchObject({ line: 1, column: 34, found: '"&xxe;"' });
    expect(JSON.stringify(ref)).not.toContain("root:");
  });

  it("refuses 10,000-deep nesting at the 101st level, without recursion", () => {
    const text = `<serverConf>${"<n>".repeat(10_000)}${"</n>".repeat(10_000)}</serverConf>`;
    const { value, ms } = timed(() => conf(text));
    const [issue] = errorsOf(value, text);
    expect(issue).toMatchObject({ line: 1, column: 12 + 3 * 99 + 1, expected: "at most 100 nested elements" });
    expect(ms).toBeLessThan(100);
  });

  it("refuses binary content and invalid UTF-8 at their position", () => {
    const binary = decodeUtf8(Uint8Array.from([0x3c, 0x61, 0x3e, 0x0a, 0x00, 0x01, 0x02, 0x3c, 0x2f, 0x61, 0x3e]));
    expect(errorsOf(conf(binary), binary)[0]).toMatchObject({ line: 2, column: 1, found: "a NUL byte" });
    const latin1 = decodeUtf8(Buffer.from('<serverConf>\n<mta><relay address="caf\xe9"/></mta></serverConf>', "latin1"));
    expect(errorsOf(conf(latin1), latin1)[0]).toMatchObject({ line: 2, column: 25, found: "U+FFFD" });
    const png = decodeUtf8(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    expect(errorsOf(conf(png), png)[0]!.message).toContain("binary or invalid UTF-8");
  });

  it("reads very long lines, CRLF line ends and a byte-order mark with the right positions", () => {
    const longComment = `<!--${"x".repeat(2_000_000)}-->`;
    const text = `\uFEFF<?xml version="1.0"?>\r\n${longComment}\r\n<serverConf>\r\n  <mta useMomentum="maybe"/>\r\n</serverConf>\r\n`;
    const { value, ms } = timed(() => conf(text));
    expect(errorsOf(value, text)[0]).toMatchObject({ line: 4, column: 21, message: "useMomentum must be true or false" });
    expect(ms).toBeLessThan(500);
    const longLine = wrap(
      `<IPAffinity name="default"><IP address="10.0.0.1" publicId="1" heloHost="${"h".repeat(1_000_000)}"/></IPAffinity>`,
    );
    const parsed = timed(() => conf(longLine));
    expect(parsed.value.ok).toBe(true);
    expect(parsed.ms).toBeLessThan(500);
  });

  it(`caps IP elements at ${LIMITS.ips} (after the merge), naming the limit at the first IP over it`, () => {
    const ips = Array.from({ length: LIMITS.ips + 500 }, (_, i) => `        <IP address="10.${i >> 8}.${i & 255}.1" publicId="${i}"/>`);
    const text = wrap(`        <IPAffinity name="default">\n${ips.join("\n")}\n        </IPAffinity>`);
    const { value, ms } = timed(() => conf(text));
    const errors = errorsOf(value, text);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: lineOf(text, `publicId="${LIMITS.ips}"`), column: 9, expected: "at most 1,000 IP elements" });
    expect(errors[0]!.message).toContain("at most 1,000");
    expect(ms).toBeLessThan(500);
    // Exactly at the limit is accepted.
    const atLimit = wrap(`<IPAffinity name="default">\n${ips.slice(0, LIMITS.ips).join("\n")}\n</IPAffinity>`);
    expect(conf(atLimit).ok).toBe(true);
  });

  it(`caps IPAffinity elements at ${LIMITS.affinities} and names per affinity at ${LIMITS.affinityNames}`, () => {
    const many = Array.from({ length: LIMITS.affinities + 1 }, (_, i) => `<IPAffinity name="a${i}"/>`).join("\n");
    const text = wrap(many);
    const errors = errorsOf(conf(text), text);
    expect(errors[0]).toMatchObject({ line: lineOf(text, `name="a${LIMITS.affinities}"`), expected: "at most 1,000 IPAffinity elements" });
    const names = wrap(`<IPAffinity name="${Array.from({ length: 101 }, (_, i) => `n${i}`).join(";")}"/>`);
    expect(errorsOf(conf(names), names)[0]).toMatchObject({ line: 5, column: 19, found: "101 names", expected: "at most 100 names" });
  });

  it("caps includeDomains/excludeDomains lists and mask length", () => {
    const list = Array.from({ length: 101 }, (_, i) => `d${i}.example`).join(",");
    const text = wrap(`<IPAffinity name="default"><IP address="10.0.0.1" publicId="1" includeDomains="${list}"/></IPAffinity>`);
    expect(errorsOf(conf(text), text)[0]).toMatchObject({ line: 5, found: "101 masks", expected: "at most 100 masks" });
    const long = wrap(
      `<IPAffinity name="default"><IP address="10.0.0.1" publicId="1" excludeDomains="${"*a".repeat(2_000)}"/></IPAffinity>`,
    );
    expect(errorsOf(conf(long), long)[0]).toMatchObject({ line: 5, found: "a mask of 4,000 characters" });
  });

  it(`bounds maxAgeSec at ${LIMITS.maxAgeSec} s (it sizes the simulation's working-set cohorts)`, () => {
    const text = wrap("", ' maxAgeSec="999999999999"');
    expect(errorsOf(conf(text), text)[0]).toMatchObject({
      line: 3,
      column: 23,
      message: "maxAgeSec must be at most 86400",
      expected: "a whole number from 0 to 86400",
    });
    expect(conf(wrap("", ' maxAgeSec="86400"')).ok).toBe(true);
  });

  it("keeps positions in the instance file when the merge exceeds a limit there", () => {
    const half = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => `<IP address="10.1.${(from + i) >> 8}.${(from + i) & 255}" publicId="1"/>`).join("\n");
    const base = wrap(`<IPAffinity name="default">\n${half(0, 600)}\n</IPAffinity>`);
    const instance = wrap(`<IPAffinity name="default">\n${half(600, 1200)}\n</IPAffinity>`);
    const result = parseServerConf({ file: "serverConf.xml", text: base }, { file: "config-prod.xml", text: instance });
    const [issue] = errorsOf(result, instance);
    expect(issue).toMatchObject({ file: "config-prod.xml", line: lineOf(instance, 'address="10.1.3.232"') });
  });

  it("reports 20,000 unknown attributes and a 100,000-character one quickly, capped per file", () => {
    const attrs = Array.from({ length: 20_000 }, (_, i) => `x${i}="1"`).join(" ");
    const text = `<serverConf><mta ${attrs} ${"y".repeat(100_000)}="1"/></serverConf>`;
    const { value, ms } = timed(() => conf(text));
    expect(value.ok).toBe(true);
    expect(value.warnings).toHaveLength(51);
    expect(value.warnings[0]!.message).toContain("<mta> has an attribute mx-guard does not know, x0: it is ignored");
    expect(ms).toBeLessThan(2000);
  });
});
