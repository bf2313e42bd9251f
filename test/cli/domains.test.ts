/** `mx-guard domains`: a recipient export → a traffic.yaml domains: block, streamed in bounded memory. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { domainsCommand } from "../../src/cli/domains.js";
import { parseCliArgs } from "../../src/cli/args.js";
import type { Output } from "../../src/cli/output.js";
import { runCli, scratchSpace } from "./helpers.js";

const { scratch, tempDir } = scratchSpace();

/** 200,000 addresses: gmail 50 %, yahoo 20 %, hotmail 10 %, orange 5 %, and 3,000 small domains of 10 each. */
function exportLines(): string[] {
  const lines: string[] = [];
  const add = (domain: string, n: number) => {
    for (let i = 0; i < n; i += 1) lines.push(`user${lines.length}@${domain}`);
  };
  add("gmail.com", 100_000);
  add("yahoo.com", 40_000);
  add("Hotmail.COM", 20_000);
  add("orange.fr", 10_000);
  for (let d = 0; d < 3000; d += 1) add(`shop${d}.example`, 10);
  // Interleave, so nothing depends on the file being sorted.
  return lines
    .map((line, i) => [line, (i * 7919) % lines.length] as const)
    .sort((a, b) => a[1] - b[1])
    .map(([line]) => line);
}

function write(name: string, text: string | Buffer): string {
  const file = join(tempDir("mx-guard-domains-"), name);
  writeFileSync(file, text);
  return file;
}

