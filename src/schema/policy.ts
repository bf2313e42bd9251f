/**
 * .github/mx-guard.yml — the bot's policy, README.md#configuration-reference. Read from the default branch only.
 */
import * as z from "zod";
import { DEFAULT_FAIL_ON, FINDING_IDS } from "../model/catalogue.js";
import { bad, good, type UnitResult } from "./units.js";
import { schemaRef } from "./common.js";
import { bool, count, field, list, oneOf, text } from "./fields.js";

export const COMMENT_MODES = ["update", "new", "hide-and-new", "delete-and-new", "off"] as const;
export const DEFAULT_INSTANCE = "default";
export const INSTANCE_NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.-]*$";

const PATH_EXPECTED = "a repository-relative path such as campaign/serverConf.xml";

/** Repository-relative, no "..", no leading "/"; a leading "./" is dropped. */
export function parseRepoPath(raw: unknown): UnitResult<string> {
  if (typeof raw !== "string") return bad("expected a file path", PATH_EXPECTED);
  let value = raw.trim();
  while (value.startsWith("./")) value = value.slice(2);
  if (value === "") return bad("the path is empty", PATH_EXPECTED);
  if (value.startsWith("/") || /^[A-Za-z]:/.test(value))
    return bad(
      `"${raw}" is absolute; paths are relative to the repository root`,
      PATH_EXPECTED,
      `write "${value.replace(/^([A-Za-z]:)?\/+/, "")}"`,
    );
  if (value.includes("\\")) return bad(`"${raw}" uses backslashes`, PATH_EXPECTED, "use forward slashes");
  if (value.split("/").includes("..")) return bad(`"${raw}" leaves the repository ("..")`, PATH_EXPECTED);
  if (value.endsWith("/")) return bad(`"${raw}" names a directory`, PATH_EXPECTED);
  return good(value);
}

/** A path, or false/null for "this optional file is not used". */
function parseOptionalRepoPath(raw: unknown): UnitResult<string | null> {
  if (raw === false || raw === null) return good(null);
  return parseRepoPath(raw);
}

/** Default ceiling on how much a change may raise a site's hourly capacity (Google: do not suddenly double volume). */
export const DEFAULT_MAX_RAISE = 2;
const MAX_RAISE_LIMIT = 1000;

function parseMaxRaise(raw: unknown): UnitResult<number> {
  const expected = `a factor above 1 and at most ${MAX_RAISE_LIMIT}, such as 2 or 1.5`;
  if (typeof raw !== "number" || !Number.isFinite(raw)) {
    return bad("expected a number", expected, typeof raw === "string" ? "write the factor without quotes, e.g. 2" : undefined);
  }
  if (raw <= 1) return bad(`${raw} is too small: a factor of 1 or less would flag every raise, however small`, expected);
  if (raw > MAX_RAISE_LIMIT) return bad(`${raw} is too large`, expected);
  return good(raw);
}

const repoPath = (description: string) => field(parseRepoPath, { description, type: "string", minLength: 1 });
const optionalRepoPath = (description: string) =>
  field(parseOptionalRepoPath, { description, anyOf: [{ type: "string", minLength: 1 }, { const: false }, { type: "null" }] });

