/**
 * What the GitHub Action reads from its environment: the runner's GITHUB_* variables and the
 * action's inputs. For a JavaScript action the runner exports every input, with its default, as
 * INPUT_<NAME>: the name upper-cased, spaces turned into underscores, hyphens kept
 * (`github-token` → `INPUT_GITHUB-TOKEN`), as @actions/core's getInput reads them.
 */
import { POLICY_PATH, repositoryPath } from "../github/policy.js";

/** The variable the runner sets for an input of a JavaScript action. */
export function inputEnvName(input: string): string {
  return `INPUT_${input.replace(/ /g, "_").toUpperCase()}`;
}

/** action.yml input → the variable the runner sets for it (test/deploy checks both sides agree). */
export const ACTION_INPUT_ENV = {
  "github-token": "INPUT_GITHUB-TOKEN",
  config: "INPUT_CONFIG",
  "fail-on-findings": "INPUT_FAIL-ON-FINDINGS",
  report: "INPUT_REPORT",
} as const;

export interface ActionSettings {
  token: string;
  /** GITHUB_EVENT_NAME, e.g. "pull_request". */
  eventName: string;
  eventPath: string;
  runId: string;
  /** GITHUB_RUN_ATTEMPT: 2 and more for a re-run of the workflow. */
  runAttempt: number;
  /** REST root: https://api.github.com, or https://HOST/api/v3 on GitHub Enterprise Server. */
  apiUrl: string;
  /** GITHUB_GRAPHQL_URL as the runner gives it; Octokit derives the same URL from apiUrl. */
  graphqlUrl: string;
  /** Repository path of the policy file, read from the default branch. */
  policyPath: string;
  failOnFindings: boolean;
  /** Write the report file and, inside Actions, upload it as an artifact (report.ts). */
  report: boolean;
  /** https://github.com or the GHES host: where the web pages of runs and artifacts are. */
  serverUrl: string;
  /** GITHUB_REPOSITORY, "owner/repo", when the runner sets it. */
  repository: string | undefined;
  /** Where the report file is written: RUNNER_TEMP, else the system's temporary folder. */
  tempDir: string | undefined;
  /** Files the runner collects step outputs and the job summary from, when set. */
  outputFile: string | undefined;
  summaryFile: string | undefined;
  logLevel: string;
}

export class ActionSettingsError extends Error {}

type Env = Record<string, string | undefined>;

function required(env: Env, name: string, hint: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ActionSettingsError(`${name} is not set: ${hint}`);
  return value;
}

/** GitHub's boolean inputs arrive as strings; anything but these is a mistake worth stopping for. */
export function parseBooleanInput(name: string, raw: string | undefined, fallback: boolean): boolean {
  const value = (raw ?? "").trim().toLowerCase();
  if (value === "") return fallback;
  if (["true", "yes", "1", "on"].includes(value)) return true;
  if (["false", "no", "0", "off"].includes(value)) return false;
  throw new ActionSettingsError(`input ${name} must be true or false, not "${raw}"`);
}

/** "/x/./y.yml" → "x/y.yml"; refuses paths that leave the repository. */
export function normalizePolicyPath(raw: string | undefined): string {
  const value = (raw ?? "").trim();
  if (value === "") return POLICY_PATH;
  const path = repositoryPath(value);
  if (path === null) throw new ActionSettingsError(`input config must be a file path inside the repository, not "${raw}"`);
  return path;
}

export function readActionSettings(env: Env): ActionSettings {
  const outsideActions = "is this running inside a GitHub Actions job?";
  const token = env[ACTION_INPUT_ENV["github-token"]]?.trim() || env.GITHUB_TOKEN?.trim();
  if (!token) {
    throw new ActionSettingsError(`no GitHub token: set the github-token input (its default is \${{ github.token }}) or GITHUB_TOKEN`);
  }
  const apiUrl = (env.GITHUB_API_URL?.trim() || "https://api.github.com").replace(/\/+$/, "");
  const attempt = Number(env.GITHUB_RUN_ATTEMPT ?? "1");
  return {
    token,
    eventName: required(env, "GITHUB_EVENT_NAME", outsideActions),
    eventPath: required(env, "GITHUB_EVENT_PATH", outsideActions),
    runId: required(env, "GITHUB_RUN_ID", outsideActions),
    runAttempt: Number.isInteger(attempt) && attempt >= 1 ? attempt : 1,
    apiUrl,
    graphqlUrl: env.GITHUB_GRAPHQL_URL?.trim() || expectedGraphqlUrl(apiUrl),
    policyPath: normalizePolicyPath(env[ACTION_INPUT_ENV.config]),
    failOnFindings: parseBooleanInput("fail-on-findings", env[ACTION_INPUT_ENV["fail-on-findings"]], true),
    report: parseBooleanInput("report", env[ACTION_INPUT_ENV.report], true),
    serverUrl: (env.GITHUB_SERVER_URL?.trim() || "https://github.com").replace(/\/+$/, ""),
    repository: env.GITHUB_REPOSITORY?.trim() || undefined,
    tempDir: env.RUNNER_TEMP?.trim() || undefined,
    outputFile: env.GITHUB_OUTPUT?.trim() || undefined,
    summaryFile: env.GITHUB_STEP_SUMMARY?.trim() || undefined,
    logLevel: env.LOG_LEVEL?.trim() || (env.RUNNER_DEBUG === "1" ? "debug" : "info"),
  };
}

/**
 * The GraphQL endpoint Octokit uses for a REST root: `/graphql` on github.com, `/api/graphql` for a
 * GitHub Enterprise Server root ending in `/api/v3` (@octokit/graphql's own rule).
 */
export function expectedGraphqlUrl(apiUrl: string): string {
  return /\/api\/v3$/.test(apiUrl) ? apiUrl.replace(/\/api\/v3$/, "/api/graphql") : `${apiUrl}/graphql`;
}
