import { describe, expect, it } from "vitest";
import { parseMxRules } from "../../src/parse/mx-rules.js";
import { errorsOf, fixture, onlyError, valueOf, yaml } from "./yaml-helpers.js";

const parse = (text: string) => parseMxRules(text, "campaign/mx-rules.yaml");

/** One rule with the required keys plus `extra` lines. */
const rule = (...extra: string[]) =>
  yaml("rules:", '  - mask: "*.google.com"', "    maxConnections: 30", "    messagesPerHour: 60000", ...extra);

describe("parseMxRules: values", () => {
  const set = valueOf(parse(fixture("mx-rules.yaml")));

  it("keeps file order and indexes", () => {
    expect(set.file).toBe("campaign/mx-rules.yaml");
    expect(set.rules.map((r) => [r.index, r.mask])).toEqual([
      [0, "*.google.com"],
      [1, "mta?.am0.yahoodns.net"],
      [2, "*"],
    ]);
  });

  it("reads every written key, with units and thousands separators", () => {
    expect(set.rules[0]).toMatchObject({
      range: null,
      shared: true,
      maxConnections: 30,
      maxMessagesPerConnection: 20,
      messagesPerHour: 60000,
      connectionTimeoutSec: 10,
      timeoutDataSec: 240,
      timeoutSec: 60,
      tls: "opportunistic",
      defaulted: [],
    });
    expect(set.rules[1]).toMatchObject({ range: { from: 1, to: 4 }, messagesPerHour: 1200 });
    expect(set.rules[2]).toMatchObject({ range: { from: 3, to: 3 }, tls: "disabled" });
  });

  it("applies the defaults and lists the defaulted keys", () => {
    expect(set.rules[1]).toMatchObject({
      shared: false,
      maxMessagesPerConnection: 20,
      connectionTimeoutSec: 10,
      timeoutDataSec: 240,
      timeoutSec: 60,
      tls: "default",
      defaulted: ["shared", "maxMessagesPerConnection", "connectionTimeout", "timeoutData", "timeout", "tls"],
    });
  });

  it("spans the whole rule and each written value", () => {
    const first = set.rules[0]!;
    expect(first.span).toMatchObject({ file: "campaign/mx-rules.yaml", line: 4, endLine: 13 });
    expect(first.fieldPos.messagesPerHour).toMatchObject({ line: 9, column: 22, endLine: 9, endColumn: 30 });
    expect(first.fieldPos.tls).toMatchObject({ line: 13, column: 10 });
    expect(set.rules[1]!.span).toMatchObject({ line: 15, endLine: 18 });
    expect(set.rules[1]!.fieldPos.tls).toBeUndefined();
  });

  it("reads JSON too", () => {
    const json = valueOf(parse(fixture("mx-rules.json")));
    expect(json.rules.map((r) => [r.mask, r.maxConnections, r.connectionTimeoutSec])).toEqual([
      ["*.google.com", 30, 10],
      ["*", 1000, 5400],
    ]);
    expect(json.rules[1]!.fieldPos.maxConnections).toMatchObject({ line: 5, column: 38, endColumn: 45 });
  });

  it("lower-cases masks and accepts an empty rule list", () => {
    expect(
      valueOf(parse(yaml("rules:", "  - mask: MTA?.AM0.Yahoodns.NET", "    maxConnections: 1", "    messagesPerHour: 1"))).rules[0]!.mask,
    ).toBe("mta?.am0.yahoodns.net");
    expect(valueOf(parse("rules: []\n")).rules).toEqual([]);
  });

  it.each([
    ['""', null],
    ['"3"', { from: 3, to: 3 }],
    ["3", { from: 3, to: 3 }],
    ['"1-4"', { from: 1, to: 4 }],
    ["2-2", { from: 2, to: 2 }],
    ["", null],
  ])("range %s", (written, range) => {
    expect(valueOf(parse(rule(`    range: ${written}`))).rules[0]!.range).toEqual(range);
  });
});

