/**
 * One side of a review (or a plain `simulate`): files → parsed models → simulation → report.
 * Pure: the caller supplies the file texts. Bad input never throws; it becomes config-error findings.
 */
import { POLICY_PATH, type FindingId, type InstanceModel, type InstancePaths, type ModelOptions, type Policy } from "../model/config.js";
import { bounded, issueDetail, type ConfigIssue } from "../model/errors.js";
import { boundMessage } from "../model/excerpt.js";
import { defaultSeverity, type Finding } from "../model/findings.js";
import { fingerprint } from "../model/fingerprint.js";
import type { InstanceResult } from "../model/results.js";
import type { SideResult } from "../model/review.js";
import type { FileMap } from "../model/source.js";
import { parseMxRules } from "../parse/mx-rules.js";
import { parseProviders } from "../parse/providers.js";
import { parseServerConf } from "../parse/serverconf.js";
import { parseTraffic } from "../parse/traffic.js";
import { workBudgetIssues } from "../simulate/budget.js";
import { bucketLoads, simulateInstance, simulationMode } from "../simulate/index.js";

/** Every repository path the policy's instances read. */
export function watchedPaths(policy: Policy): string[] {
  const paths = new Set<string>();
  for (const instance of policy.instances) {
    for (const path of [instance.serverConf, instance.instanceConf, instance.mxRules, instance.traffic, instance.providers]) {
      if (path) paths.add(path);
    }
  }
  return [...paths].sort();
}

/**
 * The paths that must exist for the policy's instances to be checked: the three required files, and
 * the optional ones the policy named explicitly (a missing one is a configuration error).
 */
export function requiredPaths(policy: Policy): string[] {
  const paths = new Set<string>();
  for (const instance of policy.instances) {
    for (const path of [instance.serverConf, instance.mxRules, instance.traffic]) paths.add(path);
    if (instance.instanceConf && instance.explicit.instanceConf) paths.add(instance.instanceConf);
    if (instance.providers && instance.explicit.providers) paths.add(instance.providers);
  }
  return [...paths].sort();
}

/** Parses and simulates every instance the policy names. */
export function simulateSide(files: FileMap, policy: Policy): SideResult {
  const results: InstanceResult[] = [];
  const findings: Finding[] = [];
  const models: InstanceModel[] = [];
  const all = policy.instances.map((paths) => ({ paths, loaded: loadInstance(files, paths, policy.model, policy.file) }));
  shareStatServers(all.flatMap(({ loaded }) => (loaded.ok ? [loaded.model] : [])));
  for (const { paths, loaded } of all) {
    if (loaded.ok) {
      const { result, findings: instanceFindings } = simulateInstance(loaded.model);
      models.push(loaded.model);
      // The parser's readings come first: they say what the simulation was given.
      results.push({
        ...result,
        assumptions: [...(loaded.model.serverConf.assumptions ?? []), ...result.assumptions, ...estimateAssumptions(loaded.model)],
      });
      findings.push(...instanceFindings);
    } else {
      results.push({ name: paths.name, mode: "mx-rules", simulated: false, sites: [], deliveries: [], assumptions: [] });
      findings.push(...loaded.issues.map((issue) => configErrorFinding(paths.name, issue)));
    }
    findings.push(...loaded.warnings.map((issue) => configWarningFinding(paths.name, issue)));
  }
  const read: Record<string, string | null> = {};
  for (const path of watchedPaths(policy)) read[path] = files[path] ?? null;
  return { report: { version: 1, instances: results, findings }, models, files: read };
}

/**
 * Instances naming the same statServer count their quotas together: each gets what the others' deliveries
 * put on the buckets (docs/model.md#shared-buckets).
 */
function shareStatServers(models: InstanceModel[]): void {
  const byServer = new Map<string, InstanceModel[]>();
  for (const model of models) {
    const server = model.paths.statServer;
    if (server !== undefined) byServer.set(server, [...(byServer.get(server) ?? []), model]);
  }
  for (const group of byServer.values()) {
    if (group.length < 2) continue;
    const loads = group.map((model) => bucketLoads(model));
    group.forEach((model, k) => {
      model.foreignLoads = loads.flatMap((own, j) => (j === k ? [] : own));
    });
  }
}

type Loaded = ({ ok: true; model: InstanceModel } | { ok: false; issues: ConfigIssue[] }) & { warnings: ConfigIssue[] };

