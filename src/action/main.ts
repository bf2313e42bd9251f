/**
 * MX Guard as a GitHub Action: the App's pipeline (runForPullRequest: the same check run, review
 * and sticky comment) run on the workflow's pull request event, through an @octokit/rest client
 * (src/github/rest-client.ts) authenticated with the workflow's token. The job's exit code comes
 * from the outcome the pipeline returns. Around the pipeline: the report artifact linked from the
 * check run (report.ts) and where GitHub put the check run (check-suite.ts).
 *
 * Exit codes: 0 passed (or nothing to check), 1 the check failed and `fail-on-findings` is on,
 * 2 MX Guard could not run (missing settings, GitHub refused a request, or the run errored).
 */
import { appendFile, readFile } from "node:fs/promises";
import { defaultEngine, policyFromObject, type Engine } from "../engine/index.js";
import { CHECK_NAME, ERRORED_TITLE } from "../github/constants.js";
import { consoleLog } from "../github/console-log.js";
import { describeError } from "../github/errors.js";
import { PULL_REQUEST_EVENTS } from "../github/events.js";
import { runForPullRequest, type RunOutcome } from "../github/pipeline.js";
import { readPolicyFile } from "../github/policy.js";
import { createRestClient, type RestClientOptions } from "../github/rest-client.js";
import { fromMergeGroup, type MergeGroupPayload } from "../github/merge-group.js";
import { findPullForSha } from "../github/targets.js";
import type { GitHub, Log, PullTarget } from "../github/types.js";
import { foreignSuiteNote, trackCheckRuns, workflowRunUrl } from "./check-suite.js";
import { ownRuns, workflowPathOf } from "./own-runs.js";
import { reportingEngine, reportLink, uploadWithArtifactClient, type Report, type UploadReport } from "./report.js";
import { ActionSettingsError, expectedGraphqlUrl, readActionSettings, type ActionSettings } from "./settings.js";

const EXIT_PASSED = 0;
const EXIT_FAILED = 1;
const EXIT_BROKEN = 2;

/** The title pipeline.ts gives a check run it had to complete because the run itself failed. */
export { ERRORED_TITLE };

/** Workflow events the Action handles: the two carry a pull_request payload, merge_group a merge group. */
const SUPPORTED_EVENTS = ["pull_request", "pull_request_target", "merge_group"] as const;

export interface ActionResult {
  exitCode: 0 | 1 | 2;
  conclusion: string | null;
  checkRunId: number | null;
  /** One line for the job log. */
  message: string;
}

export interface ActionDeps {
  engine?: Engine;
  log?: Log;
  /** Client settings over the defaults (tests switch the write pacing off and make waits short). */
  client?: Partial<Omit<RestClientOptions, "token" | "baseUrl" | "log">>;
  /** Where workflow commands (::error:: …) go; process.stdout by default. */
  write?: (text: string) => void;
  /** Compare with the merge base (src/github/merge-base.ts); main() switches it on. */
  mergeBase?: boolean;
  /** Uploads the report file as an artifact (report.ts); @actions/artifact by default. */
  upload?: UploadReport;
  /** How long the upload may take (report.ts's UPLOAD_TIMEOUT_MS by default); tests shorten it. */
  uploadTimeoutMs?: number;
}

/** What the job summary and the step outputs carry besides the result. */
interface Extras {
  checkRunUrl?: (id: number) => string;
  report?: Report | null;
  notes?: string[];
}

