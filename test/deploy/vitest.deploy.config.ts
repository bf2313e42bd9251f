// Deployment tests: the Dockerfile, the runtime image layout started as a real process, the GitHub
// Action (nock and a real process), and the CLI in CI under Node and Bun. They need lib/ built
// (`npm run build`). Run: npx vitest run --config test/deploy/vitest.deploy.config.ts
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: {
    name: "deploy",
    include: ["test/deploy/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 20_000,
  },
});
