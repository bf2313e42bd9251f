/**
 * Inputs that broke mx-guard during fuzzing (test/fixtures/fuzz-regressions/), kept in the normal
 * suite: each must now end in the stated positioned error or a bounded result.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { simulateSide } from "../../src/engine/index.js";
import { parseMxRules } from "../../src/parse/mx-rules.js";
import { parseServerConf } from "../../src/parse/serverconf.js";
import { parseTraffic } from "../../src/parse/traffic.js";
import { checkRun } from "../fuzz/support/checks.js";
import { exampleFiles, examplePolicy, PATHS } from "../fuzz/support/repo.js";
import { errorsOf, timed } from "./helpers.js";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/fuzz-regressions/${name}`, import.meta.url), "utf8");

describe("fuzz regressions", () => {
  it.each(["yaml-deep-flow-nesting.yaml", "yaml-compact-seq-nesting.yaml"])(
    "%s: nested too deeply, at once (used to abort the process)",
    (name) => {
      const text = fixture(name);
      const { value, ms } = timed(() => parseMxRules(text, name));
      expect(errorsOf(value, text)[0]).toMatchObject({ line: 3, message: "the file is nested too deeply to read" });
      expect(ms).toBeLessThan(100);
    },
  );

  it("mx-rules-shadowing-bomb.yaml: the shadowed-rule check stays within its budget", () => {
    const files = { ...exampleFiles(), [PATHS.mxRules]: fixture("mx-rules-shadowing-bomb.yaml") };
    const { value: run, ms } = timed(() => simulateSide(files, examplePolicy()));
    checkRun(run, files, 1);
    expect(run.report.findings.filter((f) => f.id === "config-error")).toEqual([]);
    expect(ms).toBeLessThan(3000);
  });

  it("traffic-span-bomb.yaml: refused at the far start, naming the 31-day limit", () => {
    const text = fixture("traffic-span-bomb.yaml");
    const [issue] = errorsOf(parseTraffic(text, PATHS.traffic), text);
    expect(issue).toMatchObject({ line: 10, column: 12, expected: "a start at most 31 days after the earliest delivery's start" });
  });

  it("serverconf-max-age.xml: maxAgeSec over one day is refused at the value", () => {
    const text = fixture("serverconf-max-age.xml");
    const [issue] = errorsOf(parseServerConf({ file: PATHS.serverConf, text }), text);
    expect(issue).toMatchObject({ line: 6, column: 23, message: "maxAgeSec must be at most 86400" });
  });
});
