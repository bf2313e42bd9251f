/** Every finding of the catalogue is documented where users look: the README's table and docs/contract.md. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FINDING_IDS } from "../../src/model/catalogue.js";

const ROOT = join(import.meta.dirname, "../..");
const rowsOf = (file: string) => new Set([...readFileSync(join(ROOT, file), "utf8").matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]!));

describe("the finding catalogue", () => {
  it.each(["README.md", "docs/contract.md"])("has a table row for every finding id in %s", (file) => {
    const rows = rowsOf(file);
    expect(FINDING_IDS.filter((id) => !rows.has(id))).toEqual([]);
  });
});
