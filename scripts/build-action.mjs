#!/usr/bin/env node
// Bundles the GitHub Action (src/action/entry.ts and everything it imports, dependencies included)
// into one file, dist/index.js, the way JavaScript actions ship: the runner starts it with its own
// Node (action.yml `runs.using`), nothing is installed or compiled on a run.
//
//   npm run build:action            writes dist/index.js
//   node scripts/build-action.mjs --outfile /tmp/x.js   writes elsewhere (test/deploy compares the two)
//
// The output is deterministic: the same sources and dependencies give the same bytes (no
// timestamps, no absolute paths, licence comments collected in a fixed order at the end).
import { fileURLToPath } from "node:url";
import { dirname, join, relative, resolve, sep } from "node:path";
import * as esbuild from "esbuild";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const ENTRY = join(ROOT, "src/action/entry.ts");
export const OUTFILE = join(ROOT, "dist/index.js");
const SRC = join(ROOT, "src") + sep;

/**
 * The project's own modules have no side effects on import, so the bundler may drop the ones the
 * Action never calls (the App's webhook handlers import Redis clients the Action does not need).
 */
const projectModulesArePure = {
  name: "project-modules-are-pure",
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, async (args) => {
      if (args.pluginData === "resolving" || !args.importer.startsWith(SRC)) return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: "resolving",
      });
      if (resolved.errors.length > 0 || !resolved.path.startsWith(SRC) || resolved.path === ENTRY) return resolved;
      return { ...resolved, sideEffects: false };
    });
  },
};

/** esbuild's options for the Action's bundle. */
export function actionBuildOptions(outfile = OUTFILE) {
  return {
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    outfile,
    bundle: true,
    platform: "node",
    // The runner's Node is 24 (action.yml); node20 keeps the bundle loadable on older self-hosted runners too.
    target: "node20",
    format: "esm",
    // Bundled CommonJS dependencies call require() for Node's built-in modules.
    banner: {
      js: 'import { createRequire as __mxGuardCreateRequire } from "node:module";\nconst require = __mxGuardCreateRequire(import.meta.url);',
    },
    minify: true,
    // Stack traces and error messages in the job log keep readable function and class names.
    keepNames: true,
    legalComments: "eof",
    charset: "utf8",
    sourcemap: false,
    metafile: true,
    logLevel: "warning",
    plugins: [projectModulesArePure],
  };
}

/** Builds the bundle; returns the output's size in bytes and the inputs that went into it. */
export async function buildAction(outfile = OUTFILE) {
  const result = await esbuild.build(actionBuildOptions(outfile));
  const output = Object.values(result.metafile.outputs)[0];
  return { bytes: output.bytes, inputs: Object.keys(output.inputs).length };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf("--outfile");
  const outfile = at >= 0 ? resolve(process.argv[at + 1]) : OUTFILE;
  const { bytes, inputs } = await buildAction(outfile);
  process.stdout.write(`${relative(process.cwd(), outfile) || outfile}: ${(bytes / 1024).toFixed(0)} KiB from ${inputs} modules\n`);
}
