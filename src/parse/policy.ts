/**
 * .github/mx-guard.yml → Policy (README.md#configuration-reference). Also accepts the already-parsed object Probot's
 * context.config returns; that has no positions, so its errors point at line 1, column 1.
 */
import { DEFAULT_MODEL_OPTIONS, POLICY_PATH, type FindingId, type InstancePaths, type Policy } from "../model/config.js";
import { fail, ok, type ConfigIssue, type Result } from "../model/errors.js";
import { DEFAULT_FAIL_ON } from "../model/catalogue.js";
import { DEFAULT_INSTANCE, DEFAULT_MAX_RAISE, policyFileSchema, type PolicyInput } from "../schema/policy.js";
import { LIMITS } from "./limits.js";
import { capIssue, issueAt, readYaml, sourceFromObject, validateSource, type YamlSource } from "./yaml/index.js";

/**
 * An instance's default paths. config-default.xml is never an instance's default override: in
 * Campaign it enables the multi-instance processes (web, syslogd, trackinglogd), not an instance's
 * MTA, so the instance named "default" reads it only when the policy names it as instanceConf.
 */
export function defaultInstance(name: string = DEFAULT_INSTANCE): InstancePaths {
  return {
    name,
    serverConf: "campaign/serverConf.xml",
    instanceConf: name === DEFAULT_INSTANCE ? null : `campaign/config-${name}.xml`,
    mxRules: "campaign/mx-rules.yaml",
    traffic: "campaign/traffic.yaml",
    providers: "campaign/providers.yaml",
    explicit: { instanceConf: false, providers: false },
  };
}

export function defaultPolicy(file: string | null = null): Policy {
  return {
    instances: [defaultInstance()],
    model: { ...DEFAULT_MODEL_OPTIONS },
    failOn: [...DEFAULT_FAIL_ON],
    comment: "update",
    review: true,
    maxRaise: DEFAULT_MAX_RAISE,
    file,
  };
}

/** null text (no policy file) → every default, with `file` null. */
export function parsePolicy(text: string | null, file: string | null): Result<Policy> {
  if (text === null) return ok(defaultPolicy(null));
  const read = readYaml(text, file ?? POLICY_PATH, policyFileSchema);
  if (!read.ok) return read;
  return fromSource(read.value, file, read.warnings);
}

export function policyFromObject(obj: unknown, file: string | null): Result<Policy> {
  return fromSource(sourceFromObject(obj, file ?? POLICY_PATH), file, []);
}

function fromSource(src: YamlSource, file: string | null, warnings: ConfigIssue[]): Result<Policy> {
  if (src.value === null || src.value === undefined) return ok(defaultPolicy(file), warnings);
  const tooMany = capIssue(src, ["instances"], LIMITS.instances, "instances");
  if (tooMany) return fail([tooMany], warnings);
  const checked = validateSource(src, policyFileSchema, warnings);
  if (!checked.ok) return checked;
  const input = checked.value.data;
  const errors = duplicateInstances(src, input);
  if (errors.length > 0) return fail(errors, warnings);
  return ok(
    {
      instances: input.instances?.map(toInstance) ?? [defaultInstance()],
      model: { ...DEFAULT_MODEL_OPTIONS, ...definedOnly(input.model ?? {}) },
      failOn: [...new Set<FindingId>(input.failOn)],
      comment: input.comment,
      review: input.review,
      maxRaise: input.maxRaise,
      file,
    },
    warnings,
  );
}

function definedOnly<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}

type InstanceInput = NonNullable<PolicyInput["instances"]>[number];

function toInstance(input: InstanceInput): InstancePaths {
  const base = defaultInstance(input.name);
  return {
    name: input.name,
    serverConf: input.serverConf ?? base.serverConf,
    instanceConf: input.instanceConf === undefined ? base.instanceConf : input.instanceConf,
    mxRules: input.mxRules ?? base.mxRules,
    traffic: input.traffic ?? base.traffic,
    providers: input.providers === undefined ? base.providers : input.providers,
    // A path written out must exist; `false` (no file) has nothing to be missing.
    explicit: { instanceConf: typeof input.instanceConf === "string", providers: typeof input.providers === "string" },
    ...(input.mtaHosts !== undefined ? { mtaHosts: input.mtaHosts } : {}),
    ...(input.statServer !== undefined ? { statServer: input.statServer } : {}),
  };
}

function duplicateInstances(src: YamlSource, input: PolicyInput): ConfigIssue[] {
  const seen = new Set<string>();
  const errors: ConfigIssue[] = [];
  input.instances?.forEach((instance, index) => {
    if (!seen.has(instance.name)) seen.add(instance.name);
    else
      errors.push(
        issueAt(src, ["instances", index, "name"], {
          message: `the instance name "${instance.name}" is used twice`,
          expected: "a unique instance name",
        }),
      );
  });
  return errors;
}
