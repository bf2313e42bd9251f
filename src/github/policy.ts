/**
 * The policy comes from `.github/mx-guard.yml` on the default branch only, through Probot's
 * `context.config` (which follows `_extends` and falls back to the owner's `.github` repository):
 * a pull request can never switch off its own gate. No file → every default applies.
 */
import merge from "deepmerge";
import type { Policy } from "../model/config.js";
import { formatIssue, type Result } from "../model/errors.js";
import { POLICY_PATH } from "../model/config.js";
import type { RepoRef } from "./types.js";

export type PolicyParser = (obj: unknown, file: string | null) => Result<Policy>;

export { POLICY_PATH };

export async function loadPolicy(readConfig: () => Promise<unknown>, parse: PolicyParser): Promise<Result<Policy>> {
  const config = await readConfig();
  return config === null || config === undefined ? parse(null, null) : parse(config, POLICY_PATH);
}

/** The check run text for a policy that does not validate. */
export function policyErrorSummary(result: Extract<Result<Policy>, { ok: false }>): string {
  const issues = result.errors.map((issue) => `- \`${formatIssue(issue)}\``);
  return [
    `MX Guard could not use the policy \`${POLICY_PATH}\` on the default branch, so it did not simulate this pull request.`,
    "",
    ...issues,
    "",
    "Fix the policy on the default branch, then re-run this check.",
  ].join("\n");
}

/** What reading a policy file needs of a client: @probot/octokit-plugin-config's `config.get`. */
export interface ConfigReader {
  config: {
    get(options: {
      owner: string;
      repo: string;
      path: string;
      defaults?: (configs: Record<string, unknown>[]) => Record<string, unknown>;
    }): Promise<{ config: Record<string, unknown>; files: { config: unknown }[] }>;
  };
}

/**
 * The policy at `path` on the default branch, exactly as Probot's `context.config` reads it (the
 * same plugin, the same deep merge of `_extends` chains); null when no file exists.
 */
export async function readPolicyFile(octokit: ConfigReader, repo: RepoRef, path: string = POLICY_PATH): Promise<unknown> {
  const { config, files } = await octokit.config.get({
    owner: repo.owner,
    repo: repo.repo,
    path,
    defaults: (configs) => merge.all<Record<string, unknown>>([{}, ...configs]),
  });
  return files.some((file) => file.config !== null) ? config : null;
}

/** "/x/./y.yml" → "x/y.yml"; null for an empty path or one that leaves the repository. */
export function repositoryPath(raw: string): string | null {
  const segments = raw
    .trim()
    .replace(/\\/g, "/")
    .split("/")
    .filter((s) => s !== "" && s !== ".");
  return segments.length === 0 || segments.includes("..") ? null : segments.join("/");
}
