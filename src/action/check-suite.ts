/**
 * Where the Action's "MX Guard" check run lands (docs/deploy.md §2, "Which check suite").
 *
 * GitHub offers no way to pick the check suite of a new check run: one created with the workflow's
 * GITHUB_TOKEN goes into a check suite of the GitHub Actions app for the head commit, usually this
 * workflow run's own, but with several workflows on one commit it can be another workflow's (whose
 * Re-run then re-runs that workflow). So the Action
 * - creates the check run with the workflow's token (never another app's, whose suite is not a
 *   workflow's), with `details_url` set to this workflow run (GitHub may show its own link instead);
 * - reads back the suite GitHub chose and compares it with this workflow run's `check_suite_id`,
 *   and says so in the job log and summary when they differ.
 */
import { describeError } from "../github/errors.js";
import type { GitHub, GitHubClient } from "../github/types.js";

/** What GitHub answered when the check run was created. */
export interface CreatedCheckRun {
  id: number;
  htmlUrl: string | null;
  checkSuiteId: number | null;
}

/**
 * Sets `details_url` on every check run this client creates (unless set) and records what GitHub
 * answered. Returns the runs created so far.
 */
export function trackCheckRuns(octokit: GitHubClient, detailsUrl: string): () => CreatedCheckRun[] {
  const created: CreatedCheckRun[] = [];
  octokit.hook.wrap("request", async (request, options) => {
    const creates = options.method === "POST" && /\/repos\/[^/]+\/[^/]+\/check-runs$/.test(String(options.url));
    if (creates && options.details_url === undefined) options.details_url = detailsUrl;
    const response = await request(options);
    if (creates) {
      const data = response.data as { id?: unknown; html_url?: unknown; check_suite?: { id?: unknown } | null };
      if (typeof data?.id === "number") {
        created.push({
          id: data.id,
          htmlUrl: typeof data.html_url === "string" ? data.html_url : null,
          checkSuiteId: typeof data.check_suite?.id === "number" ? data.check_suite.id : null,
        });
      }
    }
    return response;
  });
  return () => [...created];
}

export function workflowRunUrl(serverUrl: string, repository: string, runId: string): string {
  return `${serverUrl}/${repository}/actions/runs/${runId}`;
}

/**
 * Null when the check run is in this workflow run's check suite (or that cannot be told: no
 * `actions: read`, GHES without the field); otherwise a sentence naming the workflow it went to.
 */
export async function foreignSuiteNote(gh: Omit<GitHub, "origin">, runId: string, run: CreatedCheckRun): Promise<string | null> {
  if (run.checkSuiteId === null) return null;
  try {
    const { data } = await gh.octokit.rest.actions.getWorkflowRun({ owner: gh.owner, repo: gh.repo, run_id: Number(runId) });
    const own = (data as { check_suite_id?: number }).check_suite_id;
    if (typeof own !== "number" || own === run.checkSuiteId) return null;
    const { data: other } = await gh.octokit.rest.actions.listWorkflowRunsForRepo({
      owner: gh.owner,
      repo: gh.repo,
      check_suite_id: run.checkSuiteId,
      per_page: 1,
    });
    const where = other.workflow_runs[0];
    const name = where ? `the "${where.name ?? where.path}" workflow run ${where.html_url}` : `check suite ${run.checkSuiteId}`;
    return (
      `GitHub attached the MX Guard check run to ${name}, not to this workflow run: GitHub picks the suite of a check run ` +
      "created with GITHUB_TOKEN. The verdict and the required check are the same; its Re-run button re-runs that workflow, so re-run this one instead."
    );
  } catch (error) {
    gh.log.debug({ cause: describeError(error) }, "cannot tell which check suite the check run went to (the job lacks actions: read?)");
    return null;
  }
}
