import { describe, expect, it } from "vitest";
import { webhookSecretProblem } from "../../src/github/webhook-secret.js";

describe("WEBHOOK_SECRET is required outside development", () => {
  it.each([
    ["unset, in production", { NODE_ENV: "production" }, "WEBHOOK_SECRET is not set"],
    ["empty, NODE_ENV unset", { WEBHOOK_SECRET: "  " }, "WEBHOOK_SECRET is not set"],
    ["Probot's default, in production", { NODE_ENV: "production", WEBHOOK_SECRET: "development" }, `Probot's public default "development"`],
    ["Probot's default, under test", { NODE_ENV: "test", WEBHOOK_SECRET: "development" }, `Probot's public default "development"`],
  ])("refuses %s, in one line naming what to set", (_name, env, expected) => {
    const problem = webhookSecretProblem(env);
    expect(problem).toContain(expected);
    expect(problem).toContain("NODE_ENV=development");
    expect(problem).not.toContain("\n");
  });

  it("accepts a real secret anywhere, and anything under NODE_ENV=development", () => {
    expect(webhookSecretProblem({ NODE_ENV: "production", WEBHOOK_SECRET: "whsec-1f2e3d" })).toBeNull();
    expect(webhookSecretProblem({ NODE_ENV: "development" })).toBeNull();
    expect(webhookSecretProblem({ NODE_ENV: "development", WEBHOOK_SECRET: "development" })).toBeNull();
  });
});
