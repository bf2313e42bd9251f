/**
 * `mx-guard review --pull OWNER/REPO#N`: the App's pipeline (runForPullRequest) for CI systems
 * other than GitHub Actions. It posts the same "MX Guard" check run, review and summary comment,
 * through the client the Action uses (src/github/rest-client.ts), with the token in GITHUB_TOKEN.
 * Every call is an explicit request, so it always runs, like the check's Re-run button in the App.
 */
import { randomUUID } from "node:crypto";
import { defaultEngine, policyFromObject, type Engine } from "../engine/index.js";
import { CHECK_NAME } from "../github/constants.js";
import { consoleLog } from "../github/console-log.js";
import { describeError } from "../github/errors.js";
import { runForPullRequest, type RunOutcome } from "../github/pipeline.js";
import { POLICY_PATH, readPolicyFile, repositoryPath } from "../github/policy.js";
import { createRestClient, type RestClientOptions } from "../github/rest-client.js";
import type { GitHub } from "../github/types.js";
import { UsageError, type CliOptions } from "./args.js";
import type { Output } from "./output.js";

export const DEFAULT_API_URL = "https://api.github.com";

/** The event key in the check run's external id: `mx-guard:cli.review:<uuid>`. */
export const REVIEW_EVENT_KEY = "cli.review";

export interface ReviewDeps {
  env?: Record<string, string | undefined>;
  engine?: Engine;
  /** Client settings over the defaults (tests switch the write pacing off). */
  client?: Partial<Omit<RestClientOptions, "token" | "baseUrl" | "log">>;
}

/** 0 the check passed, 1 it failed (unless --exit-zero), 2 MX Guard could not complete it. */
export async function reviewCommand(options: CliOptions, out: Output, deps: ReviewDeps = {}): Promise<number> {
  const env = deps.env ?? process.env;
  const token = env.GITHUB_TOKEN?.trim();
  if (!token) {
    throw new UsageError("review needs a GitHub token in GITHUB_TOKEN (with checks: write, pull-requests: write and contents: read)");
  }
  const target = options.pull;
  if (!target) throw new UsageError("review needs --pull OWNER/REPO#N");
  const policyPath = options.config === null ? POLICY_PATH : repositoryPath(options.config);
  if (policyPath === null) throw new UsageError(`--config ${options.config}: expected a file path inside the repository`);

  const log = consoleLog(env.LOG_LEVEL?.trim() || "warn", out.stderr);
  const octokit = createRestClient({ token, baseUrl: options.apiUrl ?? DEFAULT_API_URL, log, ...deps.client });
  const gh: GitHub = { octokit, owner: target.owner, repo: target.repo, log };
  const where = `${target.owner}/${target.repo}#${target.number}`;
  let outcome: RunOutcome | null;
  try {
    const { data } = await octokit.rest.pulls.get({ owner: target.owner, repo: target.repo, pull_number: target.number });
    outcome =
      data.state !== "open"
        ? null
        : await runForPullRequest(
            { engine: deps.engine ?? defaultEngine, parsePolicy: policyFromObject },
            {
              gh,
              pull: { number: data.number, headSha: data.head.sha, baseSha: data.base.sha, draft: data.draft === true },
              eventKey: REVIEW_EVENT_KEY,
              deliveryId: randomUUID(),
              rerequest: true,
              mergeBase: true,
              readConfig: () => readPolicyFile(octokit, gh, policyPath),
            },
          );
  } catch (error) {
    out.stderr(`mx-guard: could not review ${where}: ${describeError(error)}\n`);
    return 2;
  }
  if (outcome === null) {
    out.stdout(`${where} is not open: nothing to check.\n`);
    return 0;
  }
  if (outcome.kind === "commit-gone") {
    out.stdout(`${where}: its head commit no longer exists (a newer push replaced it): nothing to check.\n`);
    return 0;
  }
  if (outcome.kind === "duplicate") {
    // Not reached with rerequest: true; kept so that every outcome has an exit code.
    out.stdout(`${where}: ${outcome.title || CHECK_NAME} (${outcome.conclusion}, from an earlier run); check run ${outcome.checkRunId}\n`);
    return outcome.conclusion === "failure" && !options.exitZero ? 1 : 0;
  }
  out.stdout(
    `${where}: ${outcome.title || CHECK_NAME} (${outcome.conclusion}); check run ${outcome.checkRunId}, review: ${outcome.review}, summary comment: ${outcome.sticky}\n`,
  );
  if (outcome.errored) return 2;
  return outcome.conclusion === "failure" && !options.exitZero ? 1 : 0;
}
