/**
 * Reads one YAML (or JSON) file into a document that keeps source positions, plus its plain value.
 * Hostile input is bounded here: size cap, binary/invalid UTF-8 rejection, alias-bomb limit.
 */
import { Composer, isScalar, Lexer, LineCounter, Parser, YAMLParseError, visit, type CST, type Document } from "yaml";
import { MAX_FILE_BYTES } from "../limits.js";
import { KeyCounter, keysIssue, type KeyBounds, type KeysOverCap } from "./key-bounds.js";
import { describeFound, fail, ok, type ConfigIssue, type Result } from "../../model/errors.js";

/** A parsed file. `doc` is null when the value came without positions (e.g. Probot's context.config). */
export interface YamlSource {
  file: string;
  text: string;
  doc: Document.Parsed | null;
  lineCounter: LineCounter | null;
  value: unknown;
}

/** Aliases are rare in these files; a low limit makes "billion laughs" fail at once. */
export const MAX_ALIAS_COUNT = 50;

/**
 * Deepest nesting of the YAML parser's stack (documents, collections, pairs) accepted. These files
 * nest about 5 deep; the limit stops "[[[[…" and "- - - -…" bombs long before the recursive document
 * composer could exhaust the call stack (which can abort the process in V8, not just throw).
 */
export const MAX_YAML_DEPTH = 64;

/**
 * The library's own duplicate-key check compares every key with every earlier key of its mapping
 * (80,000 keys took minutes), so it is off and `duplicateKeys` below finds them in one pass.
 */
const YAML_OPTIONS = { uniqueKeys: false, schema: "core", version: "1.2" } as const;

type Parsed = { doc: Document.Parsed } | { tooDeep: number } | { tooManyKeys: KeysOverCap };

/** parseDocument, with the parser's stack and the keys watched so that deep nesting or a key past the bounds stops the parse at once. */
function parseBounded(text: string, lineCounter: LineCounter, bounds: KeyBounds | undefined): Parsed {
  const parser = new Parser(lineCounter.addNewLine);
  const tokens: CST.Token[] = [];
  const keys = bounds ? new KeyCounter(bounds) : null;
  lineCounter.addNewLine(0);
  for (const lexeme of new Lexer().lex(text, false)) {
    const start = parser.offset;
    for (const token of parser.next(lexeme)) tokens.push(token);
    if (parser.stack.length > MAX_YAML_DEPTH) return { tooDeep: parser.offset };
    const over = keys?.next(lexeme, start, parser.stack);
    if (over) return { tooManyKeys: keys!.finish(over, text, parser.offset) };
  }
  for (const token of parser.end()) tokens.push(token);
  // Core schema, YAML 1.2 forced: timestamps stay strings and `yes`/`no` stay text, whatever the file's %YAML directive says.
  const composer = new Composer(YAML_OPTIONS);
  let doc: Document.Parsed | null = null;
  for (const next of composer.compose(tokens, true, text.length)) {
    if (!doc) doc = next as Document.Parsed;
    else {
      doc.errors.push(
        new YAMLParseError(
          [next.range[0], next.range[1]],
          "MULTIPLE_DOCS",
          "Source contains multiple documents; please use YAML.parseAllDocuments()",
        ),
      );
      break;
    }
  }
  return { doc: doc! };
}

/** Keys written twice in one mapping, found with one Set per mapping: linear in the file's size. */
function duplicateKeys(doc: Document.Parsed): YamlProblem[] {
  const problems: YamlProblem[] = [];
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = pair.key;
        if (!isScalar(key) || key.value === "<<") continue;
        const identity = `${typeof key.value}:${String(key.value)}`;
        if (seen.has(identity)) {
          const start = key.range?.[0] ?? 0;
          problems.push({ code: "DUPLICATE_KEY", message: "Map keys must be unique", pos: [start, key.range?.[1] ?? start] });
        } else seen.add(identity);
      }
    },
  });
  return problems;
}

export function sourceFromObject(value: unknown, file: string): YamlSource {
  return { file, text: "", doc: null, lineCounter: null, value };
}

export function readYaml(rawText: string, file: string, bounds?: KeyBounds): Result<YamlSource> {
  return readYamlDetailed(rawText, file, bounds).result;
}

