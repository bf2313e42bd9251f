/**
 * What the runner starts (action.yml `runs.main`): scripts/build-action.mjs bundles this file with
 * everything it imports into dist/index.js, so a run installs and compiles nothing.
 */
import { escapeCommand, main } from "./main.js";

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stdout.write(`::error title=MX Guard::${escapeCommand(`MX Guard could not run: ${message}`)}\n`);
  process.exitCode = 2;
});
