/**
 * The Action's report file: the review rendered in one of the engine's formats, written next to the
 * job and, inside GitHub Actions, uploaded as an artifact of the workflow run. The check run's
 * summary and the job summary link it (docs/deploy.md §2).
 *
 * Uploading is a courtesy: a failed upload is logged and never changes the verdict.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { REVIEW_FORMATS, type Engine, type OutputFormat, type ReviewResult } from "../engine/index.js";
import { describeError } from "../github/errors.js";
import type { Log } from "../github/types.js";

/** The one place that says which format the report is in and what its file is called. */
export const REPORT = { format: "html", file: "mx-guard-report.html" } as const satisfies { format: OutputFormat; file: string };

/** Uploads one file as an artifact of this workflow run; resolves to the artifact's id. */
export type UploadReport = (path: string, directory: string) => Promise<{ id: number }>;

/** The report of one run: where the file is, and the artifact's web address once uploaded. */
export interface Report {
  path: string;
  url: string | null;
}

type Env = Record<string, string | undefined>;

/** The runner gives JavaScript actions these two for the artifact service; composite steps and local runs lack them. */
function canUploadArtifacts(env: Env): boolean {
  return Boolean(env.ACTIONS_RUNTIME_TOKEN?.trim() && env.ACTIONS_RESULTS_URL?.trim());
}

function artifactUrl(serverUrl: string, repository: string, runId: string, artifactId: number): string {
  return `${serverUrl}/${repository}/actions/runs/${runId}/artifacts/${artifactId}`;
}

/**
 * A re-run of the workflow keeps the artifacts of earlier attempts, and artifact names are unique in
 * a run: the attempt goes into the name from the second one on.
 */
export function reportFileName(runAttempt: number): string {
  return runAttempt > 1 ? REPORT.file.replace(/(\.[^.]+)$/, `-attempt-${runAttempt}$1`) : REPORT.file;
}

/**
 * @actions/artifact's client, loaded only when a report is uploaded. skipArchive: the single file is
 * the artifact (its name is the file name), so the browser opens it without unzipping.
 */
export const uploadWithArtifactClient: UploadReport = async (path, directory) => {
  const { DefaultArtifactClient } = await import("@actions/artifact");
  const { id } = await new DefaultArtifactClient().uploadArtifact(basename(path), [path], directory, { skipArchive: true });
  if (typeof id !== "number") throw new Error("the artifact service returned no artifact id");
  return { id };
};

/** The check run waits for the upload (its summary carries the link): never longer than this. */
export const UPLOAD_TIMEOUT_MS = 60_000;

export interface ReportSettings {
  env: Env;
  serverUrl: string;
  repository: string | undefined;
  runId: string;
  runAttempt: number;
  /** RUNNER_TEMP; the system's temporary folder when unset. */
  tempDir: string | undefined;
  upload: UploadReport;
  log: Log;
  /** A workflow command line (::warning:: …) for the job log. */
  warn: (message: string) => void;
  /** UPLOAD_TIMEOUT_MS unless a test shortens it. */
  uploadTimeoutMs?: number;
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from the artifact service within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Writes the report and uploads it when the runner allows; never throws. */
export async function publishReport(result: ReviewResult, settings: ReportSettings): Promise<Report | null> {
  let path: string;
  try {
    const directory = join(settings.tempDir ?? tmpdir(), `mx-guard-report-${settings.runId}-${settings.runAttempt}`);
    await mkdir(directory, { recursive: true });
    path = join(directory, reportFileName(settings.runAttempt));
    await writeFile(path, REVIEW_FORMATS[REPORT.format](result));
  } catch (error) {
    settings.warn(`MX Guard could not write its report file: ${describeError(error)}`);
    return null;
  }
  if (!canUploadArtifacts(settings.env) || !settings.repository) {
    settings.log.info(
      { path },
      "not inside a GitHub Actions job (no ACTIONS_RUNTIME_TOKEN / ACTIONS_RESULTS_URL): the report is not uploaded",
    );
    return { path, url: null };
  }
  try {
    const { id } = await within(settings.upload(path, dirname(path)), settings.uploadTimeoutMs ?? UPLOAD_TIMEOUT_MS);
    return { path, url: artifactUrl(settings.serverUrl, settings.repository, settings.runId, id) };
  } catch (error) {
    settings.warn(`MX Guard could not upload its report as an artifact (the verdict stands): ${describeError(error)}`);
    return { path, url: null };
  }
}

/** The line the check run's summary ends with. */
export function reportLink(report: { path: string; url: string }): string {
  return `**Full report:** [${basename(report.path)}](${report.url}) (an artifact of this workflow run)`;
}

/**
 * The engine, with the report published after each review and linked from the check run's summary
 * (the pipeline completes the check run with that summary). `onReport` receives each report.
 */
export function reportingEngine(engine: Engine, settings: ReportSettings, onReport: (report: Report) => void): Engine {
  return {
    watchedPaths: (policy) => engine.watchedPaths(policy),
    async reviewChange(base, head, policy) {
      const result = await engine.reviewChange(base, head, policy);
      const report = await publishReport(result, settings);
      if (!report) return result;
      onReport(report);
      if (!report.url) return result;
      return {
        ...result,
        check: { ...result.check, summary: `${result.check.summary}\n\n${reportLink({ path: report.path, url: report.url })}` },
      };
    },
  };
}
