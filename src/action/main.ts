/**
 * MX Guard as a GitHub Action: the App's own handlers (`createApp(defaultEngine)`, the same review,
 * check run and sticky comment) fed with the workflow's event and authenticated with the workflow's
 * token. This replaces @probot/adapter-github-actions, whose npm releases still need Probot 13.
 *
 * Exit codes: 0 passed (or nothing to check), 1 the check failed and `fail-on-findings` is on,
 * 2 MX Guard could not run (missing settings, GitHub refused a request, or the run errored).
 */
import { appendFile, readFile } from "node:fs/promises";
import { Probot, ProbotOctokit, type Logger } from "probot";
import { defaultEngine, type Engine } from "../engine/index.js";
import { createApp, type AppOptions } from "../github/app.js";
import { CHECK_NAME, ERRORED_TITLE } from "../github/constants.js";
import { describeError } from "../github/errors.js";
import { PULL_REQUEST_EVENTS } from "../github/events.js";
import { CheckRunLedger, policyPath, recordCheckRuns } from "./octokit-plugins.js";
import { ActionSettingsError, expectedGraphqlUrl, readActionSettings, type ActionSettings } from "./settings.js";

export const EXIT_PASSED = 0;
export const EXIT_FAILED = 1;
export const EXIT_BROKEN = 2;

/** The title pipeline.ts gives a check run it had to complete because the run itself failed. */
export { ERRORED_TITLE };

/** Workflow events the Action handles; both carry a pull_request payload. */
export const SUPPORTED_EVENTS = ["pull_request", "pull_request_target"] as const;

export interface ActionResult {
  exitCode: 0 | 1 | 2;
  conclusion: string | null;
  checkRunId: number | null;
  /** One line for the job log. */
  message: string;
}

export interface ActionDeps {
  engine?: Engine;
  log?: Logger;
  app?: AppOptions;
  /** Extra Octokit options (tests switch Probot's request throttling off). */
  octokitOptions?: Record<string, unknown>;
  /** Where workflow commands (::error:: …) go; process.stdout by default. */
  write?: (text: string) => void;
}

interface Delivery {
  name: string;
  payload: Record<string, any>;
  /** `<event>.<action>` as the App names it in check run external ids. */
  eventKey: string;
}

type Json = Record<string, any>;

const PULL_REQUEST_ACTIONS: string[] = PULL_REQUEST_EVENTS.map((e) => e.slice("pull_request.".length));

/**
 * The webhook the App receives for this workflow event, or a reason to do nothing.
 * - pull_request_target carries the same payload as pull_request (fork pull requests get a token
 *   that can write the check); the App knows it as pull_request.
 * - A re-run of the workflow (GITHUB_RUN_ATTEMPT ≥ 2) is the Action's "Re-run" button: it becomes
 *   the check_run.rerequested event the App receives for that button, so the commit is simulated
 *   again instead of being skipped as already checked.
 */
export function toDelivery(settings: ActionSettings, event: Json): Delivery | { skip: string } {
  if (!(SUPPORTED_EVENTS as readonly string[]).includes(settings.eventName)) {
    return { skip: `MX Guard checks pull requests; the ${settings.eventName} event has nothing to check (use on: pull_request)` };
  }
  const action = String(event.action ?? "");
  const pr = event.pull_request as Json | undefined;
  if (!pr || typeof pr.number !== "number" || !pr.head?.sha || !pr.base?.sha) {
    return { skip: `the ${settings.eventName} event carries no pull request` };
  }
  if (!PULL_REQUEST_ACTIONS.includes(action)) {
    return { skip: `pull_request.${action} does not start a check (MX Guard runs on ${PULL_REQUEST_ACTIONS.join(", ")})` };
  }
  if (settings.runAttempt > 1) {
    const payload: Json = {
      action: "rerequested",
      check_run: {
        name: CHECK_NAME,
        head_sha: pr.head.sha,
        pull_requests: [
          {
            number: pr.number,
            head: { sha: pr.head.sha },
            base: { sha: pr.base.sha, repo: { id: pr.base.repo?.id ?? event.repository?.id } },
          },
        ],
      },
      repository: event.repository,
      sender: event.sender,
      ...(event.installation ? { installation: event.installation } : {}),
    };
    return { name: "check_run", payload, eventKey: "check_run.rerequested" };
  }
  return { name: "pull_request", payload: event, eventKey: `pull_request.${action}` };
}

