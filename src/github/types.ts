/** The handles every GitHub module receives: one repository, a client for it, a logger. */
import type { Octokit } from "@octokit/rest";
import type { RunIdentity } from "./origin.js";

export interface RepoRef {
  owner: string;
  repo: string;
}

/**
 * What MX Guard asks of a GitHub client. Probot's `context.octokit` (the App: Probot's base URL,
 * installation auth, retry and throttling) and the @octokit/rest client of rest-client.ts (the
 * Action and `mx-guard review`) both are one.
 */
export type GitHubClient = Pick<Octokit, "rest" | "paginate" | "request" | "graphql" | "hook">;

/** The logging the GitHub modules do: a pino logger (Probot's) or console-log.ts. */
export interface Log {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface GitHub extends RepoRef {
  octokit: GitHubClient;
  log: Log;
  /** The App's id, when known (APP_ID): earlier runs of other apps are not this app's. */
  appId?: number;
  /** Action mode: the workflow run that posts; what it posts is stamped and checked (origin.ts). */
  origin?: RunIdentity;
}

/** The pull request a run is about (or a merge queue's group: `mergeGroup` set, `number` 0). */
export interface PullTarget {
  number: number;
  headSha: string;
  baseSha: string;
  draft: boolean;
  /** The base branch's tip when `baseSha` was moved to the merge base (merge-base.ts). */
  baseTipSha?: string;
  /** Why `baseSha` is still the base branch's tip: GitHub did not give the merge base. */
  mergeBaseUnknown?: string;
  /** A merge group's temporary branch: only the check run is posted (merge-group.ts). */
  mergeGroup?: { headRef: string };
}