function loadInstance(files: FileMap, paths: InstancePaths, options: ModelOptions, policyFile: string | null): Loaded {
  const issues: ConfigIssue[] = [];
  const required = (path: string, what: string): string | null => {
    const text = files[path];
    if (text === undefined || text === null) {
      issues.push(missingFile(path, what, policyFile));
      return null;
    }
    return text;
  };
  const optional = (path: string | null, explicit: boolean, what: string): string | null => {
    if (!path) return null;
    const text = files[path];
    if (text === undefined || text === null) {
      if (explicit) issues.push(missingFile(path, what, policyFile));
      return null;
    }
    return text;
  };

  const serverConfText = required(paths.serverConf, "the Campaign server configuration (serverConf.xml)");
  const instanceText = optional(paths.instanceConf, paths.explicit.instanceConf, "the instance configuration");
  const rulesText = required(paths.mxRules, "the MX management rules");
  const trafficText = required(paths.traffic, "the traffic plan");
  const providersText = optional(paths.providers, paths.explicit.providers, "the provider overrides");

  const serverConf =
    serverConfText === null
      ? null
      : parseServerConf(
          { file: paths.serverConf, text: serverConfText },
          instanceText === null || !paths.instanceConf ? null : { file: paths.instanceConf, text: instanceText },
        );
  const mxRules = rulesText === null ? null : parseMxRules(rulesText, paths.mxRules);
  const traffic = trafficText === null ? null : parseTraffic(trafficText, paths.traffic);
  const providers = parseProviders(providersText, providersText === null ? null : paths.providers);

  const warnings: ConfigIssue[] = [];
  for (const parsed of [serverConf, mxRules, traffic, providers]) {
    if (parsed && !parsed.ok) issues.push(...parsed.errors);
    if (parsed) warnings.push(...parsed.warnings);
  }
  if (issues.length > 0 || !serverConf?.ok || !mxRules?.ok || !traffic?.ok || !providers.ok) {
    return { ok: false, issues, warnings };
  }
  const model: InstanceModel = {
    name: paths.name,
    paths,
    serverConf: serverConf.value,
    mxRules: mxRules.value,
    traffic: traffic.value,
    providers: providers.value,
    options,
  };
  // Checked before any simulation: the products that make a run slow, from the counts alone.
  const tooLarge = workBudgetIssues(model);
  return tooLarge.length > 0 ? { ok: false, issues: tooLarge, warnings } : { ok: true, model, warnings };
}

/** Without a policy file every path is a default one, so there is no policy to check: say where to put the file. */
function missingFile(path: string, what: string, policyFile: string | null): ConfigIssue {
  return {
    file: path,
    line: 1,
    column: 1,
    found: "no such file",
    expected: what,
    message: `${path} does not exist at this revision`,
    hint:
      policyFile === null
        ? `no ${POLICY_PATH}, so this is the default path: put the file there, or name its path in a policy file (mx-guard init writes one)`
        : `check the paths in ${policyFile}`,
  };
}

/** A parse or validation problem as a finding, anchored on the cause's line. */
export function configErrorFinding(instance: string, raw: ConfigIssue): Finding {
  const issue = bounded(raw);
  // Identity is the problem itself, not where it sits: the same error moved down stays the same.
  return issueFinding("config-error", instance, issue, `Configuration error in ${issue.file}`, issueDetail(issue), [issue.expected]);
}

/** A parser warning or notice as a finding (config-warning unless the issue names another id). */
export function configWarningFinding(instance: string, raw: ConfigIssue): Finding {
  const issue = bounded(raw);
  const id = issue.finding ?? "config-warning";
  const title = id === "unknown-attribute" ? `Unknown attribute ${issue.found} in ${issue.file}` : `Configuration warning in ${issue.file}`;
  return issueFinding(id, instance, issue, title, "", []);
}

function issueFinding(id: FindingId, instance: string, issue: ConfigIssue, title: string, detail: string, identity: string[]): Finding {
  return {
    id,
    severity: defaultSeverity(id),
    instance,
    file: issue.file,
    line: issue.line,
    endLine: issue.line,
    column: issue.column,
    message: boundMessage(`${issue.file}:${issue.line}:${issue.column}: ${issue.message}${detail}${issue.hint ? ` (${issue.hint})` : ""}`),
    title,
    fingerprint: fingerprint(id, instance, issue.file, issue.message, issue.found, ...identity),
    details: { found: issue.found, expected: issue.expected },
  };
}

/** remoteIps drive unshared capacity linearly, and the catalog's are estimates: said wherever they count. */
function estimateAssumptions(model: InstanceModel): string[] {
  if (simulationMode(model) === "mx-rules" && model.mxRules.rules.some((rule) => !rule.shared)) {
    const builtin = model.providers.providers.filter((p) => p.origin === "builtin" && p.domains.length > 0);
    const list = builtin.map((p) => `${p.name} ${p.remoteIps}`).join(", ");
    return [
      `Remote IPs per provider (estimate; built-in catalog, not measured: providers rotate their addresses): ${list}. An unshared rule's capacity scales linearly with them; mx-guard catalog --resolve shows the live count, and providers.yaml can set it.`,
    ];
  }
  return [];
}