export const instanceSchema = z
  .strictObject({
    name: text("Instance name (unique); also used for the default config-<name>.xml.", {
      pattern: INSTANCE_NAME_PATTERN,
      expected: "a name of letters, digits, '.', '_' or '-'",
      check: (v) => (new RegExp(INSTANCE_NAME_PATTERN).test(v) ? null : `"${v}" is not a valid instance name`),
    }),
    serverConf: repoPath("serverConf.xml; default campaign/serverConf.xml.").optional(),
    instanceConf: optionalRepoPath(
      "config-<instance>.xml; default campaign/config-<name>.xml (optional unless written here); false: none.",
    ).optional(),
    mxRules: repoPath("MX rules; default campaign/mx-rules.yaml.").optional(),
    traffic: repoPath("Traffic plan; default campaign/traffic.yaml.").optional(),
    providers: optionalRepoPath(
      "Provider overrides; default campaign/providers.yaml (optional unless written here); false: built-in catalog only.",
    ).optional(),
    mtaHosts: count(
      "MTA hosts running this instance's serverConf (default 1): mtaHosts × maxSpareServers mtachild processes share the quotas.",
      { min: 1, max: 100 },
    ).optional(),
    statServer: text(
      "Statistics server this instance's MTAs report to (mta@statServerAddress); instances naming the same one share their publicIds' quota buckets.",
      {
        pattern: INSTANCE_NAME_PATTERN,
        expected: "a name of letters, digits, '.', '_' or '-', such as stat-eu",
        check: (v) => (new RegExp(INSTANCE_NAME_PATTERN).test(v) ? null : `"${v}" is not a valid statistics server name`),
      },
    ).optional(),
  })
  .meta({ title: "Instance", description: "One Campaign instance and where its files are." });

export const QUOTA_MET = ["abandon", "pace"] as const;
export const RETRY_SCHEDULES = ["hourly-from-start", "spread-over-first-day"] as const;
export const WORKING_SETS = ["shared", "by-domain"] as const;
export const SHARED_SCOPES = ["rule", "site"] as const;

export const modelOptionsSchema = z
  .strictObject({
    quotaMet: oneOf(
      QUOTA_MET,
      "abandon (default): a message that waited maxAgeSec is abandoned and processed at the next retry; pace: it waits for the quota.",
    ).optional(),
    retrySchedule: oneOf(
      RETRY_SCHEDULES,
      "hourly-from-start (default): retries at start + k × retryPeriod, then daily; spread-over-first-day: the first-day retries spread out over the 24 hours.",
    ).optional(),
    spillOver: bool(
      "false (default): each publicId carries its weight's share of a domain's traffic; true: a publicId whose quota is used up leaves the rest to the others.",
    ).optional(),
    workingSet: oneOf(
      WORKING_SETS,
      "shared (default): one working set for every domain, filled in delivery order; by-domain: each domain its own part, by planned volume.",
    ).optional(),
    sharedScope: oneOf(
      SHARED_SCOPES,
      "A shared rule several sites match. rule (default): one quota bucket per rule × publicId, shared by all those sites; site: each site has its own buckets.",
    ).optional(),
  })
  .meta({
    title: "Model",
    description: "How the simulation reads Adobe's documentation where it leaves a choice; each value is printed in the assumptions.",
  });

export const policyFileSchema = z
  .strictObject({
    $schema: schemaRef,
    _extends: z.unknown().optional().meta({
      type: "string",
      description: "Probot: inherit this file from another repository (e.g. .github); resolved before mx-guard reads it.",
    }),
    instances: list(instanceSchema, 'Campaign instances; default: one instance "default" with the default paths.').optional(),
    failOn: z
      .array(oneOf(FINDING_IDS, "Finding id."))
      .meta({ description: "Finding ids that fail the check when new or worsened." })
      .prefault([...DEFAULT_FAIL_ON]),
    comment: oneOf(
      COMMENT_MODES,
      "update: one summary comment, edited in place; new: a new comment per push; hide-and-new: a new comment per push, the older ones minimized as outdated; delete-and-new: a new comment per push, the older ones deleted; off: none.",
    ).prefault("update"),
    review: bool("Post inline review comments on changed lines.").prefault(true),
    model: modelOptionsSchema.optional(),
    maxRaise: field(parseMaxRaise, {
      description:
        "quota-raise: the most a change may multiply a site's hourly capacity (over the base's) before it is flagged; default 2.",
      type: "number",
      exclusiveMinimum: 1,
      maximum: MAX_RAISE_LIMIT,
    }).prefault(DEFAULT_MAX_RAISE),
  })
  .meta({ title: "mx-guard policy (.github/mx-guard.yml)", description: "How mx-guard checks pull requests in this repository." });

export type PolicyInput = z.output<typeof policyFileSchema>;
