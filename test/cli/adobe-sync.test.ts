/** The mx-rules.yaml `source:` header and the adobe-sync-edit notice, through `mx-guard diff`. */
import { describe, expect, it } from "vitest";
import { runCli, scratchSpace } from "./helpers.js";

const { scratch } = scratchSpace();
const RULES = "campaign/mx-rules.yaml";

function withHeader(header: string) {
  return (text: string) => text.replace(/^rules:/m, `${header}\nrules:`);
}

/** Base and head copies of the example, both with `header`; `change` edits the head's rules. */
function sides(header: string, change: (text: string) => string = (text) => text) {
  const base = scratch();
  const head = scratch();
  base.edit(RULES, withHeader(header));
  head.edit(RULES, (text) => change(withHeader(header)(text)));
  return { base: base.dir, head: head.dir };
}

const lowerYahoo = (text: string) => text.replace('messagesPerHour: "20,000"', 'messagesPerHour: "16,000"');

async function syncFindings(base: string, head: string) {
  const { code, stdout, stderr } = await runCli(["diff", base, head, "--format", "json", "--exit-zero"]);
  expect(stderr).toBe("");
  expect(code).toBe(0);
  return JSON.parse(stdout).findings.filter((finding: { id: string }) => finding.id === "adobe-sync-edit");
}

describe("source: adobe-sync", () => {
  it("gives a pull request that edits a rule a notice on that rule: the next synchronisation overwrites it", async () => {
    const { base, head } = sides("source: adobe-sync\nlevel: normal\nsnapshotDate: 2026-11-20", lowerYahoo);
    const [finding, ...more] = await syncFindings(base, head);
    expect(more).toEqual([]);
    expect(finding).toMatchObject({ severity: "notice", status: "new", file: RULES, line: 23 });
    expect(finding.message).toContain('edits rule "*.yahoodns.net" (line 23)');
    expect(finding.message).toContain("(level normal), snapshot of 2026-11-20");
    expect(finding.message).toContain("next synchronisation overwrites this change unless the rule set is in Custom mode");
    const text = await runCli(["diff", base, head, "--exit-zero"]);
    expect(text.stdout).toMatch(/campaign\/mx-rules\.yaml:23-27\s+notice\s+adobe-sync-edit/);
  });

  it("names added, removed and reordered rules", async () => {
    const added = sides("source: adobe-sync", (text) =>
      text.replace(/^rules:\n/m, 'rules:\n  - mask: "mx.new.example"\n    maxConnections: 1\n    messagesPerHour: 100\n'),
    );
    const [add] = await syncFindings(added.base, added.head);
    expect(add.message).toContain('adds rule "mx.new.example" (line 5)');
    expect(add.line).toBe(5);

    const removed = sides("source: adobe-sync", (text) => text.replace(/ {2}- mask: "mx-aol\.\*"[\s\S]*?\n\n/, ""));
    const [remove] = await syncFindings(removed.base, removed.head);
    expect(remove.message).toContain('removes rule "mx-aol.*"');
    // Nothing to point at on the head: the notice sits on the `source:` line.
    expect(remove.line).toBe(3);

    const reordered = sides("source: adobe-sync", (text) => {
      const blocks = text.split("\n\n");
      [blocks[1], blocks[2]] = [blocks[2]!, blocks[1]!];
      return blocks.join("\n\n");
    });
    const [reorder] = await syncFindings(reordered.base, reordered.head);
    expect(reorder.message).toContain("reorders the rules");
  });

  it("says nothing when the rules are unchanged, the set is custom, or there is no header", async () => {
    const unchanged = sides("source: adobe-sync");
    expect(await syncFindings(unchanged.base, unchanged.head)).toEqual([]);
    const custom = sides("source: custom\nlevel: custom", lowerYahoo);
    expect(await syncFindings(custom.base, custom.head)).toEqual([]);
    const none = sides("", lowerYahoo);
    expect(await syncFindings(none.base, none.head)).toEqual([]);
  });

  it("refuses a header that contradicts itself, at its line and column", async () => {
    const copy = scratch();
    copy.edit(RULES, withHeader("source: adobe-sync\nlevel: custom"));
    const contradiction = await runCli(["simulate", copy.dir]);
    expect(contradiction.code).toBe(2);
    expect(contradiction.stderr).toContain(`${RULES}:4:8`);
    expect(contradiction.stderr).toContain("level: custom contradicts source: adobe-sync");

    copy.edit(RULES, (text) => text.replace("source: adobe-sync\nlevel: custom", "level: fast"));
    const orphan = await runCli(["simulate", copy.dir]);
    expect(orphan.code).toBe(2);
    expect(orphan.stderr).toContain("level describes where the rules come from, but the file has no source: header");

    copy.edit(RULES, (text) => text.replace("level: fast", "source: adobe-sync\nsnapshotDate: 2026-02-30"));
    const date = await runCli(["simulate", copy.dir]);
    expect(date.code).toBe(2);
    expect(date.stderr).toContain('"2026-02-30" is not a calendar date');
  });
});
