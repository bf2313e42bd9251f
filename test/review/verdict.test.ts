import { describe, expect, it } from "vitest";
import type { ReviewedFinding } from "../../src/model/findings.js";
import { isBlocking, verdict } from "../../src/review/verdict.js";
import { finding, policy } from "../fixtures/review/build.js";

const reviewed = (f: ReturnType<typeof finding>, status: ReviewedFinding["status"]): ReviewedFinding => ({ ...f, status });

describe("verdict", () => {
  const expiry = finding("delivery-expiry", "d");
  const deferral = finding("quota-deferral", "google");

  it("fails on a new or worsened finding whose id is in failOn", () => {
    expect(verdict([reviewed(expiry, "new")], policy())).toBe("failure");
    expect(verdict([reviewed(expiry, "worsened")], policy())).toBe("failure");
  });

  it("passes on existing and fixed findings, even with ids in failOn", () => {
    expect(verdict([reviewed(expiry, "existing"), reviewed(expiry, "fixed")], policy())).toBe("success");
  });

  it("passes on new findings whose id is not in failOn", () => {
    expect(verdict([reviewed(deferral, "new")], policy())).toBe("success");
    expect(verdict([reviewed(deferral, "new")], policy(["quota-deferral"]))).toBe("failure");
    expect(verdict([reviewed(expiry, "new")], policy([]))).toBe("success");
  });

  it("passes on no findings at all", () => {
    expect(verdict([], policy())).toBe("success");
  });

  it("isBlocking matches the verdict per finding", () => {
    expect(isBlocking(reviewed(expiry, "new"), policy())).toBe(true);
    expect(isBlocking(reviewed(deferral, "worsened"), policy())).toBe(false);
  });

  it("fails closed on a head configuration error, existing on the base or not, whatever failOn says", () => {
    const broken = finding("config-error", "campaign/traffic.yaml");
    for (const status of ["new", "existing", "worsened"] as const) {
      expect(verdict([reviewed(broken, status)], policy([]))).toBe("failure");
    }
    expect(verdict([reviewed(broken, "fixed")], policy())).toBe("success");
  });
});
