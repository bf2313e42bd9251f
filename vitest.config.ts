import { defineConfig } from "vitest/config";

// Two projects: "core" is the pure engine (parsing, simulation, review, rendering), which must
// also pass under Bun; "app" holds the GitHub layer and end-to-end tests.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "core",
          include: ["test/{architecture,engine,parse,simulate,review,render,cli,model,fuzz,hostile}/**/*.test.ts"],
          setupFiles: [],
        },
      },
      {
        test: {
          name: "app",
          include: ["test/github/**/*.test.ts"],
          setupFiles: ["test/github/setup.ts"],
        },
      },
    ],
  },
});
