/**
 * The folder list is the data path (docs/architecture.md): a folder of src/ may import only from
 * itself and from the folders listed before it. This test reads every import afresh.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "../../src");

/** Bottom to top; the shells come last. */
const LAYERS = ["model", "catalog", "schema", "parse", "simulate", "review", "render", "engine", "io", "github", "action", "cli"] as const;
const RANK = new Map<string, number>(LAYERS.map((name, index) => [name, index]));
/** The shells do not import one another, except that the Action and the CLI drive the GitHub shell. */
const SHELL_EDGES = new Set(["action→github", "cli→github", "cli→io", "github→io"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"/gm)].map((m) => m[1]!);
  return specifiers.filter((s) => s.startsWith(".")).map((s) => relative(SRC, resolve(dirname(file), s)));
}

function folderOf(path: string): string {
  return path.split(/[\\/]/)[0]!;
}

describe("the import graph", () => {
  const files = sourceFiles(SRC);
  const edges = files.flatMap((file) => importsOf(file).map((target) => ({ from: relative(SRC, file), to: target })));

  it("reads the edges of every file (the test sees the real graph)", () => {
    expect(files.length).toBeGreaterThan(100);
    expect(edges.some((e) => e.from.startsWith("engine/") && e.to.startsWith("render/"))).toBe(true);
  });

  it("has every folder of src/ in the layer list", () => {
    const folders = new Set(
      files
        .map((f) => relative(SRC, f))
        .filter((p) => p.includes("/"))
        .map(folderOf),
    );
    expect([...folders].filter((f) => !RANK.has(f))).toEqual([]);
  });

  it("has no arrow pointing up the data path, and no arrow between shells but the allowed ones", () => {
    const wrong = edges.filter(({ from, to }) => {
      if (!from.includes("/")) return false; // src/index.ts, the Probot entry point, sits on top
      const a = folderOf(from);
      const b = folderOf(to);
      if (a === b) return false;
      const shells = RANK.get("io")!;
      if (RANK.get(a)! >= shells && RANK.get(b)! >= shells) return !SHELL_EDGES.has(`${a}→${b}`);
      return RANK.get(b)! > RANK.get(a)!;
    });
    expect(wrong.map(({ from, to }) => `${from} → ${to}`)).toEqual([]);
  });

  it("keeps the core's entry to itself: the shells reach the core through engine/ (and model/ types, render/ for printing)", () => {
    const core = new Set(["catalog", "schema", "parse", "simulate", "review"]);
    const shells = new Set(["io", "github", "action", "cli"]);
    const leaks = edges.filter(({ from, to }) => shells.has(folderOf(from)) && core.has(folderOf(to)));
    expect(leaks.map(({ from, to }) => `${from} → ${to}`)).toEqual([]);
  });
});