/** Escapes text for a workflow command (::error::…), as the runner expects. */
export function escapeCommand(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function hint(error: unknown): string {
  const statuses = collectStatuses(error);
  if (statuses.includes(403) || statuses.includes(401)) {
    return (
      " The workflow token was refused: give the job `permissions: { checks: write, pull-requests: write, contents: read }`." +
      " Under `on: pull_request`, pull requests from forks only get a read-only token: use `pull_request_target` (docs/deploy.md)."
    );
  }
  return "";
}

function collectStatuses(error: unknown): number[] {
  if (error instanceof AggregateError) return error.errors.flatMap(collectStatuses);
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? [status] : [];
}

function firstError(error: unknown): unknown {
  return error instanceof AggregateError && error.errors.length > 0 ? firstError(error.errors[0]) : error;
}

export async function runAction(env: Record<string, string | undefined>, deps: ActionDeps = {}): Promise<ActionResult> {
  const write = deps.write ?? ((text: string) => void process.stdout.write(text));
  const finish = async (result: ActionResult, settings?: ActionSettings): Promise<ActionResult> => {
    const level = result.exitCode === EXIT_PASSED ? "notice" : "error";
    write(`::${level} title=${CHECK_NAME}::${escapeCommand(result.message)}\n`);
    if (settings?.outputFile) {
      await appendFile(settings.outputFile, `conclusion=${result.conclusion ?? ""}\ncheck-run-id=${result.checkRunId ?? ""}\n`);
    }
    if (settings?.summaryFile) {
      await appendFile(settings.summaryFile, `### ${CHECK_NAME}\n\n${result.message}\n`);
    }
    return result;
  };

  let settings: ActionSettings;
  let event: Json;
  try {
    settings = readActionSettings(env);
    event = JSON.parse(await readFile(settings.eventPath, "utf8")) as Json;
  } catch (error) {
    const cause = error instanceof ActionSettingsError ? error.message : `cannot read the event: ${describeError(error)}`;
    return finish({ exitCode: EXIT_BROKEN, conclusion: null, checkRunId: null, message: `MX Guard cannot start: ${cause}` });
  }

  if (settings.graphqlUrl !== expectedGraphqlUrl(settings.apiUrl)) {
    write(
      `::warning title=${CHECK_NAME}::${escapeCommand(`GraphQL requests go to ${expectedGraphqlUrl(settings.apiUrl)} (derived from GITHUB_API_URL), not to GITHUB_GRAPHQL_URL ${settings.graphqlUrl}`)}\n`,
    );
  }

  const delivery = toDelivery(settings, event);
  if ("skip" in delivery) {
    return finish({ exitCode: EXIT_PASSED, conclusion: null, checkRunId: null, message: `Nothing to do: ${delivery.skip}.` }, settings);
  }

  const ledger = new CheckRunLedger();
  const { apiUrl } = settings;
  const Octokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
    ...options,
    baseUrl: apiUrl,
    ...deps.octokitOptions,
  })).plugin(recordCheckRuns(ledger), policyPath(settings.policyPath));
  const probot = new Probot({
    githubToken: settings.token,
    Octokit,
    ...(deps.log ? { log: deps.log } : { logLevel: settings.logLevel as "info" }),
  });
  await probot.load(createApp(deps.engine ?? defaultEngine, deps.app));

  try {
    await probot.receive({ id: settings.runId, name: delivery.name, payload: delivery.payload } as Parameters<Probot["receive"]>[0]);
  } catch (error) {
    const cause = describeError(firstError(error));
    const run = ledger.completed.at(-1);
    return finish(
      { exitCode: EXIT_BROKEN, conclusion: run?.conclusion ?? null, checkRunId: run?.id ?? null, message: `MX Guard could not run: ${cause}.${hint(error)}` },
      settings,
    );
  }

  const verdict = ledger.verdict(delivery.eventKey);
  if (!verdict) {
    return finish({ exitCode: EXIT_PASSED, conclusion: null, checkRunId: null, message: "Nothing to do: no open pull request has this head commit." }, settings);
  }
  const link = checkRunLink(env, event, verdict.id);
  const said = `${verdict.title || CHECK_NAME} (${verdict.conclusion}${verdict.reused ? ", from an earlier run of this event" : ""})${link}`;
  if (!verdict.reused && verdict.title === ERRORED_TITLE) {
    return finish({ exitCode: EXIT_BROKEN, conclusion: verdict.conclusion, checkRunId: verdict.id, message: `${said}: see the check run for the cause.` }, settings);
  }
  const failed = verdict.conclusion === "failure";
  const exitCode = failed && settings.failOnFindings ? EXIT_FAILED : EXIT_PASSED;
  return finish({ exitCode, conclusion: verdict.conclusion, checkRunId: verdict.id, message: said }, settings);
}

function checkRunLink(env: Record<string, string | undefined>, event: Json, id: number): string {
  const server = (env.GITHUB_SERVER_URL || "https://github.com").replace(/\/+$/, "");
  const repository = env.GITHUB_REPOSITORY || event.repository?.full_name;
  return repository ? ` — ${server}/${repository}/runs/${id}` : "";
}

/** bin/mx-guard-action.js */
export async function main(): Promise<void> {
  const result = await runAction(process.env);
  process.exitCode = result.exitCode;
}
