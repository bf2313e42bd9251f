/**
 * mx-guard's version, as package.json states it (test/architecture/version.test.ts keeps them equal).
 * A constant rather than a read of package.json: the core does no I/O, and bundles carry no package.json.
 */
export const MX_GUARD_VERSION = "0.1.0";
