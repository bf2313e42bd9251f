import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";

const ROOT = join(import.meta.dirname, "../..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");

/** Every `<!-- readme-check: ARGS -->` block: the command's arguments and the fenced text after it. */
function checkedBlocks(): { args: string[]; text: string }[] {
  const pattern = /<!-- readme-check: (.+?) -->\n(`{3,})\w*\n([\s\S]*?)\n\2\n/g;
  return [...README.matchAll(pattern)].map((match) => ({ args: match[1]!.split(" "), text: match[3]! }));
}

describe("the README's example output", () => {
  it("has the blocks this test checks", () => {
    expect(checkedBlocks().map((block) => block.args[0])).toEqual(["simulate", "diff"]);
  });

  it.each(checkedBlocks().map((block) => [block.args.join(" "), block] as const))(
    "is the real output of `mx-guard %s`",
    async (_, block) => {
      const args = block.args.map((arg) => (arg.startsWith("examples/") ? join(ROOT, arg) : arg));
      const { stdout } = await runCli(args);
      // A line "…" in the README marks lines left out; every excerpt between them is verbatim output.
      for (const excerpt of block.text.split("\n…\n")) expect(stdout).toContain(excerpt);
    },
  );
});
