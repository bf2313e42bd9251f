/**
 * Action mode: every workflow's GITHUB_TOKEN posts as the same `github-actions[bot]`, so
 * `viewerDidAuthor` cannot tell MX Guard's comments from another workflow's (one that echoes pull
 * request text could plant a forged marker). There, MX Guard stamps what it posts with the workflow
 * run that posted it, and reads back only items whose run is a run of its own workflow file that was
 * going on when the item was posted or last edited (docs/deploy.md, "Who posts"). The check of
 * earlier runs is the Action's (src/action/own-runs.ts): the App needs none.
 */
import type { GitHub } from "./types.js";

/** Action mode: the run that posts, and how to tell whether an earlier run was one of this workflow's. */
export interface RunIdentity {
  /** GITHUB_RUN_ID of this run. */
  runId: string;
  /** True when run `runId` is a run of this workflow that was going on at `at` (src/action/own-runs.ts). */
  isOwnRun(runId: string, at: string | null): Promise<boolean>;
}

export function originMarker(runId: string): string {
  return `<!-- mx-guard:origin run=${runId} -->`;
}

const ORIGIN = /<!-- mx-guard:origin run=(\d+) -->/;
const ORIGIN_LINES = /\n*<!-- mx-guard:origin run=\d+ -->/g;

/** `body` stamped with the run that posts it (Action mode), unchanged otherwise. */
export function withOrigin(gh: GitHub, body: string): string {
  return gh.origin ? `${body.replace(ORIGIN_LINES, "")}\n${originMarker(gh.origin.runId)}` : body;
}

/** `body` without its origin stamp, to compare the text itself. */
export function withoutOrigin(body: string): string {
  return body.replace(ORIGIN_LINES, "");
}

export interface Stamped {
  body: string;
  /** When the item was posted or last edited (ISO), if GitHub says. */
  at: string | null;
}

/**
 * For each item: was it posted by a run of this workflow while that run was going on? Without a run
 * identity (the App: `viewerDidAuthor` is the App's own bot) every item is accepted.
 */
export async function postedByOwnWorkflow(gh: GitHub, items: Stamped[]): Promise<boolean[]> {
  const identity = gh.origin;
  if (!identity) return items.map(() => true);
  const result: boolean[] = [];
  for (const item of items) {
    const runId = ORIGIN.exec(item.body)?.[1];
    result.push(runId === undefined ? false : runId === identity.runId ? true : await identity.isOwnRun(runId, item.at));
  }
  return result;
}
