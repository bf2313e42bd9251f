import { describe, expect, it } from "vitest";
import { groupDigits } from "../../src/model/format.js";
import { parseMxRules } from "../../src/parse/mx-rules.js";
import { applySuggestion, commentStart, editRuleText, findValue, formatLike } from "../../src/review/rule-text.js";

const FILE = [
  "rules:",
  '  - mask: "*.google.com"   # Gmail # and Workspace',
  "    shared: true",
  "    maxConnections: 30",
  '    messagesPerHour: "60,000"   # as the console shows it',
  "    tls: default",
  "",
  '  - mask: "*"',
  "    messagesPerHour: 5000",
  "    # trailing comment",
  "",
].join("\n");

describe("editRuleText", () => {
  it("changes only the value, keeping quotes, thousands separators and comments", () => {
    const out = editRuleText(FILE, { line: 2, endLine: 6 }, { messagesPerHour: 140_000 });
    expect(out).toBe(
      [
        '  - mask: "*.google.com"   # Gmail # and Workspace',
        "    shared: true",
        "    maxConnections: 30",
        '    messagesPerHour: "140,000"   # as the console shows it',
        "    tls: default",
      ].join("\n"),
    );
  });

  it("changes several values at once and replaces the tls line", () => {
    const out = editRuleText(FILE, { line: 2, endLine: 6 }, { maxConnections: 45, tls: "opportunistic" })!;
    expect(out.split("\n")[2]).toBe("    maxConnections: 45");
    expect(out.split("\n")[4]).toBe("    tls: opportunistic");
  });

  it("adds a missing key with the rule's indentation, after the last key and before trailing comments", () => {
    const out = editRuleText(FILE, { line: 8, endLine: 10 }, { tls: "opportunistic" });
    expect(out).toBe(['  - mask: "*"', "    messagesPerHour: 5000", "    tls: opportunistic", "    # trailing comment"].join("\n"));
  });

  it("adds a key to a one-line block item with the indentation of its first key", () => {
    const out = editRuleText("rules:\n  - mask: x\n", { line: 2, endLine: 2 }, { tls: "opportunistic" });
    expect(out).toBe("  - mask: x\n    tls: opportunistic");
  });

  it("does not touch a key that only appears in a comment or as part of a longer key", () => {
    const text = ["  - mask: a  # messagesPerHour: 1", "    maxMessagesPerConnection: 20", "    messagesPerHour: 7"].join("\n");
    const out = editRuleText(text, { line: 1, endLine: 3 }, { messagesPerHour: 9 })!;
    expect(out.split("\n")).toEqual(["  - mask: a  # messagesPerHour: 1", "    maxMessagesPerConnection: 20", "    messagesPerHour: 9"]);
  });

  it("edits JSON (flow style): quoted keys, values before commas and braces", () => {
    const text = ['{"rules": [', '  {"mask": "*", "messagesPerHour": 5000, "maxConnections": 3}', "]}"].join("\n");
    expect(editRuleText(text, { line: 2, endLine: 2 }, { messagesPerHour: 12_000 })).toBe(
      '  {"mask": "*", "messagesPerHour": 12000, "maxConnections": 3}',
    );
    expect(editRuleText(text, { line: 2, endLine: 2 }, { tls: "opportunistic" })).toBe(
      '  {"mask": "*", "messagesPerHour": 5000, "maxConnections": 3, "tls": "opportunistic"}',
    );
  });

  it("returns null for lines outside the file", () => {
    expect(editRuleText(FILE, { line: 40, endLine: 42 }, { tls: "opportunistic" })).toBeNull();
  });
});

describe("helpers", () => {
  it("groupDigits and formatLike", () => {
    expect(groupDigits(1_234_567)).toBe("1,234,567");
    expect(groupDigits(999)).toBe("999");
    expect(formatLike("1,200", 14000)).toBe("14,000");
    expect(formatLike("1_200", 14000)).toBe("14_000");
    expect(formatLike("1200", 14000)).toBe("14000");
  });

  it("commentStart ignores # inside quotes and without a preceding space", () => {
    expect(commentStart('mask: "a # b"  # c')).toBe(15);
    expect(commentStart("mask: a#b")).toBe(-1);
  });

  it("findValue locates quoted and plain values", () => {
    expect(findValue('    messagesPerHour: "1,200" # x', "messagesPerHour", false)).toMatchObject({ quote: '"', content: "1,200" });
    expect(findValue("    messagesPerHour: 1,200 # x", "messagesPerHour", false)).toMatchObject({ quote: "", content: "1,200" });
    expect(findValue("    connectionTimeout: 10s", "timeout", false)).toBeNull();
  });

  it("applySuggestion replaces exactly line..endLine and keeps CRLF", () => {
    expect(applySuggestion("a\nb\nc\nd", 2, 3, "X\nY\nZ")).toBe("a\nX\nY\nZ\nd");
    expect(applySuggestion("a\r\nb\r\nc", 2, 2, "B")).toBe("a\r\nB\r\nc");
  });
});

describe("editRuleText: values not on the key's line (the edited file must parse again)", () => {
  const check = (text: string) => {
    const parsedBefore = parseMxRules(text, "campaign/mx-rules.yaml");
    expect(parsedBefore.ok).toBe(true);
    const rule = parsedBefore.ok ? parsedBefore.value.rules[0]! : null;
    const replacement = editRuleText(text, rule!.span, { messagesPerHour: 12_000, maxConnections: 40 });
    expect(replacement).not.toBeNull();
    const applied = applySuggestion(text, rule!.span.line, rule!.span.endLine, replacement!);
    const parsed = parseMxRules(applied, "campaign/mx-rules.yaml");
    expect(parsed.ok, applied).toBe(true);
    if (parsed.ok) expect(parsed.value.rules[0]).toMatchObject({ messagesPerHour: 12_000, maxConnections: 40 });
    return applied;
  };

  it("a value on the next line is replaced there, keeping its quotes and separators", () => {
    const text = ["rules:", '  - mask: "*.yahoodns.net"', "    maxConnections: 10", "    messagesPerHour:", '      "8,000"', ""].join("\n");
    const applied = check(text);
    expect(applied).toContain('    messagesPerHour:\n      "12,000"');
  });

  it("the explicit-key form `? key` / `: value` is edited in place, not duplicated", () => {
    const text = ["rules:", '  - mask: "*.yahoodns.net"', "    maxConnections: 10", "    ? messagesPerHour", '    : "8,000"', ""].join(
      "\n",
    );
    const applied = check(text);
    expect(applied).toContain('    ? messagesPerHour\n    : "12,000"');
    expect(applied.match(/messagesPerHour/g)).toHaveLength(1);
  });
});
