/**
 * A 50 MB file, in memory and through the CLI's directory reader (which reads at most
 * MAX_FILE_BYTES + 1 bytes): a size error at 1:1 naming the limit, quickly, without loading it all.
 */
import { mkdtempSync, rmSync, writeFileSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import type { Output } from "../../src/cli/output.js";
import { directorySource } from "../../src/io/directory-source.js";
import { MAX_FILE_BYTES } from "../../src/io/file-source.js";
import type { Result } from "../../src/model/errors.js";
import { parseMxRules } from "../../src/parse/mx-rules.js";
import { parsePolicy } from "../../src/parse/policy.js";
import { parseProviders } from "../../src/parse/providers.js";
import { parseServerConf } from "../../src/parse/serverconf.js";
import { parseTraffic } from "../../src/parse/traffic.js";
import { EXAMPLE_DIR, PATHS } from "../fuzz/support/repo.js";
import { MB, timed, timedAsync } from "./helpers.js";

const FIFTY_MB = 50 * MB;
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("a 50 MB file", () => {
  it("is refused by every parser at 1:1 with the size and the limit, in < 1 s each", () => {
    const xml = `<serverConf>${" ".repeat(FIFTY_MB)}</serverConf>`;
    const yaml = `# ${"x".repeat(FIFTY_MB)}\nrules: []\n`;
    const parsers: (() => Result<unknown>)[] = [
      () => parseServerConf({ file: "s.xml", text: xml }),
      () => parseServerConf({ file: "s.xml", text: "<serverConf/>" }, { file: "i.xml", text: xml }),
      () => parseMxRules(yaml, "m.yaml"),
      () => parseTraffic(yaml, "t.yaml"),
      () => parseProviders(yaml, "p.yaml"),
      () => parsePolicy(yaml, "g.yml"),
    ];
    for (const parse of parsers) {
      const { value, ms } = timed(parse);
      if (value.ok) throw new Error("a 50 MB file was accepted");
      expect(value.errors).toHaveLength(1);
      expect(value.errors[0]).toMatchObject({ line: 1, column: 1 });
      expect(value.errors[0]!.expected).toMatch(/^at most 4,?194,?304 bytes$/);
      expect(ms).toBeLessThan(1000);
    }
  });

  it("is read only up to the cap by the directory reader and reported by the CLI with file:line:column", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mx-guard-hostile-"));
    dirs.push(dir);
    cpSync(EXAMPLE_DIR, dir, { recursive: true });
    const big = Buffer.alloc(FIFTY_MB, 0x20);
    big.write("<serverconf>", 0);
    writeFileSync(join(dir, PATHS.serverConf), big);

    const read = await timedAsync(() => directorySource(dir).read(PATHS.serverConf));
    expect(read.value!.length).toBe(MAX_FILE_BYTES + 1);
    expect(read.ms).toBeLessThan(500);

    let stdout = "";
    let stderr = "";
    const out: Output = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isInteractive: false, now: () => 0 };
    const { value: code, ms } = await timedAsync(() => main(["simulate", dir, "--format", "json"], out));
    expect(code).toBe(2);
    expect(stderr).toContain(`${PATHS.serverConf}:1:1: file is 4,194,305 bytes, larger than the 4,194,304-byte limit`);
    expect(JSON.parse(stdout).findings[0]).toMatchObject({ id: "config-error", file: PATHS.serverConf, line: 1 });
    expect(ms).toBeLessThan(2000);
  });

  it("is refused through the CLI as binary garbage too (50 MB of random bytes in mx-rules.yaml)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mx-guard-hostile-"));
    dirs.push(dir);
    cpSync(EXAMPLE_DIR, dir, { recursive: true });
    const noise = Buffer.alloc(FIFTY_MB);
    for (let i = 0; i < noise.length; i += 4) noise.writeUInt32LE((Math.imul(i, 2654435761) ^ 0x9e3779b9) >>> 0, i);
    writeFileSync(join(dir, PATHS.mxRules), noise);
    let stderr = "";
    const out: Output = { stdout: () => undefined, stderr: (t) => void (stderr += t), isInteractive: false, now: () => 0 };
    const { value: code, ms } = await timedAsync(() => main(["simulate", dir], out));
    expect(code).toBe(2);
    expect(stderr).toMatch(new RegExp(`${PATHS.mxRules}:1:1: the file is too large`));
    expect(ms).toBeLessThan(2000);
  });
});
