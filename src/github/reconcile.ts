/**
 * Nothing missed: GitHub does not redeliver a delivery that failed or never arrived. On start-up and
 * then periodically, one replica — the leader, a Redis lease (coordination/) when REDIS_URL is set —
 * lists the app's installations and their repositories and queues one backfill job per repository:
 * its open pull requests whose head has no completed MX Guard run of this app for that pull request
 * get one (recheck.ts). Jobs go in the review lane, behind the webhooks' quick runs.
 */
import type { Logger, Probot, ProbotOctokit } from "probot";
import type { Coordinator } from "./coordination/index.js";
import { describeError } from "./errors.js";
import type { JobQueue } from "./queue/index.js";

/** The event key of a reconcile job; its runs' external_ids say `reconcile.missed`. */
export const RECONCILE_EVENT = "reconcile";

export interface ReconcileOptions {
  /** Time between two rounds (also the leader's lease). */
  intervalMs: number;
  /** Time from start-up to the first round (the replicas of a deploy settle first). */
  firstDelayMs: number;
  /** Repositories queued per round at most (each costs a few reads per open pull request). */
  maxRepositories: number;
}

export const DEFAULT_RECONCILE: ReconcileOptions = { intervalMs: 15 * 60_000, firstDelayMs: 30_000, maxRepositories: 500 };

interface Installation {
  id: number;
}

interface Repository {
  name: string;
  owner: { login: string };
}

async function listInstallations(octokit: ProbotOctokit): Promise<Installation[]> {
  return (await octokit.paginate(octokit.rest.apps.listInstallations, { per_page: 100 })) as Installation[];
}

async function listRepositories(octokit: ProbotOctokit): Promise<Repository[]> {
  return (await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 })) as unknown as Repository[];
}

/** One round: the number of repositories queued (0 when another replica leads). */
export async function reconcileOnce(app: Probot, coordinator: Coordinator, queue: JobQueue, options: ReconcileOptions): Promise<number> {
  if (!(await coordinator.lead("reconcile", options.intervalMs))) return 0;
  const round = `reconcile-${Date.now()}`;
  const installations = await listInstallations(await app.auth());
  let queued = 0;
  for (const installation of installations) {
    if (queued >= options.maxRepositories) break;
    const repositories = await listRepositories(await app.auth(installation.id));
    for (const repository of repositories.slice(0, options.maxRepositories - queued)) {
      const owner = repository.owner.login;
      const id = `${round}.${installation.id}.${owner}/${repository.name}`;
      await queue.add({
        id,
        installationId: installation.id,
        owner,
        repo: repository.name,
        eventKey: RECONCILE_EVENT,
        deliveryId: id,
        task: { type: "backfill" },
        lane: "review",
      });
      queued += 1;
    }
  }
  return queued;
}

/** Runs a round after `firstDelayMs`, then every `intervalMs`; returns a stop function. */
export function scheduleReconcile(
  app: Probot,
  coordinator: Coordinator,
  queue: JobQueue,
  options: ReconcileOptions,
  log: Logger,
): () => void {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const round = async (): Promise<void> => {
    try {
      const queued = await reconcileOnce(app, coordinator, queue, options);
      if (queued > 0) log.info({ repositories: queued }, "reconcile: looking for open pull requests without a completed MX Guard check");
    } catch (error) {
      log.warn({ cause: describeError(error) }, "reconcile: could not list the installations and repositories; trying again next round");
    }
    if (!stopped) schedule(options.intervalMs);
  };
  const schedule = (ms: number): void => {
    timer = setTimeout(() => void round(), ms);
    timer.unref();
  };
  schedule(options.firstDelayMs);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
