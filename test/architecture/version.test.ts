/** The version the core reports (SARIF tool.driver.version) is the package's. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MX_GUARD_VERSION } from "../../src/model/version.js";

describe("MX_GUARD_VERSION", () => {
  it("equals package.json's version", () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "../../package.json"), "utf8")) as { version: string };
    expect(MX_GUARD_VERSION).toBe(pkg.version);
  });
});
