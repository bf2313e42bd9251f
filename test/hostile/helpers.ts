import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { expect } from "vitest";
import type { ConfigIssue, Result } from "../../src/model/errors.js";
import { lineCount } from "../fuzz/support/repo.js";

export function timed<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

/** CPU time of this process (steadier than wall time on a loaded machine). */
export function cpuTimed<T>(run: () => T): { value: T; cpuMs: number } {
  const start = process.cpuUsage();
  const value = run();
  const used = process.cpuUsage(start);
  return { value, cpuMs: (used.user + used.system) / 1000 };
}

export async function timedAsync<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await run();
  return { value, ms: performance.now() - start };
}

/** The errors of a failed Result, each checked to lie inside `text`. */
export function errorsOf(result: Result<unknown>, text: string): ConfigIssue[] {
  if (result.ok) throw new Error("expected config errors, got a value");
  for (const issue of result.errors) {
    expect(issue.line).toBeGreaterThanOrEqual(1);
    expect(issue.line).toBeLessThanOrEqual(lineCount(text) + 1);
    expect(issue.column).toBeGreaterThanOrEqual(1);
    expect(issue.message.length).toBeGreaterThan(0);
  }
  return result.errors;
}

/** Line (1-based) of the first occurrence of `needle` in `text`. */
export function lineOf(text: string, needle: string, from = 0): number {
  const at = text.indexOf(needle, from);
  if (at < 0) throw new Error(`${needle} not in text`);
  return text.slice(0, at).split("\n").length;
}

export const MB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Hostile repositories, generated in code (never committed): each is the example repository with
// some files replaced, at or just past a cap (docs/limits.md).

/** A repository as files by path, policy included. */
export type Repo = Record<string, string>;

const EXAMPLE_DIR = join(import.meta.dirname, "../../examples/campaign-repo");
const POLICY_FILE = ".github/mx-guard.yml";

export function exampleRepo(): Repo {
  const read = (path: string) => readFileSync(join(EXAMPLE_DIR, path), "utf8");
  return {
    [POLICY_FILE]: read(POLICY_FILE),
    "campaign/serverConf.xml": read("campaign/serverConf.xml"),
    "campaign/config-prod.xml": read("campaign/config-prod.xml"),
    "campaign/mx-rules.yaml": read("campaign/mx-rules.yaml"),
    "campaign/traffic.yaml": read("campaign/traffic.yaml"),
  };
}

/** A serverConf.xml with one affinity ("default" and "marketing") holding `ips` (XML elements) and optional attributes. */
export function serverConfWith(ips: string[], affinityName = "default;marketing"): string {
  return `<serverconf>\n<mta><child><smtp>\n<IPAffinity name="${affinityName}">\n${ips.join("\n")}\n</IPAffinity>\n</smtp></child></mta>\n</serverconf>\n`;
}

/** One delivery per entry of `domainsPerDelivery`, starting together, recipients spread evenly. */
export function trafficWith(domainsPerDelivery: string[][], extra: Record<string, string> = {}): string {
  const lines = ["deliveries:"];
  domainsPerDelivery.forEach((domains, i) => {
    lines.push(`  - name: "d${i}"`, "    start: 2026-11-27T08:00:00Z", "    recipients: 100000");
    for (const [key, value] of Object.entries(extra)) lines.push(`    ${key}: ${value}`);
    lines.push("    domains:", ...domains.map((d) => `      ${d}: ${Math.floor(100_000 / domains.length) / 1000}%`));
  });
  return `${lines.join("\n")}\n`;
}

/** A domain of about `length` characters, distinct per k (labels stay under 63 characters). */
export function longDomain(k: number, length = 253): string {
  const suffix = `.x${k}.example`;
  const labels: string[] = [];
  let left = length - suffix.length;
  while (left > 0) {
    const label = Math.min(60, left);
    labels.push("a".repeat(label));
    left -= label + 1;
  }
  return `${labels.join(".")}${suffix}`.slice(-length);
}

/** F1a: `ips` IPs × `masks` excludeDomains masks (`*aaa…b<ip>x<k>*`) × `domains` long recipient domains. */
export function maskCellsRepo(ips: number, masks: number, domains: number): Repo {
  const list = (ip: number) => Array.from({ length: masks }, (_, k) => `*${"a".repeat(30)}b${ip}x${k}*`).join(",");
  const elements = Array.from(
    { length: ips },
    (_, i) => `<IP address="198.51.${i >> 8}.${i & 255}" publicId="1" excludeDomains="${list(i)}"/>`,
  );
  return {
    ...exampleRepo(),
    "campaign/serverConf.xml": serverConfWith(elements),
    "campaign/config-prod.xml": "<serverconf/>",
    "campaign/traffic.yaml": trafficWith([Array.from({ length: domains }, (_, k) => longDomain(k, 240))]),
  };
}

