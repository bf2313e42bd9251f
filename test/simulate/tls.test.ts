import { describe, expect, it } from "vitest";
import type { RuleTls } from "../../src/model/config.js";
import { effectiveTls } from "../../src/simulate/index.js";

describe("effectiveTls (SPEC §5, research §4.1)", () => {
  it.each<[RuleTls | null, boolean, boolean, "plaintext" | "opportunistic"]>([
    ["disabled", true, true, "plaintext"],
    ["disabled", true, false, "plaintext"],
    ["opportunistic", true, false, "opportunistic"],
    ["opportunistic", true, true, "opportunistic"],
    ["default", true, false, "plaintext"],
    ["default", true, true, "opportunistic"],
    [null, true, false, "plaintext"],
    [null, true, true, "opportunistic"],
    // statServerTLSSupport=false: every rule behaves as default, enableTLS decides.
    ["disabled", false, true, "opportunistic"],
    ["opportunistic", false, false, "plaintext"],
    ["default", false, false, "plaintext"],
  ])("rule %s, statServerTLSSupport %s, enableTLS %s → %s", (rule, support, enableTLS, expected) => {
    expect(effectiveTls(rule, { statServerTLSSupport: support, enableTLS })).toBe(expected);
  });
});
