/**
 * The whole pipeline on hostile repositories: simulateSide on mutated copies of the example repository
 * (any file mutated, replaced by a generated one, deleted, or raw bytes), simulateInstance on
 * generated valid models, and base/head reviews. Nothing throws, every finding points inside its
 * file, counts add up, each input takes < 1 s and the heap stays bounded.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { simulateSide } from "../../src/engine/index.js";
import type { FileMap } from "../../src/io/file-source.js";
import { decodeUtf8 } from "../../src/io/decode.js";
import type { InstanceModel } from "../../src/model/config.js";
import { parseMxRules } from "../../src/parse/mx-rules.js";
import { parseProviders } from "../../src/parse/providers.js";
import { parseServerConf } from "../../src/parse/serverconf.js";
import { parseTraffic } from "../../src/parse/traffic.js";
import { review } from "../../src/review/review.js";
import { simulateInstance } from "../../src/simulate/index.js";
import { finishBudget, startBudget, timed } from "./support/budget.js";
import { checkFindings, checkInstanceResult, checkRun } from "./support/checks.js";
import { runs, seedFor, timeoutFor } from "./support/config.js";
import { instanceConfArb, providersArb, rulesJsonArb, rulesYamlArb, serverConfArb, trafficArb } from "./support/generators.js";
import { mutatedArb, rawArb, type Format } from "./support/mutate.js";
import { examplePolicy, exampleFiles, PATHS } from "./support/repo.js";

const N = runs(60, 3_000);
const REVIEWS = runs(20, 300);
/** Per-input bound for a whole review (two sides simulated plus the fix search). */
const REVIEW_MS = 5_000;
const policy = examplePolicy();
const example = exampleFiles();

type Edit = { kind: "keep" } | { kind: "delete" } | { kind: "set"; text: string };

function fileEdit(path: string, format: Format, generated: fc.Arbitrary<string>): fc.Arbitrary<[string, Edit]> {
  const original = example[path];
  const base = original ? fc.oneof(fc.constant(original), generated) : generated;
  return fc
    .oneof(
      { weight: 6, arbitrary: fc.constant<Edit>({ kind: "keep" }) },
      { weight: 5, arbitrary: mutatedArb(base, format).map((text): Edit => ({ kind: "set", text })) },
      { weight: 2, arbitrary: generated.map((text): Edit => ({ kind: "set", text })) },
      { weight: 1, arbitrary: fc.constant<Edit>({ kind: "delete" }) },
      { weight: 1, arbitrary: rawArb(format, (b) => decodeUtf8(b)).map((text): Edit => ({ kind: "set", text })) },
    )
    .map((edit) => [path, edit] as [string, Edit]);
}

const repoArb: fc.Arbitrary<FileMap> = fc
  .tuple(
    fileEdit(PATHS.serverConf, "xml", serverConfArb),
    fileEdit(PATHS.instanceConf, "xml", instanceConfArb),
    fileEdit(PATHS.mxRules, "yaml", fc.oneof(rulesYamlArb, rulesJsonArb)),
    fileEdit(PATHS.traffic, "yaml", trafficArb),
    fileEdit(PATHS.providers, "yaml", providersArb),
  )
  .map((edits) => {
    const files: FileMap = { ...example };
    for (const [path, edit] of edits) {
      if (edit.kind === "delete") delete files[path];
      else if (edit.kind === "set") files[path] = edit.text;
    }
    return files;
  });

