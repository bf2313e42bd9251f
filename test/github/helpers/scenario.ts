/**
 * One builder for the app tests' set-up: a fresh Probot with an engine, and the GitHub answers of
 * one event in the order the App asks for them (installation token, earlier runs on the commit,
 * check run creation, policy, changed files, GraphQL snapshot, check run updates, review, sticky
 * comment). Each step is on by default or when its data is given; a test states only what differs.
 */
import type nock from "nock";
import type { Engine } from "../../../src/engine/index.js";
import type { AppOptions } from "../../../src/github/app.js";
import { RULES_BAD, RULES_OK, TRAFFIC } from "./campaign.js";
import { createFakeEngine, type FakeEngine } from "./fake-engine.js";
import {
  POLICY_YAML,
  capture,
  checkCreated,
  checkUpdates,
  github,
  graphql,
  hunkPatch,
  noPreviousRun,
  policy as policyFile,
  pullFiles,
  recordCalls,
  type DiffFile,
  type FakeRepository,
} from "./github.js";
import { BASE_SHA, HEAD_SHA, PULL, REPO_PATH } from "./payloads.js";
import { loadApp, type TestApp } from "./probot.js";

/** The common pull request: the head commit lowers a quota on mx-rules.yaml (one finding, with a fix). */
export const RULES_REPO: FakeRepository = {
  trees: {
    [BASE_SHA]: { "campaign/mx-rules.yaml": RULES_OK, "campaign/traffic.yaml": TRAFFIC },
    [HEAD_SHA]: { "campaign/mx-rules.yaml": RULES_BAD, "campaign/traffic.yaml": TRAFFIC },
  },
};
export const RULES_CHANGED: DiffFile[] = [{ filename: "campaign/mx-rules.yaml", patch: hunkPatch(RULES_BAD, 1, 7) }];

export interface EventSteps {
  /** Answer the installation token request (default: yes for a fresh App, no for its later events). */
  token?: boolean;
  /** The commit whose earlier MX Guard runs are looked up (default HEAD_SHA). */
  head?: string;
  /** Those earlier runs (default none); `false`: no lookup (a Re-run always runs). */
  previousRuns?: unknown[] | false;
  /** Answer the check run creation (default yes); its bodies are `started`. */
  checkRun?: boolean;
  /** The policy YAML (default POLICY_YAML); `null`: no policy anywhere; `false`: never read. */
  policy?: string | null | false;
  /** The pull request's changed files; absent: they are not listed. */
  files?: DiffFile[];
  /** What the GraphQL snapshot answers; absent: it is not queried. */
  repo?: FakeRepository;
  /** Sees each GraphQL query and its variables. */
  inspect?: (query: string, variables: Record<string, unknown>) => void;
  /** How many check run updates are answered (default 1); their bodies are `updates`. */
  updates?: number;
  /** Accept one review (bodies in `reviews`). */
  review?: boolean;
  /** Accept one new sticky comment (bodies in `comments`). */
  comment?: boolean;
  /** Accept one edit of this comment id (bodies in `edits`). */
  edit?: number;
  /**
   * Interceptors registered ahead of the steps above: nock answers the first that matches, so a
   * fault set here (a 5xx, a rate limit, a hang) comes first and the step's answer serves the retry.
   */
  first?: (scope: nock.Scope) => void;
}

/**
 * Only the lookup of earlier runs: for an App that stops there (the event already has a completed
 * run) or whose check run creation fails (that answer goes in `first`).
 */
export const LOOKUP_ONLY: EventSteps = { checkRun: false, policy: false, updates: 0 };

/** What one event's GitHub saw: every call but the token, and the bodies sent to each step. */
export interface EventRecord {
  scope: nock.Scope;
  calls: string[];
  started: Record<string, any>[];
  updates: Record<string, any>[];
  reviews: Record<string, any>[];
  comments: Record<string, any>[];
  edits: Record<string, any>[];
}

/** The GitHub answers of one event (with `token: true` by default, as for a fresh App). */
export function githubEvent(steps: EventSteps = {}): EventRecord {
  const scope = github(steps.token ?? true);
  const calls = recordCalls(scope);
  const none = (): Record<string, any>[] => [];
  steps.first?.(scope);
  if (steps.previousRuns !== false) noPreviousRun(scope, steps.head ?? HEAD_SHA, steps.previousRuns ?? []);
  const started = steps.checkRun === false ? none() : checkCreated(scope);
  if (steps.policy !== false) policyFile(scope, steps.policy === undefined ? POLICY_YAML : steps.policy);
  if (steps.files) pullFiles(scope, steps.files);
  if (steps.repo) graphql(scope, steps.repo, steps.inspect);
  const count = steps.updates ?? 1;
  const updates = count > 0 ? checkUpdates(scope, count) : none();
  const reviews = steps.review ? capture(scope, "post", `${REPO_PATH}/pulls/${PULL}/reviews`, 200, { id: 1 }) : none();
  const comments = steps.comment ? capture(scope, "post", `${REPO_PATH}/issues/${PULL}/comments`, 201, { id: 1 }) : none();
  const edits =
    steps.edit === undefined ? none() : capture(scope, "patch", `${REPO_PATH}/issues/comments/${steps.edit}`, 200, { id: steps.edit });
  return { scope, calls, started, updates, reviews, comments, edits };
}

export interface ScenarioOptions<E extends Engine> extends EventSteps {
  /** Default: a new fake engine. */
  engine?: E;
  /** Probot's retry plugin on (see loadApp). */
  retry?: boolean;
  app?: AppOptions;
}

export interface Scenario<E extends Engine> extends TestApp, EventRecord {
  engine: E;
  /** The GitHub answers of a later event of the same App (the token is cached: not asked again). */
  next(steps?: EventSteps): EventRecord;
}

/** A fresh App and the GitHub answers of its first event. */
export async function scenario<E extends Engine = FakeEngine>(options: ScenarioOptions<E> = {}): Promise<Scenario<E>> {
  const { engine = createFakeEngine() as Engine as E, retry, app, ...steps } = options;
  const loaded = await loadApp(engine, { retry, app });
  return { ...loaded, engine, ...githubEvent(steps), next: (later = {}) => githubEvent({ token: false, ...later }) };
}
