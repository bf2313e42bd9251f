/** The handles every GitHub module receives: one repository, its installation's client, a logger. */
import type { Logger, ProbotOctokit } from "probot";

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface GitHub extends RepoRef {
  /** Always `context.octokit`: it carries Probot's base URL (GHE_HOST), auth, retry and throttling. */
  octokit: ProbotOctokit;
  log: Logger;
}

/** The pull request a run is about. */
export interface PullTarget {
  number: number;
  headSha: string;
  baseSha: string;
  draft: boolean;
}
