/**
 * Every parser, on generated valid documents, mutated documents and raw input: it returns a Result
 * (value, or errors positioned inside the file), never throws, takes < 1 s per input, and the heap
 * stays bounded across the run. Smoke size in the normal suite, ≥ 10,000 inputs per format in
 * the dedicated run (npm run fuzz).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeUtf8 } from "../../src/io/decode.js";
import type { Result } from "../../src/model/errors.js";
import { parseMxRules } from "../../src/parse/mx-rules.js";
import { parsePolicy } from "../../src/parse/policy.js";
import { parseProviders } from "../../src/parse/providers.js";
import { parseServerConf } from "../../src/parse/serverconf.js";
import { parseTraffic } from "../../src/parse/traffic.js";
import { finishBudget, startBudget, timed } from "./support/budget.js";
import { runs, seedFor, timeoutFor } from "./support/config.js";
import { instanceConfArb, policyArb, providersArb, rulesJsonArb, rulesYamlArb, serverConfArb, trafficArb } from "./support/generators.js";
import { mutatedArb, rawArb, type Format } from "./support/mutate.js";
import { checkResult, exampleText, PATHS } from "./support/repo.js";

const N = runs(200, 10_000);

interface Case {
  name: string;
  format: Format;
  file: string;
  valid: fc.Arbitrary<string>;
  examples: string[];
  parse: (text: string) => Result<unknown>;
}

const PROVIDERS_EXAMPLE =
  "providers:\n  google:\n    remoteIps: 12\n  acme:\n    domains: [acme-mail.example]\n    mx: [mx1.acme-mail.example]\n    acceptance: 0.9\n";

const cases: Case[] = [
  {
    name: "mx-rules (YAML)",
    format: "yaml",
    file: "m.yaml",
    valid: rulesYamlArb,
    examples: [exampleText(PATHS.mxRules)],
    parse: (t) => parseMxRules(t, "m.yaml"),
  },
  {
    name: "mx-rules (JSON)",
    format: "json",
    file: "m.json",
    valid: rulesJsonArb,
    examples: [
      JSON.stringify({ rules: [{ mask: "*.google.com", maxConnections: 30, messagesPerHour: "60,000", tls: "opportunistic" }] }, null, 2),
    ],
    parse: (t) => parseMxRules(t, "m.json"),
  },
  {
    name: "traffic",
    format: "yaml",
    file: "t.yaml",
    valid: trafficArb,
    examples: [exampleText(PATHS.traffic)],
    parse: (t) => parseTraffic(t, "t.yaml"),
  },
  {
    name: "providers",
    format: "yaml",
    file: "p.yaml",
    valid: providersArb,
    examples: [PROVIDERS_EXAMPLE],
    parse: (t) => parseProviders(t, "p.yaml"),
  },
  {
    name: "policy",
    format: "yaml",
    file: "g.yml",
    valid: policyArb,
    examples: [exampleText(PATHS.policy)],
    parse: (t) => parsePolicy(t, "g.yml"),
  },
  {
    name: "serverConf (single file)",
    format: "xml",
    file: "s.xml",
    valid: serverConfArb,
    examples: [exampleText(PATHS.serverConf), exampleText(PATHS.instanceConf)],
    parse: (t) => parseServerConf({ file: "s.xml", text: t }),
  },
];

const decode = (bytes: Uint8Array) => decodeUtf8(bytes);

describe.each(cases)("fuzz: $name", ({ name, format, file, valid, examples, parse }) => {
  it(
    "accepts every generated valid document",
    () => {
      const budget = startBudget();
      fc.assert(
        fc.property(valid, (text) => {
          const result = timed(
            budget,
            () => text,
            () => parse(text),
          );
          checkResult(result, { [file]: text });
          if (!result.ok) throw new Error(`valid document rejected: ${JSON.stringify(result.errors[0])}\n${text}`);
        }),
        { numRuns: Math.ceil(N / 5), seed: seedFor(`${name} valid`) },
      );
      finishBudget(budget, `${name}, valid documents`);
    },
    timeoutFor(N / 5),
  );

  it(
    "ends every mutated or raw input in a value or positioned errors, in bounded time and memory",
    () => {
      const budget = startBudget();
      const input = fc.oneof(
        { weight: 5, arbitrary: mutatedArb(valid, format) },
        { weight: 3, arbitrary: mutatedArb(fc.constantFrom(...examples), format) },
        { weight: 2, arbitrary: rawArb(format, decode) },
      );
      fc.assert(
        fc.property(input, (text) => {
          const result = timed(
            budget,
            () => JSON.stringify(text),
            () => parse(text),
          );
          checkResult(result, { [file]: text });
        }),
        { numRuns: N, seed: seedFor(`${name} mutated`) },
      );
      const { slowestMs } = finishBudget(budget, `${name}, mutated and raw inputs`);
      expect(budget.runs).toBeGreaterThanOrEqual(N);
      expect(slowestMs).toBeLessThan(1000);
    },
    timeoutFor(N),
  );
});

describe("fuzz: serverConf.xml + config-<instance>.xml merge", () => {
  it(
    "merges generated pairs and survives mutations of either file, with positions in the right file",
    () => {
      const budget = startBudget();
      const base = fc.oneof(serverConfArb, fc.constant(exampleText(PATHS.serverConf)));
      const instance = fc.oneof(instanceConfArb, fc.constant(exampleText(PATHS.instanceConf)));
      const pair = fc.oneof(
        { weight: 2, arbitrary: fc.tuple(base, instance) },
        { weight: 3, arbitrary: fc.tuple(mutatedArb(base, "xml"), instance) },
        { weight: 3, arbitrary: fc.tuple(base, mutatedArb(instance, "xml")) },
        { weight: 2, arbitrary: fc.tuple(mutatedArb(base, "xml"), mutatedArb(instance, "xml")) },
      );
      fc.assert(
        fc.property(pair, ([s, i]) => {
          const result = timed(
            budget,
            () => JSON.stringify([s, i]),
            () => parseServerConf({ file: "serverConf.xml", text: s }, { file: "config-prod.xml", text: i }),
          );
          checkResult(result, { "serverConf.xml": s, "config-prod.xml": i });
          if (result.ok) expect(result.value.files).toEqual(["serverConf.xml", "config-prod.xml"]);
        }),
        { numRuns: N, seed: seedFor("serverConf merge") },
      );
      finishBudget(budget, "serverConf merge");
    },
    timeoutFor(N),
  );
});
