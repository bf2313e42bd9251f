/**
 * `mx-guard catalog --resolve` through node:dns/promises' own Resolver, pointed at a DNS server this
 * test runs on 127.0.0.1 (never the internet): MX and A answers, and NXDOMAIN for everything else.
 */
import { createSocket, type Socket } from "node:dgram";
import { Resolver } from "node:dns/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import type { Output } from "../../src/cli/output.js";

const MX: Record<string, string[]> = { "gmx.de": ["mx01.emig.gmx.net", "mx00.emig.gmx.net"], "gmx.net": ["mx00.emig.gmx.net"] };
const A: Record<string, string> = { "mx00.emig.gmx.net": "212.227.15.9", "mx01.emig.gmx.net": "212.227.17.5" };

function readName(msg: Buffer, offset: number): [string, number] {
  const labels: string[] = [];
  while (msg[offset]! > 0) {
    labels.push(msg.subarray(offset + 1, offset + 1 + msg[offset]!).toString("ascii"));
    offset += msg[offset]! + 1;
  }
  return [labels.join(".").toLowerCase(), offset + 1];
}

function encodeName(name: string): Buffer {
  return Buffer.concat([
    ...name.split(".").map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, "ascii")])),
    Buffer.from([0]),
  ]);
}

/** One answer record pointing back at the question's name (compression pointer 0xC00C). */
function record(type: number, data: Buffer): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt16BE(0xc00c, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt16BE(1, 4);
  head.writeUInt32BE(300, 6);
  head.writeUInt16BE(data.length, 10);
  return Buffer.concat([head, data]);
}

function answer(query: Buffer): Buffer {
  const [name, end] = readName(query, 12);
  const type = query.readUInt16BE(end);
  const question = query.subarray(12, end + 4);
  const records: Buffer[] = [];
  if (type === 15 && MX[name]) {
    MX[name]!.forEach((host, i) => {
      const pref = Buffer.alloc(2);
      pref.writeUInt16BE(i === 0 ? 20 : 10); // the second host is preferred: the command sorts by preference
      records.push(record(15, Buffer.concat([pref, encodeName(host)])));
    });
  }
  if (type === 1 && A[name]) records.push(record(1, Buffer.from(A[name]!.split(".").map(Number))));
  const known = MX[name] !== undefined || A[name] !== undefined;
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);
  header.writeUInt16BE(0x8180 | (known ? 0 : 3), 2); // response, recursion available; rcode 3 = NXDOMAIN
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records.length, 6);
  return Buffer.concat([header, question, ...records]);
}

let server: Socket;
let port = 0;
beforeAll(async () => {
  server = createSocket("udp4");
  server.on("message", (msg, peer) => server.send(answer(msg), peer.port, peer.address));
  await new Promise<void>((resolve) => server.bind(0, "127.0.0.1", resolve));
  port = server.address().port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("mx-guard catalog --resolve with node's resolver and a local DNS server", () => {
  it("prints the live MX hosts in preference order, the distinct IPv4s, and the domains that did not resolve", async () => {
    const resolver = new Resolver({ timeout: 2000, tries: 1 });
    resolver.setServers([`127.0.0.1:${port}`]);
    let stdout = "";
    const out: Output = { stdout: (t) => void (stdout += t), stderr: () => {}, isInteractive: false, now: () => 0 };
    const code = await main(["catalog", "--resolve"], out, { resolver, today: () => "2027-01-15" });
    expect(code).toBe(1); // every other provider is NXDOMAIN here
    expect(stdout).toContain("gmx (gmx.de, gmx.net): same as the catalog");
    expect(stdout).toContain(
      "  live MX:     mx00.emig.gmx.net, mx01.emig.gmx.net\n  remote IPs:  catalog 2 (estimate), live 2 distinct IPv4 addresses (212.227.15.9, 212.227.17.5)",
    );
    expect(stdout).toContain("  gmail.com: not resolved (ENOTFOUND)");
  });
});
