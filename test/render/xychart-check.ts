/**
 * A checker for the subset of Mermaid's xychart grammar that mx-guard emits (Mermaid itself is not a
 * dependency). Returns the problems found; an empty list means the chart is valid for this subset:
 *
 *   xychart-beta
 *   title "…"
 *   x-axis "…"? [ label, … ]   |   x-axis "…"? number --> number
 *   y-axis "…"? (number --> number)?
 *   bar [ number, … ]  /  line [ number, … ]
 *
 * Quoted strings may not contain a double quote; `%%` starts a comment in Mermaid and is refused
 * everywhere; unquoted labels are limited to letters, digits, '.', '_' and '-'.
 */
const NUMBER = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$/;
const QUOTED = /^"([^"\n]*)"/;
const BARE_LABEL = /^[A-Za-z0-9._-]+$/;

export interface ChartShape {
  categories: number;
  series: { kind: "bar" | "line"; values: number[] }[];
  yRange?: [number, number];
}

function splitList(body: string, what: string, errors: string[]): string[] {
  const items: string[] = [];
  let rest = body.trim();
  if (rest === "") {
    errors.push(`${what}: empty list`);
    return items;
  }
  while (rest.length > 0) {
    const quoted = QUOTED.exec(rest);
    let item: string;
    if (quoted) {
      item = quoted[0];
      rest = rest.slice(item.length).trimStart();
    } else {
      const comma = rest.indexOf(",");
      item = (comma === -1 ? rest : rest.slice(0, comma)).trim();
      rest = comma === -1 ? "" : rest.slice(comma);
    }
    items.push(item);
    if (rest.startsWith(",")) {
      rest = rest.slice(1).trimStart();
      if (rest === "") errors.push(`${what}: trailing comma`);
    } else if (rest !== "") {
      errors.push(`${what}: expected "," after ${item}`);
      break;
    }
  }
  return items;
}

/** Parses `"title"` at the start of `text`; returns the rest, or null when there is no title. */
function takeQuoted(text: string, what: string, errors: string[]): { title: string; rest: string } | null {
  if (!text.startsWith('"')) return null;
  const m = QUOTED.exec(text);
  if (!m) {
    errors.push(`${what}: unterminated string`);
    return { title: "", rest: "" };
  }
  return { title: m[1]!, rest: text.slice(m[0].length).trim() };
}

export function checkXyChart(chart: string): { errors: string[]; shape: ChartShape } {
  const errors: string[] = [];
  const shape: ChartShape = { categories: -1, series: [] };
  if (chart.includes("%%")) errors.push("'%%' starts a Mermaid comment");
  const lines = chart
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
  if (lines[0] !== "xychart-beta" && lines[0] !== "xychart-beta horizontal")
    errors.push(`first line must be "xychart-beta", got ${JSON.stringify(lines[0])}`);
  const seen = new Set<string>();
  for (const line of lines.slice(1)) {
    const keyword = /^(title|x-axis|y-axis|bar|line)(?:\s+|$)/.exec(line)?.[1];
    if (!keyword) {
      errors.push(`unknown statement: ${line}`);
      continue;
    }
    if (keyword !== "bar" && keyword !== "line") {
      if (seen.has(keyword)) errors.push(`${keyword} given twice`);
      seen.add(keyword);
    }
    const rest = line.slice(keyword.length).trim();
    if (keyword === "title") {
      const q = takeQuoted(rest, "title", errors);
      if (!q) errors.push("title must be a quoted string");
      else if (q.rest !== "") errors.push(`text after the title: ${q.rest}`);
      continue;
    }
    if (keyword === "x-axis" || keyword === "y-axis") {
      const q = takeQuoted(rest, keyword, errors);
      const data = q ? q.rest : rest;
      if (data === "") {
        if (!q) errors.push(`${keyword} without title or data`);
        continue;
      }
      const range = /^(\S+)\s*-->\s*(\S+)$/.exec(data);
      if (range) {
        if (!NUMBER.test(range[1]!) || !NUMBER.test(range[2]!)) errors.push(`${keyword} range must be numbers: ${data}`);
        else if (Number(range[1]) >= Number(range[2])) errors.push(`${keyword} range must increase: ${data}`);
        if (keyword === "y-axis") shape.yRange = [Number(range[1]), Number(range[2])];
        continue;
      }
      if (keyword === "y-axis") {
        errors.push(`y-axis takes a range, not ${data}`);
        continue;
      }
      if (!data.startsWith("[") || !data.endsWith("]")) {
        errors.push(`x-axis data must be [ … ] or a range: ${data}`);
        continue;
      }
      const labels = splitList(data.slice(1, -1), "x-axis", errors);
      for (const label of labels) {
        if (!label.startsWith('"') && !BARE_LABEL.test(label)) errors.push(`x-axis label must be quoted or plain: ${label}`);
      }
      shape.categories = labels.length;
      continue;
    }
    if (!rest.startsWith("[") || !rest.endsWith("]")) {
      errors.push(`${keyword} data must be [ numbers ]: ${rest}`);
      continue;
    }
    const values = splitList(rest.slice(1, -1), keyword, errors);
    const bad = values.filter((value) => !NUMBER.test(value));
    if (bad.length > 0) errors.push(`${keyword} values must be numbers: ${bad.join(", ")}`);
    shape.series.push({ kind: keyword as "bar" | "line", values: values.map(Number) });
  }
  if (shape.series.length === 0) errors.push("no bar or line series");
  for (const s of shape.series) {
    if (shape.categories >= 0 && s.values.length !== shape.categories)
      errors.push(`${s.kind} has ${s.values.length} values for ${shape.categories} x-axis labels`);
    if (shape.yRange && s.values.some((v) => v < shape.yRange![0] || v > shape.yRange![1]))
      errors.push(`${s.kind} has values outside the y-axis range`);
  }
  return { errors, shape };
}

/** The body of the first ```mermaid block of a Markdown text, or null. */
export function mermaidBlock(markdown: string): string | null {
  const m = /```mermaid\n([\s\S]*?)\n```/.exec(markdown);
  return m ? m[1]! : null;
}
