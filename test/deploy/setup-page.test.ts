/**
 * `npm start` on a fresh checkout, before the app is registered: no APP_ID, no key. Probot must answer
 * on the port with its setup page, whose "Register GitHub App" form carries our app.yml manifest.
 * Run in a scratch directory (symlinked to the build) so a developer's .env is never read.
 */
import { mkdtempSync, rmSync, symlinkSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cleanEnv, freePort, ROOT, start, stop, stopAll, waitFor } from "./helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "mx-guard-setup-"));
afterAll(async () => {
  await stopAll();
  rmSync(scratch, { recursive: true, force: true });
});

describe("npm start without credentials", () => {
  it("serves Probot's setup page with the app.yml manifest on the port", async () => {
    for (const entry of ["lib", "node_modules"]) symlinkSync(join(ROOT, entry), join(scratch, entry));
    for (const file of ["package.json", "app.yml"]) copyFileSync(join(ROOT, file), join(scratch, file));
    const port = await freePort();
    // The same command as the `start` script; npm itself is not needed to prove the behaviour.
    const app = start(process.execPath, ["node_modules/probot/bin/probot.js", "run", "./lib/index.js"], {
      cwd: scratch,
      env: cleanEnv({ PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "info" }),
    });
    try {
      const root = await waitFor(
        async () => {
          const response = await fetch(`http://127.0.0.1:${port}/`, { redirect: "manual" });
          return response.status === 302 ? response : undefined;
        },
        30_000,
        "the setup redirect",
      );
      expect(root.headers.get("location")).toBe("/probot");
      const page = await (await fetch(`http://127.0.0.1:${port}/probot`)).text();
      expect(page).toContain("Register GitHub App");
      // The manifest posted to GitHub is built from app.yml: our name and minimum permissions.
      expect(page).toContain("MX Guard");
      expect(page).toMatch(/checks.{0,20}write/);
      expect(app.output()).toContain("setup mode");
    } finally {
      await stop(app);
    }
  }, 60_000);
});
