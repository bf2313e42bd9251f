#!/usr/bin/env node
// Entry point of the `mx-guard` command (compiled engine in ../lib).
import { main } from "../lib/cli/main.js";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`mx-guard: internal error: ${error?.message ? error.message : error}\n`);
    process.exitCode = 2;
  },
);
