import { defineConfig } from "vitest/config";

// The dedicated fuzz run: ≥ 10,000 inputs per format (npm run fuzz). The same test files run with
// a smoke sample in the normal suite. --expose-gc lets the heap checks measure after a collection.
export default defineConfig({
  test: {
    include: ["test/fuzz/**/*.test.ts"],
    env: { MX_FUZZ_SCALE: process.env.MX_FUZZ_SCALE ?? "full" },
    execArgv: ["--expose-gc"],
    testTimeout: 600_000,
  },
});
