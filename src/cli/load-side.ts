/**
 * Gathers one side's files for the engine: the policy, then every file it names.
 */
import type { FileSource } from "../io/file-source.js";
import type { FileMap } from "../model/source.js";
import type { Policy } from "../model/config.js";
import { ConfigError } from "../model/errors.js";
import { parsePolicy, watchedPaths } from "../engine/index.js";

export { POLICY_PATH as DEFAULT_POLICY_PATH } from "../model/config.js";

/** Reads and parses the policy; a missing file means every default applies. Bad policy → ConfigError. */
export async function loadPolicy(source: FileSource, path: string, required: boolean): Promise<Policy> {
  const text = await source.read(path);
  if (text === null && required) {
    throw new ConfigError([
      {
        file: path,
        line: 1,
        column: 1,
        found: "no such file",
        expected: "an mx-guard policy (mx-guard.yml)",
        message: `${path} does not exist`,
      },
    ]);
  }
  const parsed = parsePolicy(text, text === null ? null : path);
  if (!parsed.ok) throw new ConfigError(parsed.errors);
  return parsed.value;
}

export async function readFiles(source: FileSource, policy: Policy): Promise<FileMap> {
  const files: FileMap = {};
  for (const path of watchedPaths(policy)) files[path] = await source.read(path);
  return files;
}
