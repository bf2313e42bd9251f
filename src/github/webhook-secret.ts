/**
 * No forged verdicts: without WEBHOOK_SECRET Probot verifies webhooks with its public default
 * secret ("development"), so anyone could send a signed pull_request event that turns the check
 * green. Outside NODE_ENV=development the app refuses to start instead (docs/github-app.md).
 */

/** Probot's built-in secret when none is set (probot/lib/server/server.js, `defaultWebhookSecret`). */
export const PROBOT_DEVELOPMENT_SECRET = "development";

/** Why the app must not start with this environment, in one line; null when the secret is fine. */
export function webhookSecretProblem(env: Record<string, string | undefined>): string | null {
  if (env.NODE_ENV === "development") return null;
  const secret = env.WEBHOOK_SECRET?.trim() ?? "";
  if (secret === "") {
    return "WEBHOOK_SECRET is not set: set it to the webhook secret of your GitHub App (its settings page, Webhook secret); only NODE_ENV=development runs without one";
  }
  if (secret === PROBOT_DEVELOPMENT_SECRET) {
    return `WEBHOOK_SECRET is Probot's public default "${PROBOT_DEVELOPMENT_SECRET}": set the GitHub App's own webhook secret; only NODE_ENV=development accepts it`;
  }
  return null;
}
