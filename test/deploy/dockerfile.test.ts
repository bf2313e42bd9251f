/**
 * The Dockerfile, read statically (no Docker engine here): two stages, every COPY source exists
 * and reaches the build context, the runtime stage installs production dependencies only, runs
 * as a non-root user on 0.0.0.0, and starts what `npm start` starts.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ROOT,
  copiesOf,
  envOf,
  execForm,
  healthcheckCommand,
  ignoredByDockerignore,
  instructions,
  parseDockerfile,
  readDockerfile,
  readDockerignore,
  type Stage,
} from "./helpers.js";

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string>; engines: { node: string } };
const dockerfile = readDockerfile();
const build = dockerfile.stages[0]!;
const runtime = dockerfile.stages.at(-1)!;
const ignore = readDockerignore();

function runs(stage: Stage): string[] {
  return instructions(stage, "RUN").map((i) => i.args);
}

function workdir(stage: Stage): string {
  const dirs = instructions(stage, "WORKDIR");
  expect(dirs, `WORKDIR of stage ${stage.name}`).toHaveLength(1);
  return dirs[0]!.args;
}

describe("the Dockerfile reader", () => {
  it("joins continuation lines, reads stages, ENV pairs and exec forms", () => {
    const parsed = parseDockerfile('ARG V=1\nFROM a:${V} AS one\nENV A=1 \\\n    B=2\nFROM b\nCMD ["x", "y"]\n');
    expect(parsed.globalArgs).toEqual({ V: "1" });
    expect(parsed.stages.map((s) => [s.image, s.name])).toEqual([
      ["a:${V}", "one"],
      ["b", null],
    ]);
    expect(envOf(parsed.stages[0]!)).toEqual({ A: "1", B: "2" });
    expect(execForm(instructions(parsed.stages[1]!, "CMD")[0]!.args)).toEqual(["x", "y"]);
  });

  it("applies .dockerignore rules like Docker (last match wins, ! re-includes)", () => {
    expect(ignoredByDockerignore(["node_modules"], "node_modules/probot/x.js")).toBe(true);
    expect(ignoredByDockerignore(["*.pem", "!keep.pem"], "keep.pem")).toBe(false);
    expect(ignoredByDockerignore(["lib"], "lib2")).toBe(false);
  });
});

describe("Dockerfile", () => {
  it("has a build stage and a runtime stage on the official slim Node image the package supports", () => {
    expect(dockerfile.stages).toHaveLength(2);
    expect(build.name).toBe("build");
    const version = dockerfile.globalArgs.NODE_VERSION;
    expect(version).toMatch(/^(20|22)$/);
    for (const stage of dockerfile.stages) expect(stage.image).toBe("node:${NODE_VERSION}-slim");
    // package.json engines accept this major.
    expect(pkg.engines.node).toMatch(/>=\s*20/);
  });

  it("builds with all dependencies and compiles lib/ with the package's own build script", () => {
    const commands = runs(build);
    expect(commands[0]).toMatch(/^npm ci\b/);
    expect(commands.some((c) => c === "npm run build")).toBe(true);
    expect(pkg.scripts.build).toContain("tsconfig.build.json");
    const outDir = (JSON.parse(readFileSync(join(ROOT, "tsconfig.build.json"), "utf8")) as { compilerOptions: { outDir: string } })
      .compilerOptions.outDir;
    expect(outDir).toBe("lib");
    // The files the build reads are copied before it runs.
    const copied = copiesOf(build).flatMap((c) => c.sources);
    for (const needed of ["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json", "src"])
      expect(copied).toContain(needed);
  });

  it("copies only sources that exist and that .dockerignore lets into the build context", () => {
    const stageNames = new Set(dockerfile.stages.map((s) => s.name));
    for (const stage of dockerfile.stages) {
      for (const copy of copiesOf(stage)) {
        if (copy.from === null) {
          for (const source of copy.sources) {
            expect(existsSync(join(ROOT, source)), `COPY ${source} (line ${copy.line}) exists`).toBe(true);
            expect(ignoredByDockerignore(ignore, source), `COPY ${source} (line ${copy.line}) is not in .dockerignore`).toBe(false);
          }
        } else {
          expect(stageNames.has(copy.from), `COPY --from=${copy.from} names a stage`).toBe(true);
          const from = dockerfile.stages.find((s) => s.name === copy.from)!;
          for (const source of copy.sources) {
            // Produced by that stage: lib/ is what `npm run build` writes under its WORKDIR.
            expect(source).toBe(`${workdir(from)}/lib`);
          }
        }
      }
    }
  });

  it("keeps secrets, dependencies and local builds out of the build context", () => {
    for (const path of [".env", "key.private-key.pem", "node_modules", "lib", ".git", "test"]) {
      expect(ignoredByDockerignore(ignore, path), path).toBe(true);
    }
  });

  it("installs production dependencies only at runtime, without lifecycle scripts", () => {
    const install = runs(runtime).find((c) => c.startsWith("npm ci"));
    expect(install).toBeDefined();
    expect(install).toContain("--omit=dev");
    // `prepare` is the TypeScript build, which the runtime stage cannot (and need not) run.
    expect(install).toContain("--ignore-scripts");
    expect(pkg.scripts.prepare).toBe("npm run build");
    expect(runs(runtime).some((c) => /npm run build|tsc/.test(c))).toBe(false);
  });

  it("ships lib/, bin/, schemas/, app.yml and package*.json in the runtime stage", () => {
    const shipped = copiesOf(runtime).flatMap((c) => c.sources.map((s) => s.replace(/^\/app\//, "")));
    expect(shipped.sort()).toEqual(["app.yml", "bin", "lib", "package-lock.json", "package.json", "schemas"]);
  });

  it("runs as a non-root user, listens on 0.0.0.0 in production mode and exposes the port", () => {
    const users = instructions(runtime, "USER");
    expect(users).toHaveLength(1);
    expect(users[0]!.args).not.toMatch(/^(root|0)(:|$)/);
    // USER comes after every instruction that needs root (npm ci).
    const userLine = users[0]!.line;
    for (const run of instructions(runtime, "RUN")) expect(run.line).toBeLessThan(userLine);
    const env = envOf(runtime);
    expect(env).toMatchObject({ NODE_ENV: "production", HOST: "0.0.0.0", PORT: "3000" });
    expect(instructions(runtime, "EXPOSE").map((e) => e.args)).toEqual([env.PORT]);
  });

  it("starts the same app as `npm start`, with Probot's own CLI", () => {
    const [cmd] = instructions(runtime, "CMD");
    const argv = execForm(cmd!.args);
    expect(argv[0]).toBe("node");
    const probotPkg = JSON.parse(readFileSync(join(ROOT, "node_modules/probot/package.json"), "utf8")) as { bin: Record<string, string> };
    expect(argv[1]).toBe(join("node_modules/probot", probotPkg.bin.probot!));
    // `npm start` execs the very same command line (no shell left between npm and Node).
    expect(`exec ${argv.join(" ")}`).toBe(pkg.scripts.start);
    expect(existsSync(join(ROOT, argv.at(-1)!))).toBe(true);
  });

  it("stops on SIGTERM: tini is PID 1 and forwards it to Node (which ignores it as PID 1)", () => {
    expect(runs(runtime).some((c) => /apt-get install -y --no-install-recommends tini\b/.test(c))).toBe(true);
    const [entrypoint] = instructions(runtime, "ENTRYPOINT");
    expect(execForm(entrypoint!.args)).toEqual(["/usr/bin/tini", "--"]);
  });

  it("checks health against /ping with Node (the slim image has no curl)", () => {
    const [check] = instructions(runtime, "HEALTHCHECK");
    expect(check!.args).toMatch(/--timeout=\d+s/);
    const argv = healthcheckCommand(runtime);
    expect(argv[0]).toBe("node");
    expect(argv.join(" ")).toContain("/ping");
    expect(argv.join(" ")).not.toMatch(/\bcurl\b|\bwget\b/);
  });
});
