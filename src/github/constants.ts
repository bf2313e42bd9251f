/** Names and GitHub limits the App layer relies on (docs/github-app.md#github-limits). */

/** The required check run's name: users make this exact string required in branch protection. */
export const CHECK_NAME = "MX Guard";

/** Title of a check run that MX Guard completed as a failure because it could not finish (the Action reads it). */
export const ERRORED_TITLE = "MX Guard could not finish";

/** Policy file under `.github/`, read from the default branch by `context.config`. */
export { POLICY_FILE } from "../model/config.js";

/** Prefix of every check run external_id we create: `mx-guard:<event>:<delivery id>`. */
export const EXTERNAL_ID_PREFIX = "mx-guard:";

/** Text sizes come from src/render/truncate.ts (MAX_BODY_CHARS…); these are the App's own limits. */
export const LIMITS = {
  annotationsPerRequest: 50,
  /** Safety cap on annotations per check run (20 PATCH requests); the summary says when it applies. */
  annotationsTotal: 1_000,
  /** GitHub lists at most 3,000 files for a pull request. */
  pullRequestFiles: 3_000,
} as const;
