/**
 * Which earlier workflow runs were MX Guard's own (src/github/origin.ts): a run of the same workflow
 * file, read through the Actions API (`actions: read`), and going on when the item was posted or
 * last edited. One request per distinct run; a run that cannot be read proves nothing.
 */
import { describeError } from "../github/errors.js";
import type { RunIdentity } from "../github/origin.js";
import type { GitHub } from "../github/types.js";

/** Slack for clocks and for GitHub updating a run's `updated_at` after its last step. */
const SLACK_MS = 60_000;

/** "owner/repo/.github/workflows/x.yml@refs/heads/main" → ".github/workflows/x.yml". */
export function workflowPathOf(workflowRef: string | undefined): string | null {
  const match = /^[^/]+\/[^/]+\/(.+?)@/.exec(workflowRef ?? "");
  return match ? match[1]! : null;
}

export function ownRuns(gh: Omit<GitHub, "origin">, runId: string, workflowPath: string): RunIdentity {
  const windows = new Map<string, Promise<{ from: number; to: number } | null>>();
  const windowOf = async (id: string): Promise<{ from: number; to: number } | null> => {
    try {
      const { data } = await gh.octokit.rest.actions.getWorkflowRun({ owner: gh.owner, repo: gh.repo, run_id: Number(id) });
      if (data.path !== workflowPath) return null;
      const from = Date.parse(data.run_started_at ?? data.created_at);
      const to = Date.parse(data.updated_at);
      return Number.isFinite(from) && Number.isFinite(to) ? { from, to } : null;
    } catch (error) {
      gh.log.warn(
        { runId: id, cause: describeError(error) },
        "cannot read an earlier workflow run (does the job have actions: read?); its comments do not count as MX Guard's",
      );
      return null;
    }
  };
  return {
    runId,
    async isOwnRun(id, at) {
      if (!windows.has(id)) windows.set(id, windowOf(id));
      const window = await windows.get(id)!;
      const when = at ? Date.parse(at) : Number.NaN;
      return window !== null && Number.isFinite(when) && window.from - SLACK_MS <= when && when <= window.to + SLACK_MS;
    },
  };
}