/**
 * F1b: `rules` masks ending in `*` (tried against every host: `*aaa…b<i>*`, then a catch-all) and
 * `sites` providers whose MX host has 253 characters, every one of them in the traffic plan.
 */
export function wildcardRulesRepo(rules: number, sites: number): Repo {
  const masks = Array.from(
    { length: rules - 1 },
    (_, i) => `  - { mask: "*${"a".repeat(120)}b${i}*", maxConnections: 10, messagesPerHour: 1000 }`,
  );
  const providers = Array.from(
    { length: sites },
    (_, i) => `  p${i}:\n    domains: [p${i}.example]\n    mx: [${longDomain(i, 253).replace(".example", ".mx")}]`,
  );
  const domains = Array.from({ length: sites }, (_, i) => `p${i}.example`);
  return {
    ...exampleRepo(),
    "campaign/mx-rules.yaml": `rules:\n${masks.join("\n")}\n  - { mask: "*", maxConnections: 10, messagesPerHour: 100000 }\n`,
    "campaign/providers.yaml": `providers:\n${providers.join("\n")}\n`,
    "campaign/traffic.yaml": trafficWith([domains.slice(0, sites / 2), domains.slice(sites / 2)]),
  };
}

/** F2: `ips` IPs with distinct publicIds × `domains` recipient domains (+ the "other" site). */
export function publicIdsRepo(ips: number, domains: number): Repo {
  const elements = Array.from({ length: ips }, (_, i) => `<IP address="10.${i >> 8}.${i & 255}.1" publicId="${i + 1}"/>`);
  const names = Array.from({ length: domains }, (_, k) => `d${k}.example`);
  const per = Math.ceil(domains / 4);
  return {
    ...exampleRepo(),
    "campaign/serverConf.xml": serverConfWith(elements),
    "campaign/config-prod.xml": "<serverconf/>",
    "campaign/traffic.yaml": trafficWith([0, 1, 2, 3].map((i) => names.slice(i * per, (i + 1) * per))),
  };
}

/** F3: a traffic plan whose one delivery maps `keys` domains (far past the 2,000-domain cap). */
export function yamlKeysRepo(keys: number): Repo {
  const domains = Array.from({ length: keys }, (_, k) => `      d${k}.example: 1`).join("\n");
  return {
    ...exampleRepo(),
    "campaign/traffic.yaml": `deliveries:\n  - name: big\n    start: 2026-11-27T08:00:00Z\n    recipients: 1000000\n    domains:\n${domains}\n`,
  };
}

/** F4a: `count` identical masks of `length` characters (each rule shadows all the later ones). */
export function identicalMasksRepo(count: number, length: number): Repo {
  const mask = `*.${"a".repeat(length - 10)}.example`;
  const rules = Array.from({ length: count }, () => `  - { mask: "${mask}", maxConnections: 10, messagesPerHour: 1000 }`);
  return {
    ...exampleRepo(),
    "campaign/mx-rules.yaml": `rules:\n${rules.join("\n")}\n  - { mask: "*", maxConnections: 10, messagesPerHour: 100000 }\n`,
  };
}

/** F4b: an IPAffinity named by one `length`-character name, and `deliveries` deliveries naming an affinity nobody defines. */
export function longAffinityRepo(length: number, deliveries: number): Repo {
  const name = "n".repeat(length);
  const elements = ['<IP address="192.0.2.11" publicId="1"/>'];
  return {
    ...exampleRepo(),
    "campaign/serverConf.xml": serverConfWith(elements, name),
    "campaign/config-prod.xml": "<serverconf/>",
    "campaign/traffic.yaml": trafficWith(
      Array.from({ length: deliveries }, (_, i) => [`d${i % 1000}.example`]),
      { affinity: "missing" },
    ),
  };
}

/** F4d: one affinity with `count` IP elements of the same address (count − 1 "appears twice" errors). */
export function duplicateAddressesRepo(count: number): Repo {
  return {
    ...exampleRepo(),
    "campaign/serverConf.xml": serverConfWith(Array.from({ length: count }, () => '<IP address="1"/>')),
    "campaign/config-prod.xml": "<serverconf/>",
  };
}