describe("mx-guard domains", () => {
  it("prints the top domains of a 200,000-line export as shares, grouped by provider, the rest to other", async () => {
    const file = write("plain.txt", `${exportLines().join("\n")}\n`);
    const { code, stdout, stderr } = await runCli(["domains", file, "--top", "3"]);
    expect(code).toBe(0);
    expect(stdout).toContain("# 200,000 addresses in plain.txt, 3,004 distinct domains.");
    expect(stdout).toContain(
      [
        "    domains:",
        "      # google: 50%",
        "      gmail.com: 50%",
        "      # yahoo: 20%",
        "      yahoo.com: 20%",
        "      # microsoft: 10%",
        "      hotmail.com: 10%",
      ].join("\n"),
    );
    expect(stdout).toContain("# other: 20% (40,000 addresses in 3,001 other domains)");
    expect(stderr).toBe(`mx-guard: ${file}: 200,000 addresses read, no malformed line\n`);
    // Default --top 20: orange.fr too; the small domains (0.005 % each) round down to nothing and stay in other.
    const all = await runCli(["domains", file]);
    expect(all.stdout).toContain("      # orange: 5%\n      orange.fr: 5%\n");
    expect(all.stdout).not.toContain("shop");
  });

  it("reads gzip by its magic bytes, whatever the name, with the same result", async () => {
    const text = `${exportLines().join("\n")}\n`;
    const plain = await runCli(["domains", write("a.txt", text)]);
    const zipped = await runCli(["domains", write("a.txt", gzipSync(text))]);
    expect(zipped.code).toBe(0);
    expect(zipped.stdout).toBe(plain.stdout);
  });

  it("counts malformed lines, reports them on stderr with their line numbers, and carries on", async () => {
    const file = write(
      "bad.txt",
      ["ann@gmail.com", "not an address", "", "bob@", "carl@yahoo.com", "dan@exa mple.com", "eve@gmail.com"].join("\n"),
    );
    const { code, stdout, stderr } = await runCli(["domains", file]);
    expect(code).toBe(0);
    expect(stdout).toContain("# 3 addresses in bad.txt");
    expect(stdout).toContain("gmail.com: 66.66%");
    expect(stderr).toContain("3 addresses read; 3 malformed line(s) skipped, e.g.");
    expect(stderr).toContain('line 2: "not an address" is not an e-mail address');
    expect(stderr).toContain('line 4: "bob@" is not an e-mail address');
    expect(stderr).toContain("line 6:");
  });

  it("finds the address column of a CSV by its name and handles quoted fields, doubled quotes and line breaks in quotes", async () => {
    const csv = [
      'id,"Last name, first",E-Mail,country',
      '1,"Smith, Ann",ann@gmail.com,FR',
      '2,"O""Brien, Bob","Bob <BOB@Yahoo.com>",IE',
      '3,"multi',
      'line, name",carl@gmail.com,DE',
      "4,Dan,,FR",
      '5,"unclosed,eve@gmail.com,FR',
    ].join("\r\n");
    const { code, stdout, stderr } = await runCli(["domains", write("export.csv", csv)]);
    expect(code).toBe(0);
    expect(stdout).toContain("# 3 addresses in export.csv");
    expect(stdout).toContain("gmail.com: 66.66%");
    expect(stdout).toContain("yahoo.com: 33.33%");
    expect(stderr).toContain('3 addresses read (column "E-Mail"); 2 malformed line(s) skipped');
    expect(stderr).toContain("line 6: the address is empty");
    expect(stderr).toContain("line 7: a quoted field is not closed at the end of the file");
  });

  it("takes --column for another name and any common delimiter; an unknown column is a usage error", async () => {
    const file = write("export.csv", "id;courriel_pro;mail_perso\n1;ann@gmail.com;ann@yahoo.com\n2;bob@gmail.com;bob@orange.fr\n");
    const picked = await runCli(["domains", file, "--column", "mail_perso"]);
    expect(picked.stdout).toContain("yahoo.com: 50%");
    expect(picked.stdout).toContain("orange.fr: 50%");
    const missing = await runCli(["domains", file, "--column", "address"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--column address: the header row has no such column (it has "id", "courriel_pro", "mail_perso")');
    const noHeader = await runCli(["domains", write("x.csv", "first,last\nAnn,Smith\n")]);
    expect(noHeader.code).toBe(2);
    expect(noHeader.stderr).toContain("name the column with --column NAME");
    expect((await runCli(["domains", file, "--top", "0"])).stderr).toContain("--top 0: expected a whole number from 1 to 1000");
    expect((await runCli(["domains", join(tempDir("x"), "nope.csv")])).stderr).toContain("nope.csv: no such file");
  });

  it("keeps memory bounded: past the limit of distinct domains the smallest are dropped, and it says by how much a share may be low", async () => {
    const lines: string[] = [];
    for (let i = 0; i < 5000; i += 1) lines.push(`a${i}@gmail.com`, `b${i}@tail${i}.example`);
    const file = write("tail.txt", lines.join("\n"));
    let stdout = "";
    let stderr = "";
    const out: Output = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isInteractive: false, now: () => 0 };
    const code = await domainsCommand(parseCliArgs(["domains", file, "--top", "1"]), out, 100);
    expect(code).toBe(0);
    expect(stdout).toContain("gmail.com: 50%");
    expect(stdout).toContain("distinct domains or more");
    expect(stdout).toContain("a listed share may be low by up to 0.01%");
    expect(stderr).toContain(
      'more than 100 distinct domains: the smallest were dropped (each at most 1 addresses), their addresses counted in "other"',
    );
  });

  it("prints a block that traffic.yaml accepts as it is", async () => {
    const block = (await runCli(["domains", write("plain.txt", exportLines().join("\n"))])).stdout;
    const copy = scratch();
    copy.edit("campaign/traffic.yaml", (text) => text.replace(/ {4}domains:\n(?: {6}.*\n)+/, block));
    const { code, stdout, stderr } = await runCli(["simulate", copy.dir, "--format", "json", "--exit-zero"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const newsletter = JSON.parse(stdout).instances[0].deliveries[0];
    const share = (domain: string) => newsletter.domains.find((d: { domain: string }) => d.domain === domain).recipients;
    expect(share("gmail.com")).toBe(1_000_000);
    expect(share("hotmail.com")).toBe(200_000);
  });
});
