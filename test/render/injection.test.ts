/**
 * Pull request strings (delivery names, masks, domains, heloHosts) through every text and Markdown
 * output: nothing may start a workflow command, move the cursor, ping someone or link on the
 * author's behalf.
 */
import { afterEach, describe, expect, it } from "vitest";
import { escapeMd } from "../../src/render/format.js";
import { neutraliseTerminal, oneLine } from "../../src/render/plain-text.js";
import { copyExample, EXAMPLE, runCli } from "../cli/helpers.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

const HOSTILE_NAME = String.raw`"News\n::error file=campaign/mx-rules.yaml,line=1::forged\r\e[2K\u2028##[warning]legacy @octocat @acme/admins #12 acme/app#34 https://evil.example/x www.evil.example\u202e"`;

/** The example with a hostile delivery name, and a hostile heloHost in a HELO conflict (publicId 1 on two hosts). */
function hostileHead() {
  const copy = copyExample();
  cleanups.push(copy.cleanup);
  copy.edit("campaign/traffic.yaml", (text) => text.replace("name: Black Friday newsletter", `name: ${HOSTILE_NAME}`));
  copy.edit("campaign/serverConf.xml", (text) =>
    text.replace('publicId="2" heloHost="mta2.news.shop.example"', 'publicId="1" heloHost="mta2&#10;::warning::helo&#13;@octocat"'),
  );
  copy.edit("campaign/mx-rules.yaml", (text) => text.replace('messagesPerHour: "20,000"', 'messagesPerHour: "5,000"'));
  return copy.dir;
}

function expectSafeText(output: string): void {
  for (const line of output.split("\n")) {
    expect(line, JSON.stringify(line)).not.toMatch(/^\s*::/);
    expect(line, JSON.stringify(line)).not.toMatch(/^\s*##\[/);
  }
  expect(output).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
}

function expectSafeMarkdown(output: string): void {
  expect(output).not.toContain("\r");
  expect(output).not.toMatch(/[\u202a-\u202e]/);
  expect(output).not.toMatch(/@octocat|@acme\/admins/);
  expect(output).not.toMatch(/#12\b|acme\/app#34/);
  expect(output).not.toMatch(/https:\/\/evil|www\.evil/);
}

describe("hostile pull request strings", () => {
  it("text output: no workflow command, no control character, the strings still readable", async () => {
    const head = hostileHead();
    const diff = await runCli(["diff", EXAMPLE, head]);
    expect(diff.stdout).toContain("::error file=campaign/mx-rules.yaml,line=1::forged"); // shown, escaped inline
    expect(diff.stdout).toContain("\\u000a");
    expect(diff.stdout).toContain("\\u001b[2K");
    expectSafeText(diff.stdout);
    expectSafeText(diff.stderr);
    const simulate = await runCli(["simulate", head]);
    expect(simulate.stdout).toContain("mta2\\u000a::warning::helo");
    expectSafeText(simulate.stdout);
  });

  it("Markdown output: no lone CR, no mention, no reference, no autolink", async () => {
    const head = hostileHead();
    const diff = await runCli(["diff", EXAMPLE, head, "--format", "markdown"]);
    expect(diff.stdout).toContain("@&#8203;octocat");
    expectSafeMarkdown(diff.stdout);
    const simulate = await runCli(["simulate", head, "--format", "markdown"]);
    expectSafeMarkdown(simulate.stdout);
  });
});

describe("hostile masks and domains (refused by the parsers, quoted in the error)", () => {
  it("stay harmless in text and Markdown", async () => {
    const copy = copyExample();
    cleanups.push(copy.cleanup);
    copy.edit("campaign/mx-rules.yaml", (text) =>
      text.replace('mask: "*.gmx.net"', String.raw`mask: "*.gmx.net\n::error::mask\r\e[31m @octocat #7 https://evil.example"`),
    );
    copy.edit("campaign/traffic.yaml", (text) =>
      text.replace("laposte.net: 2%", String.raw`"laposte.net\n::error::domain @acme/admins acme/app#8": 2%`),
    );
    const text = await runCli(["diff", EXAMPLE, copy.dir]);
    expect(text.code).toBe(2);
    expect(text.stdout).toContain("::error::mask");
    expectSafeText(text.stdout);
    expectSafeText(text.stderr);
    const markdown = await runCli(["diff", EXAMPLE, copy.dir, "--format", "markdown"]);
    expect(markdown.stdout).toContain("::error::domain");
    expectSafeMarkdown(markdown.stdout);
  });
});

describe("escapeMd", () => {
  it("turns every line ending into a space, a lone CR too", () => {
    expect(escapeMd("a\rb\nc\r\nd\u2028e")).toBe("a b c d e");
  });

  it("breaks mentions, team mentions, references and bare links with a zero-width space", () => {
    expect(escapeMd("@octocat @org/team #1 o/r#2")).toBe("@&#8203;octocat @&#8203;org/team #&#8203;1 o/r#&#8203;2");
    expect(escapeMd("see https://x.example and www.x.example")).toBe("see https&#8203;://x.example and www&#8203;.x.example");
  });

  it("escapes & so an entity in a name cannot smuggle a mention back in", () => {
    const escaped = escapeMd("&#64;octocat &commat;octocat");
    expect(escaped).not.toMatch(/&#64;|&commat;/);
    expect(escaped.startsWith("&amp;#")).toBe(true);
  });
});

describe("plain text", () => {
  it("oneLine escapes line breaks and controls; neutraliseTerminal keeps lines but defuses commands", () => {
    expect(oneLine("a\nb\r\u001b[2K")).toBe("a\\u000ab\\u000d\\u001b[2K");
    expect(neutraliseTerminal("ok\n::error::x\n  ::add-mask::y\n##[group]z\n\u001b]8;;http://x\u0007\n")).toBe(
      "ok\n: :error::x\n  : :add-mask::y\n# #[group]z\n\\u001b]8;;http://x\\u0007\n",
    );
  });
});