/**
 * The worst fix search within the caps: `deliveries` deliveries, each on its own domain and its own
 * slow rule, so each misses its deadline and gets a search; near-cap mask checks make each
 * re-simulation as slow as the work budget allows.
 */
export function fixSearchRepo(deliveries: number): Repo {
  const rules = Array.from(
    { length: deliveries },
    (_, i) => `  - { mask: "s${i}.example", maxConnections: 2, maxMessagesPerConnection: 5, messagesPerHour: 100 }`,
  );
  const masks = (ip: number) => Array.from({ length: 100 }, (_, k) => `*${"a".repeat(30)}b${ip}x${k}*`).join(",");
  const elements = Array.from(
    { length: 20 },
    (_, i) => `<IP address="198.51.100.${i + 1}" publicId="${(i % 4) + 1}" excludeDomains="${masks(i)}"/>`,
  );
  const domains = Array.from({ length: deliveries }, (_, i) => [
    `s${i}.example`,
    ...Array.from({ length: 19 }, (_, k) => longDomain(i * 19 + k, 240)),
  ]);
  return {
    ...exampleRepo(),
    "campaign/serverConf.xml": serverConfWith(elements),
    "campaign/config-prod.xml": "<serverconf/>",
    "campaign/mx-rules.yaml": `rules:\n${rules.join("\n")}\n  - { mask: "*", maxConnections: 50, messagesPerHour: 1000000 }\n`,
    "campaign/traffic.yaml": trafficWith(domains, { deadline: "6h" }),
  };
}

export function writeRepo(repo: Repo): string {
  const dir = mkdtempSync(join(tmpdir(), "mx-guard-hostile-"));
  for (const [path, text] of Object.entries(repo)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

export interface CliRun {
  rc: number | null;
  signal: string | null;
  ms: number;
  /** Peak resident set of the CLI process, in MB (reported by the process itself at exit). */
  peakMb: number | null;
  /** CPU time (user + system) of the CLI process, in ms: steadier than wall time on a loaded machine. */
  cpuMs: number | null;
  stdoutBytes: number;
  stdout: string;
  stderr: string;
}

const ROOT = join(import.meta.dirname, "../..");

/**
 * The CLI of the current sources as one ES module, the same code as bin/mx-guard.js runs from lib/
 * (bundled with esbuild in well under a second, so the tests never run a stale build).
 * It sits under node_modules so that its dependencies resolve.
 */
export async function bundleCli(): Promise<string> {
  const outfile = join(ROOT, "node_modules/.cache/mx-guard-hostile/cli.mjs");
  await build({
    stdin: {
      contents:
        'import { main } from "./src/cli/main.ts";\n' +
        "main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (error) => { process.stderr.write(`mx-guard: internal error: ${error?.message ?? error}\\n`); process.exitCode = 2; });\n",
      resolveDir: ROOT,
      loader: "ts",
    },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outfile,
    logLevel: "error",
  });
  return outfile;
}

/**
 * Runs the bundled CLI (`bundleCli`) with `args`, a V8 heap limit and a wall-clock timeout, as
 * `node --max-old-space-size=… cli.mjs …`; the child reports its peak RSS when it exits.
 */
export function runCli(cli: string, args: string[], limits: { heapMb: number; timeoutMs: number }): Promise<CliRun> {
  const preload = join(tmpdir(), "mx-guard-hostile-peak.mjs");
  writeFileSync(
    preload,
    'process.on("exit", () => { const u = process.resourceUsage(); process.stderr.write(`\\nmx-guard-peak-rss-kb=${u.maxRSS} cpu-us=${u.userCPUTime + u.systemCPUTime}\\n`); });\n',
  );
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [`--max-old-space-size=${limits.heapMb}`, "--import", pathToFileURL(preload).href, cli, ...args],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill("SIGKILL"), limits.timeoutMs);
    child.on("close", (rc, signal) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString("utf8");
      const peak = /mx-guard-peak-rss-kb=(\d+) cpu-us=(\d+)/.exec(stderr);
      const stdout = Buffer.concat(out);
      resolve({
        rc,
        signal,
        ms: performance.now() - started,
        peakMb: peak ? Number(peak[1]) / 1024 : null,
        cpuMs: peak ? Number(peak[2]) / 1000 : null,
        stdoutBytes: stdout.length,
        stdout: stdout.toString("utf8"),
        stderr: stderr.replace(/\nmx-guard-peak-rss-kb=\d+ cpu-us=\d+\n/, ""),
      });
    });
  });
}
