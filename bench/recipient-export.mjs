// Writes a synthetic recipient export for `mx-guard domains` benchmarks and tests:
//   node bench/recipient-export.mjs OUT LINES [--gzip] [--csv]
// Domains follow a long-tailed mix (a few providers, then many small domains); a fixed seed keeps
// the file the same from run to run. The file is meant for /tmp, never for the repository.
import { createWriteStream } from "node:fs";
import { createGzip } from "node:zlib";

const [out, linesArg, ...flags] = process.argv.slice(2);
if (!out || !linesArg) {
  console.error("usage: node bench/recipient-export.mjs OUT LINES [--gzip] [--csv]");
  process.exit(2);
}
const lines = Number(linesArg);
const gzip = flags.includes("--gzip");
const csv = flags.includes("--csv");
const BIG = [
  ["gmail.com", 0.35],
  ["yahoo.com", 0.1],
  ["hotmail.com", 0.08],
  ["orange.fr", 0.05],
  ["icloud.com", 0.04],
  ["outlook.com", 0.03],
  ["aol.com", 0.02],
  ["laposte.net", 0.02],
  ["free.fr", 0.02],
  ["gmx.de", 0.01],
];
let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
function domain() {
  let r = random();
  for (const [name, share] of BIG) {
    if (r < share) return name;
    r -= share;
  }
  // The tail: 50,000 company domains, smaller the further down.
  return `company${Math.floor(random() ** 3 * 50000)}.example`;
}
const file = createWriteStream(out);
const sink = gzip ? createGzip({ level: 1 }) : file;
if (gzip) sink.pipe(file);
if (csv) sink.write("id,first_name,last_name,email,country\n");
let buffer = "";
for (let i = 0; i < lines; i += 1) {
  const address = `user${i}@${domain()}`;
  buffer += csv ? `${i},Ann,"Smith, Jr",${address},FR\n` : `${address}\n`;
  if (buffer.length > 1 << 16) {
    if (!sink.write(buffer)) await new Promise((resolve) => sink.once("drain", resolve));
    buffer = "";
  }
}
sink.end(buffer);
await new Promise((resolve) => file.on("close", resolve));