describe("parseMxRules: errors", () => {
  it("unknown key, with did-you-mean, at the key", () => {
    const error = onlyError(parse(rule("    messagesPerHr: 100")));
    expect(error).toMatchObject({
      line: 5,
      column: 5,
      message: 'unknown key "messagesPerHr"',
      hint: 'did you mean "messagesPerHour"?',
      found: '"messagesPerHr"',
    });
    expect(error.expected).toContain("maxMessagesPerConnection");
  });

  it("a misspelt required key gives one error, not also 'missing'", () => {
    expect(onlyError(parse(yaml("rule:", "  - mask: a")))).toMatchObject({
      line: 1,
      column: 1,
      message: 'unknown key "rule"',
      hint: 'did you mean "rules"?',
    });
    expect(onlyError(parse(yaml("rules:", "  - mask: a", "    maxConnection: 1", "    messagesPerHour: 1")))).toMatchObject({
      line: 3,
      column: 5,
      message: 'unknown key "maxConnection"',
      hint: 'did you mean "maxConnections"?',
    });
  });

  it("an unrelated unknown key does not hide a missing one", () => {
    const errors = errorsOf(parse(yaml("colour: red", "rules: []")));
    expect(errors.map((e) => e.message)).toEqual(['unknown key "colour"']);
    const both = errorsOf(parse(yaml("rules:", "  - mask: a", "    colour: red", "    messagesPerHour: 1")));
    expect(both.map((e) => e.message)).toEqual(['missing required key "maxConnections"', 'unknown key "colour"']);
  });

  it("unknown TLS value lists the three", () => {
    const error = onlyError(parse(rule("    tls: required")));
    expect(error).toMatchObject({ line: 5, column: 10, found: '"required"', expected: "one of default | disabled | opportunistic" });
  });

  it("accepts TLS in any case but not a misspelling", () => {
    expect(valueOf(parse(rule("    tls: DISABLED"))).rules[0]!.tls).toBe("disabled");
    expect(onlyError(parse(rule("    tls: oportunistic"))).hint).toBe('did you mean "opportunistic"?');
  });

  it("negative number", () => {
    const error = onlyError(parse(yaml("rules:", "  - mask: a", "    maxConnections: -3", "    messagesPerHour: 10")));
    expect(error).toMatchObject({ line: 3, column: 21, found: "-3", message: "a count cannot be negative (-3)" });
  });

  it.each(["maxConnections", "messagesPerHour", "maxMessagesPerConnection"])("%s: 0 would block everything", (key) => {
    const lines = ["rules:", "  - mask: a", "    maxConnections: 1", "    messagesPerHour: 1"].filter((l) => !l.includes(`${key}:`));
    const error = onlyError(parse(yaml(...lines, `    ${key}: 0`)));
    expect(error.message).toBe("0 is too small: the minimum is 1");
    expect(error.line).toBe(lines.length + 1);
    expect(error.hint).toContain("hold back every message");
  });

  it("wrong types", () => {
    const errors = errorsOf(
      parse(yaml("rules:", "  - mask: [a]", '    shared: "yes"', "    maxConnections: many", "    messagesPerHour: 1")),
    );
    expect(errors.map((e) => [e.line, e.column, e.message])).toEqual([
      [2, 11, "expected text"],
      [3, 13, "expected true or false"],
      [4, 21, '"many" is not a number'],
    ]);
  });

  it("rules must be a list of mappings", () => {
    expect(onlyError(parse("rules: 5\n"))).toMatchObject({ line: 1, column: 8, message: "expected a list, found 5" });
    expect(onlyError(parse(yaml("rules:", "  - just text")))).toMatchObject({
      line: 2,
      column: 5,
      message: 'expected a mapping (key: value), found "just text"',
    });
  });

  it("missing required keys point at the rule", () => {
    const errors = errorsOf(parse(yaml("rules:", "  - mask: a", "  - range: 1")));
    expect(errors.map((e) => [e.line, e.column, e.message])).toEqual([
      [2, 5, 'missing required key "maxConnections"'],
      [2, 5, 'missing required key "messagesPerHour"'],
      [3, 5, 'missing required key "mask"'],
      [3, 5, 'missing required key "maxConnections"'],
      [3, 5, 'missing required key "messagesPerHour"'],
    ]);
  });

  it("backwards or malformed range", () => {
    expect(onlyError(parse(rule('    range: "4-1"')))).toMatchObject({
      line: 5,
      column: 12,
      message: 'the range "4-1" runs backwards',
      hint: 'write "1-4"',
    });
    expect(onlyError(parse(rule("    range: a-b")))).toMatchObject({ line: 5, message: '"a-b" is not a publicId range' });
    expect(onlyError(parse(rule("    range: -1")))).toMatchObject({ line: 5, message: "-1 is not a publicId" });
  });

  it("durations need a unit", () => {
    const error = onlyError(parse(rule("    connectionTimeout: 10")));
    expect(error).toMatchObject({
      line: 5,
      column: 24,
      message: "a number without a unit",
      hint: 'write "10s" for seconds or "10m" for minutes',
    });
    expect(onlyError(parse(rule("    timeout: 0s"))).message).toBe("0s is too short: the minimum is 1s");
  });

  it("masks: host characters plus * and ?", () => {
    expect(onlyError(parse(yaml("rules:", '  - mask: "*.google.com/x"', "    maxConnections: 1", "    messagesPerHour: 1")))).toMatchObject(
      {
        line: 2,
        column: 11,
        message: '"*.google.com/x" contains "/", which cannot appear in an MX host name',
      },
    );
    expect(onlyError(parse(yaml("rules:", '  - mask: "  "', "    maxConnections: 1", "    messagesPerHour: 1"))).message).toBe(
      "the text is empty",
    );
  });

  it("malformed YAML", () => {
    expect(onlyError(parse(yaml("rules:", "  - mask: a", "   maxConnections: 1")))).toMatchObject({
      line: 3,
      column: 1,
      message: "YAML syntax error: Sequence item without - indicator",
    });
  });

  it("empty file", () => {
    expect(onlyError(parse(""))).toMatchObject({ line: 1, column: 1, message: "the file is empty" });
    expect(onlyError(parse("# only a comment\n"))).toMatchObject({ message: "the file is empty" });
  });

  it("reports errors from several rules in file order", () => {
    const errors = errorsOf(
      parse(
        yaml(
          "rules:",
          "  - mask: a",
          "    maxConnections: 1",
          "    messagesPerHour: 1",
          "    tls: x",
          "  - mask: b",
          "    maxConnections: 1,5",
          "    messagesPerHour: 1",
        ),
      ),
    );
    expect(errors.map((e) => e.line)).toEqual([5, 7]);
  });
});
