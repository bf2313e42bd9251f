// Multi-replica suite: a real redis-server, two or three app processes (`probot run`) and one fake
// GitHub, all on 127.0.0.1. Files run one at a time: each starts its own processes, and Probot's
// request pacing makes them timing-sensitive under parallel load.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: {
    name: "replicas",
    include: ["test/replicas/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
  },
});
