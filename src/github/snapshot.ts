/**
 * One GraphQL request for everything a run reads besides the file list: the watched files at the
 * base and head commits and, when something may be posted, mx-guard's earlier comments and reviews.
 */
import { blobQueryParts, blobsToFiles, type SideFiles } from "./fetch-files.js";
import { HISTORY_SELECTION, readHistory, type PrHistory, type PullRequestHistoryNode } from "./pr-history.js";
import type { GitHub, PullTarget } from "./types.js";

export interface Snapshot extends SideFiles {
  /** Null when the caller did not ask for it (nothing will be posted). */
  history: PrHistory | null;
}

/** Both commits, asked for alongside the files: a file missing at a commit that is gone is not "absent". */
const COMMIT_SELECTIONS = [
  "baseCommit: object(expression: $baseRev) { ... on Commit { oid } }",
  "headCommit: object(expression: $headRev) { ... on Commit { oid } }",
];

export async function fetchSnapshot(gh: GitHub, pull: PullTarget, paths: string[], withHistory: boolean): Promise<Snapshot> {
  const blobs = blobQueryParts(paths, pull.baseSha, pull.headSha);
  const defs = [
    "$owner: String!",
    "$name: String!",
    "$baseRev: String!",
    "$headRev: String!",
    ...(withHistory ? ["$number: Int!"] : []),
    ...blobs.variableDefs,
  ];
  const selections = [...COMMIT_SELECTIONS, ...blobs.selections, ...(withHistory ? [HISTORY_SELECTION] : [])];
  const query = `query MxGuardSnapshot(${defs.join(", ")}) {
  repository(owner: $owner, name: $name) {
    ${selections.join("\n    ")}
  }
}`;
  const variables: Record<string, unknown> = {
    owner: gh.owner,
    name: gh.repo,
    baseRev: pull.baseSha,
    headRev: pull.headSha,
    ...blobs.variables,
  };
  if (withHistory) variables.number = pull.number;
  const answer = await gh.octokit.graphql<{ repository: Record<string, unknown> | null }>(query, variables);
  if (!answer.repository) throw new Error(`repository ${gh.owner}/${gh.repo} was not found through GraphQL`);
  // GitHub answers null for an object that does not exist (a base branch force-pushed and collected).
  for (const side of ["base", "head"] as const) {
    if (answer.repository[`${side}Commit`] === null) {
      throw new Error(
        `the ${side} commit ${pull[`${side}Sha`].slice(0, 7)} of this pull request no longer exists in the repository ` +
          `(was the ${side === "base" ? "base" : "pull request's"} branch force-pushed?). Update the branch, then re-run this check`,
      );
    }
  }
  const files = await blobsToFiles(gh, paths, answer.repository, { base: pull.baseSha, head: pull.headSha });
  const history = withHistory
    ? await readHistory(gh, pull.number, (answer.repository.pullRequest ?? null) as PullRequestHistoryNode | null)
    : null;
  return { ...files, history };
}
