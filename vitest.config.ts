import { defineConfig } from "vitest/config";

// Three projects: "core" is the pure engine (parsing, simulation, review, rendering), which must
// also pass under Bun; "app" holds the GitHub layer; "browser" renders the HTML report in Chromium
// with playwright-core, under Node only (npm test's Node suite runs every project, its Bun suite
// only "core").
const BROWSER_TESTS = ["test/render/html-browser.test.ts"];
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "core",
          include: ["test/{architecture,engine,parse,simulate,review,render,cli,model,fuzz,hostile}/**/*.test.ts"],
          exclude: ["**/node_modules/**", ...BROWSER_TESTS],
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
      {
        test: {
          name: "browser",
          include: BROWSER_TESTS,
        },
      },
    ],
  },
});