describe("fuzz: simulateSide on mutated example repositories", () => {
  it(
    "never throws; config errors and findings point inside their files; counts add up",
    () => {
      const budget = startBudget();
      fc.assert(
        fc.property(repoArb, (files) => {
          const run = timed(
            budget,
            () => JSON.stringify(files),
            () => simulateSide(files, policy),
          );
          checkRun(
            run,
            { ...files, ...Object.fromEntries(Object.keys(run.files).map((p) => [p, files[p] ?? null])) },
            policy.instances.length,
          );
        }),
        { numRuns: N, seed: seedFor("simulateSide mutated") },
      );
      finishBudget(budget, "simulateSide on mutated repositories");
    },
    timeoutFor(N, 200),
  );

  // A review re-simulates while it searches fixes, so it gets its own bound (REVIEW_MS per input).
  it(
    "reviews base against a mutated head without throwing, in bounded time",
    () => {
      const budget = startBudget();
      const base = simulateSide(example, policy);
      fc.assert(
        fc.property(repoArb, (files) => {
          const outcome = timed(
            budget,
            () => JSON.stringify(files),
            () => review(base, simulateSide(files, policy), policy),
            REVIEW_MS,
          );
          expect(["success", "failure"]).toContain(outcome.conclusion);
          const fileTexts = { ...example, ...files, ...outcome.head.files };
          checkFindings(
            outcome.findings.filter((f) => f.status !== "fixed"),
            fileTexts,
          );
        }),
        { numRuns: REVIEWS, seed: seedFor("review mutated head") },
      );
      finishBudget(budget, "review base vs mutated head", REVIEW_MS);
    },
    timeoutFor(REVIEWS, 1000),
  );
});

/** Valid files → parsed model (every parser must accept them: the generators only make valid files). */
const modelArb: fc.Arbitrary<{ model: InstanceModel; files: Record<string, string> }> = fc
  .record({
    serverConf: serverConfArb,
    instanceConf: fc.option(instanceConfArb, { nil: null }),
    mxRules: fc.oneof(rulesYamlArb, rulesJsonArb),
    traffic: trafficArb,
    providers: fc.option(providersArb, { nil: null }),
  })
  .map((t) => {
    const serverConf = parseServerConf(
      { file: PATHS.serverConf, text: t.serverConf },
      t.instanceConf === null ? null : { file: PATHS.instanceConf, text: t.instanceConf },
    );
    const mxRules = parseMxRules(t.mxRules, PATHS.mxRules);
    const traffic = parseTraffic(t.traffic, PATHS.traffic);
    const providers = parseProviders(t.providers, PATHS.providers);
    for (const r of [serverConf, mxRules, traffic, providers])
      if (!r.ok) throw new Error(`generated file rejected: ${JSON.stringify(r.errors[0])}`);
    if (!serverConf.ok || !mxRules.ok || !traffic.ok || !providers.ok) throw new Error("unreachable");
    const model: InstanceModel = {
      name: "fuzz",
      paths: { ...policy.instances[0]!, name: "fuzz" },
      serverConf: serverConf.value,
      mxRules: mxRules.value,
      traffic: traffic.value,
      providers: providers.value,
    };
    const files: Record<string, string> = { [PATHS.serverConf]: t.serverConf, [PATHS.mxRules]: t.mxRules, [PATHS.traffic]: t.traffic };
    if (t.instanceConf !== null) files[PATHS.instanceConf] = t.instanceConf;
    if (t.providers !== null) files[PATHS.providers] = t.providers;
    return { model, files };
  });

describe("fuzz: simulateInstance on generated valid models", () => {
  it(
    "is total, deterministic and consistent: sent + expired = recipients, findings inside their files",
    () => {
      const budget = startBudget();
      fc.assert(
        fc.property(modelArb, fc.nat(9), ({ model, files }, k) => {
          const { result, findings } = timed(
            budget,
            () => JSON.stringify(files),
            () => simulateInstance(model),
          );
          checkInstanceResult(result);
          checkFindings(findings, files);
          if (k === 0) expect(JSON.stringify(simulateInstance(model))).toBe(JSON.stringify({ result, findings }));
        }),
        { numRuns: N, seed: seedFor("simulateInstance valid") },
      );
      finishBudget(budget, "simulateInstance on generated models");
    },
    timeoutFor(N, 200),
  );
});
