/**
 * `mx-guard domains FILE`: streams a recipient export (plain or gzip, detected by its magic bytes)
 * and prints the traffic.yaml `domains:` block of its domain mix. Memory stays bounded whatever the
 * file's size; lines that hold no address are counted and reported on stderr, never fatal.
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { basename } from "node:path";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { builtinProviders, renderDomainMix } from "../engine/index.js";
import { groupDigits } from "../model/format.js";
import { oneLine } from "../render/plain-text.js";
import { type CliOptions, UsageError } from "./args.js";
import type { Output } from "./output.js";
import { DomainCounter, detectLayout, domainOf, fieldAt, isOpenRecord, type Layout } from "./recipient-export.js";

/** Distinct domains counted exactly; a real export has far fewer, and 200,000 keys stay within a few tens of MB. */
export const MAX_TRACKED_DOMAINS = 200_000;
/** A quoted field may span lines; a record longer than this is malformed, not a reason to buffer the file. */
const MAX_RECORD_CHARS = 64 * 1024;
const EXAMPLES = 5;

export async function domainsCommand(options: CliOptions, out: Output, limit = MAX_TRACKED_DOMAINS): Promise<number> {
  const file = options.positionals[0]!;
  const stream = await openExport(file);
  const counter = new DomainCounter(limit);
  const known = (domain: string) => counter.has(domain);
  const malformed = { count: 0, examples: [] as string[] };
  let layout: Layout | null = null;
  let lineNumber = 0;
  let recordStart = 0;
  let pending: string | null = null;

  const bad = (line: number, why: string) => {
    malformed.count += 1;
    if (malformed.examples.length < EXAMPLES) malformed.examples.push(`line ${line}: ${why}`);
  };

  for await (const batch of linesOf(stream))
    for (const raw of batch) {
      lineNumber += 1;
      let line = raw;
      if (pending !== null) {
        line = `${pending}\n${raw}`;
        pending = null;
      } else recordStart = lineNumber;
      if (line.length === 0) continue;
      if (layout === null) {
        if (line.trim() === "") continue;
        layout = detectLayout(line, options.column);
        if (layout.header) continue;
      }
      if (layout.delimiter !== null && line.includes('"') && isOpenRecord(line)) {
        if (line.length <= MAX_RECORD_CHARS) {
          pending = line;
          continue;
        }
        bad(recordStart, `a quoted field is not closed within ${groupDigits(MAX_RECORD_CHARS)} characters`);
        continue;
      }
      const field = fieldAt(line, layout);
      if (field === undefined) {
        bad(recordStart, `no column ${layout.columnName ?? layout.column + 1} (too few fields)`);
        continue;
      }
      const domain = domainOf(field, known);
      if (domain === null) {
        if (line.trim() === "") continue;
        bad(recordStart, field.trim() === "" ? "the address is empty" : `${JSON.stringify(shorten(field))} is not an e-mail address`);
        continue;
      }
      counter.add(domain);
    }
  if (pending !== null) bad(recordStart, "a quoted field is not closed at the end of the file");

  out.stdout(
    renderDomainMix({
      counts: counter.counts(),
      total: counter.total,
      top: options.top,
      providers: builtinProviders(),
      label: basename(file),
      maxDropped: counter.maxDropped,
    }),
  );
  const column = layout?.columnName ? ` (column "${layout.columnName}")` : "";
  const summary = `mx-guard: ${file}: ${groupDigits(counter.total)} addresses read${column}`;
  if (malformed.count === 0) out.stderr(`${summary}, no malformed line\n`);
  else {
    out.stderr(
      `${summary}; ${groupDigits(malformed.count)} malformed line(s) skipped, e.g.\n` +
        `${malformed.examples.map((example) => `mx-guard:   ${oneLine(example)}`).join("\n")}\n`,
    );
  }
  if (counter.maxDropped > 0) {
    out.stderr(
      `mx-guard: more than ${groupDigits(limit)} distinct domains: the smallest were dropped (each at most ${groupDigits(counter.maxDropped)} addresses), their addresses counted in "other"\n`,
    );
  }
  return 0;
}

/** The file as text, decompressed when it starts with gzip's magic bytes (whatever its name). */
async function openExport(file: string): Promise<Readable> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, "r");
  } catch (error) {
    throw new UsageError(`${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
  const magic = Buffer.alloc(2);
  try {
    if ((await handle.stat()).isDirectory()) throw new UsageError(`${file}: is a directory, expected a recipient export`);
    await handle.read(magic, 0, 2, 0);
  } finally {
    await handle.close();
  }
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  const gzip = magic[0] === 0x1f && magic[1] === 0x8b;
  const text = gzip ? raw.pipe(createGunzip()) : raw;
  if (gzip) raw.on("error", (error) => text.destroy(error));
  text.setEncoding("utf8");
  return text;
}

/**
 * Lines of a text stream (LF or CRLF), a chunk's worth at a time: splitting with indexOf and
 * yielding once per chunk is several times as fast as node:readline's line events on a
 * 10-million-line export; memory stays one chunk plus one line.
 */
async function* linesOf(stream: Readable): AsyncGenerator<string[]> {
  let rest = "";
  for await (const chunk of stream as AsyncIterable<string>) {
    const text = rest + chunk;
    const batch: string[] = [];
    let start = 0;
    for (let end = text.indexOf("\n", start); end >= 0; end = text.indexOf("\n", start)) {
      batch.push(end > start && text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end));
      start = end + 1;
    }
    rest = text.slice(start);
    if (rest.length > MAX_RECORD_CHARS * 16) {
      // A "line" this long is not an export line: hand it on (it is reported as malformed) instead of growing.
      batch.push(rest);
      rest = "";
    }
    yield batch;
  }
  if (rest !== "") yield [rest.endsWith("\r") ? rest.slice(0, -1) : rest];
}

function shorten(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > 60 ? `${trimmed.slice(0, 57)}...` : trimmed;
}
