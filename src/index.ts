/** Probot entry point: `probot run ./lib/index.js` (npm start). */
import { defaultEngine } from "./engine/index.js";
import { createApp } from "./github/app.js";
import { webhookSecretProblem } from "./github/webhook-secret.js";

// Probot's setup page (no APP_ID yet) never loads this module, so registration still works.
const secretProblem = webhookSecretProblem(process.env);
if (secretProblem !== null) {
  process.stderr.write(`mx-guard: ${secretProblem}\n`);
  process.exit(1);
}

export default createApp(defaultEngine, { mergeBase: true });
