// Load test: the built app as a real process against the fake GitHub (test/e2e/fake-github),
// 200 pull_request webhooks over 60 s on 20 repositories. Long (Probot paces writes ≥1 s apart
// per process): run it on its own, `npx vitest run --config test/load/vitest.load.config.ts`.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: {
    name: "load",
    include: ["test/load/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 45 * 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 20_000,
  },
});
