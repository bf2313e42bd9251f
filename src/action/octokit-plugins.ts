/**
 * Two small Octokit plugins the Action adds to Probot's client. The App's code runs unchanged; the
 * plugins only watch its requests (to learn the check run's verdict for the job's exit code) and,
 * when the `config` input names another file, point the policy read at it.
 */
import { EXTERNAL_ID_PREFIX } from "../github/constants.js";
import { POLICY_PATH } from "../github/policy.js";

export type Conclusion = string;

export interface CompletedRun {
  id: number;
  conclusion: Conclusion;
  title: string;
}

interface ListedRun {
  id: number;
  status: string;
  conclusion: Conclusion | null;
  external_id: string | null;
  output?: { title?: string | null };
}

/** What the App did to its check runs during one event. */
export class CheckRunLedger {
  /** Runs the App completed (PATCH … status: completed), in order. */
  readonly completed: CompletedRun[] = [];
  /** Runs GitHub listed for the head commit when the App looked for an earlier one. */
  readonly listed: ListedRun[] = [];

  /**
   * The run that carries this event's verdict: the one the App completed, or else the completed run
   * from an earlier delivery of the same event that made the App skip (see check-run.ts).
   */
  verdict(eventKey: string): (CompletedRun & { reused: boolean }) | null {
    const last = this.completed.at(-1);
    if (last) return { ...last, reused: false };
    const prefix = `${EXTERNAL_ID_PREFIX}${eventKey}:`;
    const earlier = this.listed.find((r) => r.status === "completed" && (r.external_id ?? "").startsWith(prefix));
    if (!earlier || earlier.conclusion === null) return null;
    return { id: earlier.id, conclusion: earlier.conclusion, title: earlier.output?.title ?? "", reused: true };
  }
}

type RequestOptions = { method?: string; url?: string } & Record<string, unknown>;
interface HookedOctokit {
  hook: {
    after: (name: "request", hook: (response: { data: unknown }, options: RequestOptions) => void) => void;
  };
}

const UPDATE_ROUTE = "/repos/{owner}/{repo}/check-runs/{check_run_id}";
const LIST_ROUTE = "/repos/{owner}/{repo}/commits/{ref}/check-runs";

export function recordCheckRuns(ledger: CheckRunLedger) {
  return (octokit: object): void => {
    (octokit as HookedOctokit).hook.after("request", (response, options) => {
      if (options.method === "PATCH" && options.url === UPDATE_ROUTE && options.status === "completed") {
        const output = (options.output ?? {}) as { title?: unknown };
        ledger.completed.push({
          id: Number(options.check_run_id),
          conclusion: String(options.conclusion),
          title: typeof output.title === "string" ? output.title : "",
        });
      } else if (options.method === "GET" && options.url === LIST_ROUTE) {
        const runs = (response.data as { check_runs?: ListedRun[] } | null)?.check_runs ?? [];
        ledger.listed.push(...runs);
      }
    });
  };
}

interface ConfigOctokit {
  config: { get: (options: { path: string } & Record<string, unknown>) => Promise<unknown> };
}

/**
 * Reads the policy from `path` instead of `.github/mx-guard.yml`. Probot's `context.config` still
 * does the reading, so it stays on the default branch and keeps `_extends` and the owner's
 * `.github` repository fallback.
 */
export function policyPath(path: string) {
  return (octokit: object) => {
    if (path === POLICY_PATH) return {};
    const original = (octokit as ConfigOctokit).config;
    return {
      config: {
        ...original,
        get: (options: { path: string } & Record<string, unknown>) =>
          original.get(options.path === POLICY_PATH ? { ...options, path } : options),
      },
    };
  };
}
