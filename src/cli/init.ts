/**
 * `mx-guard init [DIR]`: the files a new repository needs, as commented templates, pre-filled with
 * the affinities and publicIds of a serverConf.xml already copied into DIR. It never writes over a
 * file that exists, and ends by simulating the result so the user sees what is still missing.
 */
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { dirname, join, posix } from "node:path";
import { directorySource } from "../io/directory-source.js";
import { formatIssue } from "../model/errors.js";
import { parseServerConf } from "../engine/index.js";
import { oneLine } from "../render/plain-text.js";
import type { CliOptions } from "./args.js";
import { mxRulesTemplate, policyTemplate, type Prefill, trafficTemplate } from "./init-templates.js";
import { DEFAULT_POLICY_PATH, loadPolicy } from "./load-side.js";
import type { Output } from "./output.js";

export interface InitDeps {
  /** The day the traffic template's deliveries start after (tests pin it). */
  initDay?: () => Date;
}

/** Where a serverConf.xml copied as-is from the server's conf/ folder may sit, after the policy's path. */
const OTHER_SERVERCONF_PLACES = ["serverConf.xml", "conf/serverConf.xml"];

export async function initCommand(
  options: CliOptions,
  out: Output,
  simulate: (dir: string) => Promise<number>,
  deps: InitDeps = {},
): Promise<number> {
  const dir = options.positionals[0] ?? ".";
  await mkdir(dir, { recursive: true });
  const source = directorySource(dir);
  const hasPolicy = (await source.read(DEFAULT_POLICY_PATH)) !== null;
  // An existing policy says where the files are; it is kept as it is (a bad one stops init here).
  const policy = await loadPolicy(source, DEFAULT_POLICY_PATH, false);
  const instance = policy.instances[0]!;
  const fill = await prefill(dir, instance, hasPolicy, out);

  const today = deps.initDay?.() ?? new Date();
  const tomorrow = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 1));
  const targets: [string, string][] = [
    [fill.mxRules, mxRulesTemplate(fill)],
    [fill.traffic, trafficTemplate(fill, tomorrow)],
    [DEFAULT_POLICY_PATH, policyTemplate(fill)],
  ];
  for (const [path, text] of targets) {
    if ((await source.read(path)) !== null) {
      out.stdout(`kept    ${path} (it exists; init never writes over a file)\n`);
      continue;
    }
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text, { flag: "wx" });
    out.stdout(`created ${path}\n`);
  }
  if (fill.affinities.length === 0 && (await source.read(fill.serverConf)) === null) {
    out.stdout(`next: copy conf/serverConf.xml from the Campaign server to ${fill.serverConf}\n`);
  }
  out.stdout("next: copy the MX rules from the console (docs/onboarding.md), and the domain mix with mx-guard domains\n\n");
  out.stdout(`mx-guard simulate ${dir}\n`);
  await simulate(dir);
  return 0;
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

async function prefill(
  dir: string,
  instance: { name: string; serverConf: string; instanceConf: string | null; mxRules: string; traffic: string },
  hasPolicy: boolean,
  out: Output,
): Promise<Prefill> {
  const source = directorySource(dir);
  const candidates = hasPolicy ? [instance.serverConf] : [instance.serverConf, ...OTHER_SERVERCONF_PLACES];
  let serverConf = instance.serverConf;
  let text: string | null = null;
  for (const candidate of candidates) {
    text = await source.read(candidate);
    if (text !== null) {
      serverConf = candidate;
      break;
    }
  }
  let name = instance.name;
  let instanceConf = instance.instanceConf;
  if (!hasPolicy && text !== null) {
    // A config-<instance>.xml next to serverConf.xml names the instance (config-default.xml only enables processes).
    const folder = posix.dirname(serverConf);
    const entries = await readdir(join(dir, folder)).catch(() => [] as string[]);
    const configs = entries
      .map((entry) => /^config-([A-Za-z0-9][A-Za-z0-9_.-]*)\.xml$/.exec(entry)?.[1])
      .filter((n) => n && n !== "default");
    if (configs.length === 1) {
      name = configs[0]!;
      instanceConf = posix.join(folder, `config-${name}.xml`);
    }
  }
  const fill: Prefill = { serverConf, instanceConf, instance: name, mxRules: instance.mxRules, traffic: instance.traffic, affinities: [] };
  if (text === null) return fill;
  const instanceText = instanceConf === null ? null : await source.read(instanceConf);
  const parsed = parseServerConf(
    { file: serverConf, text },
    instanceConf === null || instanceText === null ? null : { file: instanceConf, text: instanceText },
  );
  if (!parsed.ok) {
    out.stderr(`mx-guard: ${serverConf} could not be read, so the templates are not pre-filled:\n`);
    out.stderr(`${parsed.errors.map((issue) => `mx-guard: ${oneLine(formatIssue(issue))}`).join("\n")}\n`);
    return fill;
  }
  fill.affinities = parsed.value.affinities.map((affinity) => ({
    names: affinity.names,
    publicIds: [...new Set(affinity.ips.map((ip) => ip.publicId))].sort((a, b) => a - b),
  }));
  const ips = fill.affinities.reduce((sum, affinity) => sum + affinity.publicIds.length, 0);
  out.stdout(
    `read    ${serverConf}${instanceText === null ? "" : ` and ${instanceConf}`}: ${count(fill.affinities.length, "IP affinity", "IP affinities")}, ${count(ips, "publicId", "publicIds")}\n`,
  );
  return fill;
}
