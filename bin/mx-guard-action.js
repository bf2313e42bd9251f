#!/usr/bin/env node
// Entry point of the GitHub Action (action.yml): runs the App's pipeline on the workflow's event.
import { main } from "../lib/action/main.js";

main().catch((error) => {
  process.stdout.write(`::error title=MX Guard::MX Guard could not run: ${error && error.message ? error.message : error}\n`);
  process.exitCode = 2;
});
