/** Directory trees as file maps: read the example Campaign repository, then derive a head from it. */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { FileTree } from "./state.js";

/** Every file under `dir` (recursively), keyed by its path relative to `dir` with "/" separators. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out[relative(dir, full).split(sep).join("/")] = readFileSync(full, "utf8");
    }
  };
  walk(dir);
  return out;
}

/**
 * `tree` with one exact, unique occurrence of `search` replaced in `path`. Throws when the text is
 * missing or ambiguous, so a scenario never silently edits nothing.
 */
export function replaceOnce(tree: FileTree, path: string, search: string | RegExp, replacement: string): Record<string, string> {
  const content = tree[path];
  if (content === undefined) throw new Error(`${path} is not in the tree`);
  const text = typeof content === "string" ? content : content.toString("utf8");
  const regex =
    typeof search === "string"
      ? new RegExp(search.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "g")
      : new RegExp(search.source, search.flags.includes("g") ? search.flags : `${search.flags}g`);
  const matches = [...text.matchAll(regex)];
  if (matches.length !== 1) throw new Error(`${path}: expected exactly one match for ${String(search)}, found ${matches.length}`);
  const match = matches[0];
  const at = match?.index ?? 0;
  const replaced = text.slice(0, at) + replacement + text.slice(at + (match?.[0].length ?? 0));
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tree)) out[key] = typeof value === "string" ? value : value.toString("utf8");
  out[path] = replaced;
  return out;
}

/** 1-based line number of the first line of `path` in `tree` that matches `pattern`. */
export function lineOf(tree: FileTree, path: string, pattern: string | RegExp): number {
  const content = tree[path];
  if (content === undefined) throw new Error(`${path} is not in the tree`);
  const lines = (typeof content === "string" ? content : content.toString("utf8")).split("\n");
  const index = lines.findIndex((line) => (typeof pattern === "string" ? line.includes(pattern) : pattern.test(line)));
  if (index < 0) throw new Error(`${path}: no line matches ${String(pattern)}`);
  return index + 1;
}

/**
 * Replaces the first `search` after the first line containing `anchor` in `path` (e.g. a field
 * of one rule: anchor `mask: "*.yahoodns.net"`, search `messagesPerHour: "20,000"`). Throws
 * when either is missing.
 */
export function replaceAfter(tree: FileTree, path: string, anchor: string, search: string, replacement: string): Record<string, string> {
  const content = tree[path];
  if (content === undefined) throw new Error(`${path} is not in the tree`);
  const text = typeof content === "string" ? content : content.toString("utf8");
  const from = text.indexOf(anchor);
  if (from < 0) throw new Error(`${path}: ${JSON.stringify(anchor)} not found`);
  const at = text.indexOf(search, from);
  if (at < 0) throw new Error(`${path}: ${JSON.stringify(search)} not found after ${JSON.stringify(anchor)}`);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tree)) out[key] = typeof value === "string" ? value : value.toString("utf8");
  out[path] = text.slice(0, at) + replacement + text.slice(at + search.length);
  return out;
}