/** The run this workflow event asks for. */
export interface ActionRun {
  owner: string;
  repo: string;
  repositoryId: number | undefined;
  pull: PullTarget;
  /** `<event>.<action>` as the App names it in check run external ids. */
  eventKey: string;
  /** A re-run of the workflow: runs even when this commit already has a completed check. */
  rerequest: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: the workflow's event payload is untyped JSON, read field by field
type Json = Record<string, any>;

const PULL_REQUEST_ACTIONS: string[] = PULL_REQUEST_EVENTS.map((e) => e.slice("pull_request.".length));

/**
 * The run for this workflow event, or a reason to do nothing.
 * - pull_request_target carries the same payload as pull_request (fork pull requests get a token
 *   that can write the check); the App knows it as pull_request.
 * - A re-run of the workflow (GITHUB_RUN_ATTEMPT ≥ 2) is the Action's "Re-run" button: like the
 *   check's Re-run in the App, the commit is simulated again instead of being skipped as checked.
 */
export function toRun(settings: ActionSettings, event: Json): ActionRun | { skip: string } {
  if (!(SUPPORTED_EVENTS as readonly string[]).includes(settings.eventName)) {
    return { skip: `MX Guard checks pull requests; the ${settings.eventName} event has nothing to check (use on: pull_request)` };
  }
  const action = String(event.action ?? "");
  if (settings.eventName === "merge_group") return mergeGroupRun(settings, event, action);
  const pr = event.pull_request as Json | undefined;
  if (!pr || typeof pr.number !== "number" || !pr.head?.sha || !pr.base?.sha) {
    return { skip: `the ${settings.eventName} event carries no pull request` };
  }
  const owner = event.repository?.owner?.login;
  const repo = event.repository?.name;
  if (typeof owner !== "string" || typeof repo !== "string") {
    return { skip: `the ${settings.eventName} event names no repository` };
  }
  if (!PULL_REQUEST_ACTIONS.includes(action)) {
    return { skip: `pull_request.${action} does not start a check (MX Guard runs on ${PULL_REQUEST_ACTIONS.join(", ")})` };
  }
  return {
    owner,
    repo,
    repositoryId: typeof event.repository?.id === "number" ? event.repository.id : undefined,
    pull: { number: pr.number, headSha: pr.head.sha, baseSha: pr.base.sha, draft: pr.draft === true },
    eventKey: `pull_request.${action}`,
    rerequest: settings.runAttempt > 1,
  };
}

/**
 * A merge queue's group (merge-group.ts): the check on the group's head commit against its base. A
 * re-run of the workflow checks the same group again.
 */
function mergeGroupRun(settings: ActionSettings, event: Json, action: string): ActionRun | { skip: string } {
  const group = event.merge_group as Json | undefined;
  const owner = event.repository?.owner?.login;
  const repo = event.repository?.name;
  if (action !== "checks_requested") return { skip: `merge_group.${action} does not start a check (MX Guard runs on checks_requested)` };
  if (!group || typeof group.head_sha !== "string" || typeof group.base_sha !== "string")
    return { skip: "the merge_group event carries no merge group" };
  if (typeof owner !== "string" || typeof repo !== "string") return { skip: "the merge_group event names no repository" };
  return {
    owner,
    repo,
    repositoryId: typeof event.repository?.id === "number" ? event.repository.id : undefined,
    pull: fromMergeGroup({
      head_sha: group.head_sha,
      base_sha: group.base_sha,
      head_ref: String(group.head_ref ?? ""),
    } satisfies MergeGroupPayload),
    eventKey: "merge_group.checks_requested",
    rerequest: settings.runAttempt > 1,
  };
}

/** Escapes text for a workflow command (::error::…), as the runner expects. */
export function escapeCommand(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function hint(error: unknown): string {
  const status = (error as { status?: unknown } | null)?.status;
  if (status === 403 || status === 401) {
    return (
      " The workflow token was refused: give the job `permissions: { checks: write, pull-requests: write, contents: read, actions: read }`." +
      " Under `on: pull_request`, pull requests from forks only get a read-only token: use `pull_request_target` (docs/deploy.md)."
    );
  }
  return "";
}

export async function runAction(env: Record<string, string | undefined>, deps: ActionDeps = {}): Promise<ActionResult> {
  const write = deps.write ?? ((text: string) => void process.stdout.write(text));
  const warn = (message: string) => write(`::warning title=${CHECK_NAME}::${escapeCommand(message)}\n`);
  const finish = async (result: ActionResult, settings?: ActionSettings, extras: Extras = {}): Promise<ActionResult> => {
    const level = result.exitCode === EXIT_PASSED ? "notice" : "error";
    write(`::${level} title=${CHECK_NAME}::${escapeCommand(result.message)}\n`);
    for (const note of extras.notes ?? []) warn(note);
    const reportUrl = extras.report?.url ?? "";
    if (settings?.outputFile) {
      const checkRunUrl = result.checkRunId === null || !extras.checkRunUrl ? "" : extras.checkRunUrl(result.checkRunId);
      await appendFile(
        settings.outputFile,
        `conclusion=${result.conclusion ?? ""}\ncheck-run-id=${result.checkRunId ?? ""}\ncheck-run-url=${checkRunUrl}\nreport-url=${reportUrl}\n`,
      );
    }
    if (settings?.summaryFile) {
      const lines = [`### ${CHECK_NAME}`, "", result.message];
      if (extras.report?.url) lines.push("", reportLink({ path: extras.report.path, url: extras.report.url }));
      for (const note of extras.notes ?? []) lines.push("", `> ${note}`);
      await appendFile(settings.summaryFile, `${lines.join("\n")}\n`);
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

  const run = toRun(settings, event);
  if ("skip" in run) {
    return finish({ exitCode: EXIT_PASSED, conclusion: null, checkRunId: null, message: `Nothing to do: ${run.skip}.` }, settings);
  }

  const log = deps.log ?? consoleLog(settings.logLevel, (line) => void process.stderr.write(line));
  const octokit = createRestClient({ token: settings.token, baseUrl: settings.apiUrl, log, ...deps.client });
  // Every workflow posts as github-actions[bot]: stamp and check posts with this run (origin.ts).
  const workflowPath = workflowPathOf(env.GITHUB_WORKFLOW_REF);
  if (!workflowPath) log.warn({}, "GITHUB_WORKFLOW_REF is not set: earlier comments are recognised by their author only");
  const base = { octokit, owner: run.owner, repo: run.repo, log };
  const gh: GitHub = workflowPath ? { ...base, origin: ownRuns(base, settings.runId, workflowPath) } : base;
  // The check run is created with this token, so it lands in a check suite of the Actions app (check-suite.ts).
  const repository = settings.repository ?? `${run.owner}/${run.repo}`;
  const createdRuns = trackCheckRuns(octokit, workflowRunUrl(settings.serverUrl, repository, settings.runId));
  let report: Report | null = null;
  const engine = settings.report
    ? reportingEngine(
        deps.engine ?? defaultEngine,
        {
          ...settings,
          env,
          repository,
          upload: deps.upload ?? uploadWithArtifactClient,
          log,
          warn,
          ...(deps.uploadTimeoutMs ? { uploadTimeoutMs: deps.uploadTimeoutMs } : {}),
        },
        (published) => {
          report = published;
        },
      )
    : (deps.engine ?? defaultEngine);
  let outcome: RunOutcome | null;
  try {
    outcome = await checkPullRequest(
      gh,
      run,
      settings,
      engine,
      () => readPolicyFile(octokit, gh, settings.policyPath),
      deps.mergeBase === true,
    );
  } catch (error) {
    return finish(
      {
        exitCode: EXIT_BROKEN,
        conclusion: null,
        checkRunId: null,
        message: `MX Guard could not run: ${describeError(error)}.${hint(error)}`,
      },
      settings,
    );
  }
  const link = checkRunLink(settings.serverUrl, repository);
  const created = createdRuns().at(-1);
  const note = created ? await foreignSuiteNote(base, settings.runId, created) : null;
  const result = resultOf(outcome, settings, link);
  const checkRunUrl = (id: number) => (created?.id === id && created.htmlUrl) || link(id).replace(/^ — /, "");
  return finish(result, settings, { checkRunUrl, report, notes: note ? [note] : [] });
}

/** Runs the pipeline; null when a re-run finds its pull request closed since. */
async function checkPullRequest(
  gh: GitHub,
  run: ActionRun,
  settings: ActionSettings,
  engine: Engine,
  readConfig: () => Promise<unknown>,
  mergeBase: boolean,
): Promise<RunOutcome | null> {
  let pull: PullTarget | null = run.pull;
  if (run.rerequest && !run.pull.mergeGroup) {
    const candidate = { number: run.pull.number, head: { sha: run.pull.headSha }, base: { sha: run.pull.baseSha } };
    pull = await findPullForSha(gh, run.pull.headSha, [candidate], run.repositoryId ?? 0);
    if (!pull) return null;
  }
  return runForPullRequest(
    { engine, parsePolicy: policyFromObject },
    { gh, pull, eventKey: run.eventKey, deliveryId: settings.runId, rerequest: run.rerequest, readConfig, mergeBase },
  );
}

/** The job's result for the pipeline's outcome. */
export function resultOf(
  outcome: RunOutcome | null,
  settings: Pick<ActionSettings, "failOnFindings">,
  link: (id: number) => string,
): ActionResult {
  if (outcome === null) {
    return {
      exitCode: EXIT_PASSED,
      conclusion: null,
      checkRunId: null,
      message: "Nothing to do: no open pull request has this head commit.",
    };
  }
  if (outcome.kind === "commit-gone") {
    return {
      exitCode: EXIT_PASSED,
      conclusion: null,
      checkRunId: null,
      message: "Nothing to do: the head commit no longer exists (a newer push replaced it).",
    };
  }
  const { checkRunId, conclusion } = outcome;
  const earlier = outcome.kind === "duplicate" ? ", from an earlier run of this event" : "";
  const said = `${outcome.title || CHECK_NAME} (${conclusion ?? "no conclusion"}${earlier})${link(checkRunId)}`;
  if (outcome.kind === "completed" && outcome.errored) {
    return { exitCode: EXIT_BROKEN, conclusion, checkRunId, message: `${said}: see the check run for the cause.` };
  }
  const exitCode = conclusion === "failure" && settings.failOnFindings ? EXIT_FAILED : EXIT_PASSED;
  return { exitCode, conclusion, checkRunId, message: said };
}

function checkRunLink(serverUrl: string, repository: string): (id: number) => string {
  return (id) => ` — ${serverUrl}/${repository}/runs/${id}`;
}

/** The Action's entry point (entry.ts, bundled into dist/index.js). */
export async function main(): Promise<void> {
  const result = await runAction(process.env, { mergeBase: true });
  process.exitCode = result.exitCode;
}
