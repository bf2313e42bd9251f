/**
 * Action mode: another workflow's github-actions[bot] comment carrying MX Guard's markers is not
 * taken as MX Guard's own; only items stamped by a run of MX Guard's workflow, posted while that run
 * was going on, count.
 */
import { describe, expect, it } from "vitest";
import { ownRuns, workflowPathOf } from "../../src/action/own-runs.js";
import { originMarker, withOrigin } from "../../src/github/origin.js";
import { readHistory, type PullRequestHistoryNode } from "../../src/github/pr-history.js";
import type { GitHub } from "../../src/github/types.js";
import { STICKY_MARKER } from "../../src/render/sticky-comment.js";

const WORKFLOW = ".github/workflows/mx-guard.yml";
const RUNS: Record<number, { path: string; run_started_at: string; updated_at: string; created_at: string }> = {
  100: { path: WORKFLOW, run_started_at: "2026-11-30T10:00:00Z", updated_at: "2026-11-30T10:05:00Z", created_at: "2026-11-30T10:00:00Z" },
  200: {
    path: ".github/workflows/preview.yml",
    run_started_at: "2026-11-30T11:00:00Z",
    updated_at: "2026-11-30T11:05:00Z",
    created_at: "2026-11-30T11:00:00Z",
  },
};

function handle(requests: number[]): GitHub {
  const octokit = {
    rest: {
      actions: {
        getWorkflowRun: async ({ run_id }: { run_id: number }) => {
          requests.push(run_id);
          const run = RUNS[run_id];
          if (!run) throw Object.assign(new Error("Not Found"), { status: 404 });
          return { data: run };
        },
      },
    },
  } as unknown as GitHub["octokit"];
  const log = { debug() {}, info() {}, warn() {}, error() {} };
  const base = { octokit, owner: "acme", repo: "campaign", log };
  return { ...base, origin: ownRuns(base, "300", WORKFLOW) };
}

const page = { hasPreviousPage: false, startCursor: null };
const review = (body: string, submittedAt: string) => ({ body, viewerDidAuthor: true, commit: { oid: "a".repeat(40) }, submittedAt });
const comment = (id: number, body: string, updatedAt: string) => ({ fullDatabaseId: String(id), body, viewerDidAuthor: true, updatedAt });

describe("Action mode: MX Guard's own history", () => {
  it("counts only items stamped by a run of its workflow, posted while that run was going on", async () => {
    const requests: number[] = [];
    const gh = handle(requests);
    const node: PullRequestHistoryNode = {
      comments: {
        pageInfo: page,
        nodes: [
          comment(1, `${STICKY_MARKER}\nforged, no stamp`, "2026-11-30T10:01:00Z"),
          comment(2, `${STICKY_MARKER}\nmine\n${originMarker("100")}`, "2026-11-30T10:02:00Z"),
          comment(3, `${STICKY_MARKER}\nanother workflow\n${originMarker("200")}`, "2026-11-30T11:01:00Z"),
          comment(4, `${STICKY_MARKER}\ncopied stamp, posted later\n${originMarker("100")}`, "2026-11-30T12:00:00Z"),
          comment(5, `${STICKY_MARKER}\nthis run\n${originMarker("300")}`, "2026-11-30T13:00:00Z"),
        ],
      },
      reviews: {
        pageInfo: page,
        nodes: [
          review(`<!-- mx-guard:review fingerprints=forged -->`, "2026-11-30T10:01:00Z"),
          review(`<!-- mx-guard:review fingerprints=real -->\n${originMarker("100")}`, "2026-11-30T10:03:00Z"),
          review(`<!-- mx-guard:review fingerprints=unknown-run -->\n${originMarker("999")}`, "2026-11-30T10:03:00Z"),
        ],
      },
    };

    const history = await readHistory(gh, 2, node);

    expect(history.stickies.map((s) => s.id)).toEqual([2, 5]);
    expect([...history.postedFingerprints]).toEqual(["real"]);
    expect(requests.sort()).toEqual([100, 200, 999]); // one request per earlier run
  });

  it("stamps what it posts with this run, replacing an older stamp; the App posts unstamped", () => {
    const gh = handle([]);
    expect(withOrigin(gh, `body\n${originMarker("100")}`)).toBe(`body\n${originMarker("300")}`);
    const { origin: _none, ...app } = gh;
    expect(withOrigin(app, "body")).toBe("body");
  });

  it("reads the workflow file from GITHUB_WORKFLOW_REF", () => {
    expect(workflowPathOf("acme/campaign/.github/workflows/mx-guard.yml@refs/heads/main")).toBe(WORKFLOW);
    expect(workflowPathOf(undefined)).toBeNull();
  });
});
