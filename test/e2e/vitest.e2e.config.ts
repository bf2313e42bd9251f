// End-to-end suite: the fake GitHub (in-process) and the app as a real process (node or bun,
// MX_GUARD_E2E_RUNTIME). Files run one at a time: each starts its own app process, and Probot's
// request pacing makes them timing-sensitive under parallel load.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: {
    name: "e2e",
    include: ["test/e2e/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 20_000,
  },
});