/**
 * readYaml, plus what was read when the file has a syntax error: the document the parser recovered
 * (its parts before the error are sound, so they can still be validated) and the error's offset.
 */
export function readYamlDetailed(rawText: string, file: string, bounds?: KeyBounds): { result: Result<YamlSource>; partial?: YamlSource } {
  // A lone CR ends a line (classic Mac OS files) as in the XML reader; as LF it keeps every offset.
  const text = (rawText.startsWith("\uFEFF") ? rawText.slice(1) : rawText).replace(/\r(?!\n)/g, "\n");
  const tooBig = checkSize(text, file);
  if (tooBig) return { result: fail([tooBig]) };
  const binary = checkText(text, file);
  if (binary) return { result: fail([binary]) };

  const lineCounter = new LineCounter();
  const parsed = parseBounded(text, lineCounter, bounds);
  if ("tooDeep" in parsed) return { result: fail([depthIssue(parsed.tooDeep, lineCounter, file)]) };
  if ("tooManyKeys" in parsed) return { result: fail([keysIssue(parsed.tooManyKeys, lineCounter, file)]) };
  const doc = parsed.doc;
  numbersAsWritten(doc);
  const warnings = doc.warnings.map((w) => yamlIssue(w, file, lineCounter, text));
  if (doc.errors.length > 0) {
    // The first syntax error is the cause; what the parser reports after it follows from it.
    const first = [...doc.errors].sort((a, b) => a.pos[0] - b.pos[0])[0]!;
    const result = fail<YamlSource>([yamlIssue(first, file, lineCounter, text)], warnings);
    try {
      return { result, partial: { file, text, doc, lineCounter, value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) } };
    } catch {
      return { result };
    }
  }
  const duplicates = duplicateKeys(doc);
  if (duplicates.length > 0)
    return {
      result: fail(
        duplicates.map((e) => yamlIssue(e, file, lineCounter, text)),
        warnings,
      ),
    };

  try {
    const value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    return { result: ok({ file, text, doc, lineCounter, value }, warnings) };
  } catch (error) {
    return { result: fail([aliasIssue(doc, lineCounter, file, error)], warnings) };
  }
}

/** JSON's number syntax (12, -3, 2.5, 1e-3): the files may be JSON, and every YAML reads these alike. */
const PLAIN_DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$/;

/**
 * Unquoted numbers in other forms (0x10, 0o17, 010, +5, .5, .inf) mean different things in YAML 1.1
 * and 1.2 and look like text to a reader, so they stay the text written: the fields then accept or
 * refuse them exactly as when quoted.
 */
function numbersAsWritten(doc: Document.Parsed): void {
  visit(doc, {
    Scalar(_key, node) {
      if (node.type !== "PLAIN" || typeof node.value !== "number" || typeof node.source !== "string") return;
      if (!PLAIN_DECIMAL.test(node.source)) node.value = node.source;
    },
  });
}

function checkSize(text: string, file: string): ConfigIssue | null {
  const bytes = text.length > MAX_FILE_BYTES ? text.length : Buffer.byteLength(text, "utf8");
  if (bytes <= MAX_FILE_BYTES) return null;
  return {
    file,
    line: 1,
    column: 1,
    found: `${bytes} bytes`,
    expected: `at most ${MAX_FILE_BYTES} bytes`,
    message: `the file is too large (${bytes} bytes; mx-guard reads configuration files up to ${MAX_FILE_BYTES} bytes)`,
  };
}

/** NUL means a binary file; U+FFFD is what a decoder leaves for invalid UTF-8 bytes. */
function checkText(text: string, file: string): ConfigIssue | null {
  const index = text.search(/[\u0000\uFFFD]/);
  if (index < 0) return null;
  const { line, column } = offsetToLineColumn(text, index);
  const nul = text[index] === "\u0000";
  return {
    file,
    line,
    column,
    found: nul ? "a NUL byte" : "an invalid UTF-8 sequence",
    expected: "UTF-8 text",
    message: nul ? "the file looks binary (it contains a NUL byte)" : "the file is not valid UTF-8 text",
  };
}

function offsetToLineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

interface YamlProblem {
  message: string;
  code: string;
  pos: [number, number];
}

function depthIssue(offset: number, lineCounter: LineCounter, file: string): ConfigIssue {
  const { line, col } = lineCounter.linePos(offset);
  return {
    file,
    line,
    column: Math.max(1, col),
    found: "deeply nested values",
    expected: `at most ${MAX_YAML_DEPTH} levels of nesting`,
    // Also a parser stack overflow's issue (yamlIssue); `expected` names the limit.
    message: "the file is nested too deeply to read",
  };
}

function yamlIssue(problem: YamlProblem, file: string, lineCounter: LineCounter, text: string): ConfigIssue {
  // Messages may carry " at line L, column C:" and a code excerpt; the position is kept separately.
  const first = problem.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: Math.max(1, col) };
  };
  if (problem.code === "DUPLICATE_KEY") {
    return {
      ...at(problem.pos[0]),
      found: "a key written twice",
      expected: "each key once per mapping",
      message: "duplicate key: each key may appear only once in a mapping",
    };
  }
  if (/call stack/i.test(first)) return depthIssue(problem.pos[0], lineCounter, file);
  // An unclosed [ or { is reported by the parser where it gives up; the cause is where it opens.
  const opener = unclosedFlow(text, problem.pos[0]);
  if (
    opener &&
    (problem.code === "BAD_INDENT" || problem.code === "MISSING_CHAR" || problem.code === "UNEXPECTED_TOKEN" || /flow/i.test(first))
  ) {
    const closer = text[opener] === "[" ? "]" : "}";
    const what = text[opener] === "[" ? "flow sequence" : "flow mapping";
    return {
      ...at(opener),
      found: describeFound(lineFrom(text, opener)),
      expected: `a closing "${closer}" on the same line`,
      message: `YAML syntax error: the ${what} "${text[opener]}" opened here is never closed with "${closer}"`,
    };
  }
  if (problem.code === "TAB_AS_INDENT") {
    return {
      ...at(problem.pos[0]),
      found: "a tab",
      expected: "spaces for indentation",
      message: "YAML syntax error: tabs are not allowed as indentation; indent with spaces",
    };
  }
  return {
    ...at(problem.pos[0]),
    found: describeFound(lineFrom(text, problem.pos[0])),
    expected: "",
    message: `YAML syntax error: ${first}`,
  };
}

/** The rest of the line from an offset (for `found`). */
function lineFrom(text: string, offset: number): string {
  return text.slice(offset).split("\n")[0]!.trimEnd();
}

/**
 * Offset of the innermost "[" or "{" still open at `offset`, or null: a small scan that skips
 * quoted text and comments, enough to point at the bracket a flow collection is missing.
 */
function unclosedFlow(text: string, offset: number): number | null {
  const open: number[] = [];
  let quote: string | null = null;
  for (let i = 0; i < Math.min(offset, text.length); i++) {
    const c = text[i]!;
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === "#" && (i === 0 || /\s/.test(text[i - 1]!))) {
      const end = text.indexOf("\n", i);
      if (end < 0) break;
      i = end;
    } else if ((c === '"' || c === "'") && (open.length > 0 || i === 0 || /[\s:,[{-]/.test(text[i - 1]!))) quote = c;
    else if (c === "[" || c === "{") open.push(i);
    else if ((c === "]" || c === "}") && open.length > 0) open.pop();
  }
  return open.length > 0 ? open[open.length - 1]! : null;
}

function aliasIssue(doc: Document.Parsed, lineCounter: LineCounter, file: string, error: unknown): ConfigIssue {
  let offset = 0;
  visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  const { line, col } = lineCounter.linePos(offset);
  const reason = error instanceof Error ? error.message : String(error);
  const isBomb = /alias/i.test(reason);
  return {
    file,
    line,
    column: col,
    found: isBomb ? "too many alias expansions" : reason,
    expected: `at most ${MAX_ALIAS_COUNT} alias expansions`,
    message: isBomb
      ? "the file expands YAML aliases (*name) too many times; write the values out instead"
      : `the YAML document cannot be read: ${reason}`,
  };
}
