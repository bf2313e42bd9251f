/**
 * A small GraphQL reader and executor for the fake GitHub. It understands the query language
 * the app may send (operations with variables, aliases, arguments, named fragments, inline
 * fragments `... on Type`, directives skipped) and runs it against plain resolver objects.
 * A field the fake does not model is reported as a GraphQL error (as GitHub reports a field
 * that does not exist), so a query the fake cannot answer fails loudly instead of returning
 * nothing.
 */

export type GqlValue =
  | { kind: "variable"; name: string }
  | { kind: "int" | "float"; value: number }
  | { kind: "string"; value: string }
  | { kind: "boolean"; value: boolean }
  | { kind: "null" }
  | { kind: "enum"; value: string }
  | { kind: "list"; values: GqlValue[] }
  | { kind: "object"; fields: Record<string, GqlValue> };

export interface FieldNode {
  kind: "field";
  alias: string | null;
  name: string;
  args: Record<string, GqlValue>;
  selections: Selection[] | null;
}
export interface SpreadNode {
  kind: "spread";
  name: string;
}
export interface InlineNode {
  kind: "inline";
  typeCondition: string | null;
  selections: Selection[];
}
export type Selection = FieldNode | SpreadNode | InlineNode;

export interface Operation {
  type: "query" | "mutation" | "subscription";
  name: string | null;
  variables: { name: string; type: string; defaultValue: GqlValue | null }[];
  selections: Selection[];
}
export interface Fragment {
  name: string;
  typeCondition: string;
  selections: Selection[];
}
export interface Document {
  operations: Operation[];
  fragments: Map<string, Fragment>;
}

export class GraphqlSyntaxError extends Error {}

type Token = { t: "punct" | "name" | "string" | "int" | "float" | "spread"; v: string; at: number };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] ?? "";
    if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "," || c === "\ufeff") {
      i++;
    } else if (c === "#") {
      while (i < source.length && source[i] !== "\n") i++;
    } else if (source.startsWith("...", i)) {
      tokens.push({ t: "spread", v: "...", at: i });
      i += 3;
    } else if ("{}()[]:!$@=|&".includes(c)) {
      tokens.push({ t: "punct", v: c, at: i });
      i++;
    } else if (source.startsWith('"""', i)) {
      const end = source.indexOf('"""', i + 3);
      if (end < 0) throw new GraphqlSyntaxError(`unterminated block string at ${i}`);
      tokens.push({ t: "string", v: source.slice(i + 3, end).replace(/\\"""/g, '"""'), at: i });
      i = end + 3;
    } else if (c === '"') {
      let j = i + 1;
      let value = "";
      for (;;) {
        const d = source[j];
        if (d === undefined || d === "\n") throw new GraphqlSyntaxError(`unterminated string at ${i}`);
        if (d === '"') break;
        if (d === "\\") {
          const e = source[j + 1] ?? "";
          const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
          if (e === "u") {
            value += String.fromCharCode(parseInt(source.slice(j + 2, j + 6), 16));
            j += 6;
            continue;
          }
          const mapped = simple[e];
          if (mapped === undefined) throw new GraphqlSyntaxError(`bad escape \\${e} at ${j}`);
          value += mapped;
          j += 2;
          continue;
        }
        value += d;
        j++;
      }
      tokens.push({ t: "string", v: value, at: i });
      i = j + 1;
    } else if (/[-0-9]/.test(c)) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(source.slice(i));
      if (!m) throw new GraphqlSyntaxError(`bad number at ${i}`);
      tokens.push({ t: m[1] || m[2] ? "float" : "int", v: m[0], at: i });
      i += m[0].length;
    } else if (/[_A-Za-z]/.test(c)) {
      const m = /^[_A-Za-z][_0-9A-Za-z]*/.exec(source.slice(i));
      tokens.push({ t: "name", v: m?.[0] ?? c, at: i });
      i += m?.[0].length ?? 1;
    } else {
      throw new GraphqlSyntaxError(`unexpected character ${JSON.stringify(c)} at ${i}`);
    }
  }
  return tokens;
}

export function parseDocument(source: string): Document {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const next = (): Token => {
    const token = tokens[pos++];
    if (!token) throw new GraphqlSyntaxError("unexpected end of document");
    return token;
  };
  const is = (v: string): boolean => {
    const token = peek();
    return token !== undefined && (token.t === "punct" || token.t === "spread") && token.v === v;
  };
  const expect = (v: string): void => {
    const token = next();
    if (token.v !== v || (token.t !== "punct" && token.t !== "spread")) {
      throw new GraphqlSyntaxError(`expected "${v}" at ${token.at}, found ${JSON.stringify(token.v)}`);
    }
  };
  const name = (): string => {
    const token = next();
    if (token.t !== "name") throw new GraphqlSyntaxError(`expected a name at ${token.at}, found ${JSON.stringify(token.v)}`);
    return token.v;
  };

  function value(): GqlValue {
    const token = next();
    if (token.t === "punct" && token.v === "$") return { kind: "variable", name: name() };
    if (token.t === "int") return { kind: "int", value: Number(token.v) };
    if (token.t === "float") return { kind: "float", value: Number(token.v) };
    if (token.t === "string") return { kind: "string", value: token.v };
    if (token.t === "name") {
      if (token.v === "true" || token.v === "false") return { kind: "boolean", value: token.v === "true" };
      if (token.v === "null") return { kind: "null" };
      return { kind: "enum", value: token.v };
    }
    if (token.t === "punct" && token.v === "[") {
      const values: GqlValue[] = [];
      while (!is("]")) values.push(value());
      expect("]");
      return { kind: "list", values };
    }
    if (token.t === "punct" && token.v === "{") {
      const fields: Record<string, GqlValue> = {};
      while (!is("}")) {
        const key = name();
        expect(":");
        fields[key] = value();
      }
      expect("}");
      return { kind: "object", fields };
    }
    throw new GraphqlSyntaxError(`unexpected ${JSON.stringify(token.v)} at ${token.at}`);
  }

  function typeRef(): string {
    let text = "";
    if (is("[")) {
      expect("[");
      text = `[${typeRef()}]`;
      expect("]");
    } else {
      text = name();
    }
    if (is("!")) {
      expect("!");
      text += "!";
    }
    return text;
  }

  function directives(): void {
    while (is("@")) {
      expect("@");
      name();
      if (is("(")) args();
    }
  }

  function args(): Record<string, GqlValue> {
    const out: Record<string, GqlValue> = {};
    expect("(");
    while (!is(")")) {
      const key = name();
      expect(":");
      out[key] = value();
    }
    expect(")");
    return out;
  }

  function selectionSet(): Selection[] {
    expect("{");
    const out: Selection[] = [];
    while (!is("}")) {
      if (is("...")) {
        expect("...");
        const token = peek();
        if (token?.t === "name" && token.v === "on") {
          next();
          const typeCondition = name();
          directives();
          out.push({ kind: "inline", typeCondition, selections: selectionSet() });
        } else if (token?.t === "name") {
          out.push({ kind: "spread", name: name() });
          directives();
        } else {
          directives();
          out.push({ kind: "inline", typeCondition: null, selections: selectionSet() });
        }
        continue;
      }
      let alias: string | null = null;
      let fieldName = name();
      if (is(":")) {
        expect(":");
        alias = fieldName;
        fieldName = name();
      }
      const fieldArgs = is("(") ? args() : {};
      directives();
      out.push({ kind: "field", alias, name: fieldName, args: fieldArgs, selections: is("{") ? selectionSet() : null });
    }
    expect("}");
    return out;
  }

  const doc: Document = { operations: [], fragments: new Map() };
  while (peek()) {
    if (is("{")) {
      doc.operations.push({ type: "query", name: null, variables: [], selections: selectionSet() });
      continue;
    }
    const keyword = name();
    if (keyword === "fragment") {
      const fragmentName = name();
      const on = name();
      if (on !== "on") throw new GraphqlSyntaxError(`expected "on" after fragment ${fragmentName}`);
      const typeCondition = name();
      directives();
      doc.fragments.set(fragmentName, { name: fragmentName, typeCondition, selections: selectionSet() });
      continue;
    }
    if (keyword !== "query" && keyword !== "mutation" && keyword !== "subscription") {
      throw new GraphqlSyntaxError(`unexpected definition ${JSON.stringify(keyword)}`);
    }
    const opName = peek()?.t === "name" ? name() : null;
    const variables: Operation["variables"] = [];
    if (is("(")) {
      expect("(");
      while (!is(")")) {
        expect("$");
        const varName = name();
        expect(":");
        const type = typeRef();
        let defaultValue: GqlValue | null = null;
        if (is("=")) {
          expect("=");
          defaultValue = value();
        }
        directives();
        variables.push({ name: varName, type, defaultValue });
      }
      expect(")");
    }
    directives();
    doc.operations.push({ type: keyword, name: opName, variables, selections: selectionSet() });
  }
  if (doc.operations.length === 0) throw new GraphqlSyntaxError("the document has no operation");
  return doc;
}

/**
 * A resolved object: `__typename`, the interfaces it implements, and a resolver per field.
 * A resolver gets the field's arguments (variables already substituted).
 */
export interface GqlObject {
  __typename: string;
  __implements?: string[];
  fields: Record<string, (args: Record<string, unknown>) => unknown>;
}

export function gqlObject(typename: string, fields: GqlObject["fields"], implementsTypes: string[] = []): GqlObject {
  return { __typename: typename, __implements: implementsTypes, fields };
}

export function isGqlObject(value: unknown): value is GqlObject {
  return typeof value === "object" && value !== null && "__typename" in value && "fields" in value;
}

export class GraphqlFieldError extends Error {
  constructor(
    message: string,
    readonly path: (string | number)[],
    readonly type = "FIELD_ERROR",
  ) {
    super(message);
  }
}

export interface ExecutionResult {
  data: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; type?: string }[];
}

export function execute(
  doc: Document,
  root: GqlObject,
  variables: Record<string, unknown>,
  operationName?: string | null,
): ExecutionResult {
  const operation = operationName
    ? doc.operations.find((op) => op.name === operationName)
    : doc.operations.length === 1
      ? doc.operations[0]
      : undefined;
  if (!operation) return { data: null, errors: [{ message: `operation ${operationName ?? "(anonymous)"} not found or ambiguous` }] };
  if (operation.type !== "query") {
    return { data: null, errors: [{ message: `the fake GitHub does not support ${operation.type} operations` }] };
  }
  const values: Record<string, unknown> = {};
  for (const definition of operation.variables) {
    const given = variables[definition.name];
    if (given === undefined || given === null) {
      if (definition.defaultValue) values[definition.name] = literal(definition.defaultValue, {});
      else if (definition.type.endsWith("!")) {
        return { data: null, errors: [{ message: `Variable $${definition.name} of type ${definition.type} was provided invalid value` }] };
      } else values[definition.name] = null;
    } else {
      values[definition.name] = given;
    }
  }
  for (const key of Object.keys(variables)) {
    if (!operation.variables.some((v) => v.name === key)) {
      // GitHub rejects variables the operation does not declare.
      return { data: null, errors: [{ message: `Variable $${key} is not defined by operation`, type: "variableNotDefined" }] };
    }
  }
  const errors: NonNullable<ExecutionResult["errors"]> = [];
  try {
    const data = selectObject(root, operation.selections, doc, values, []);
    return errors.length > 0 ? { data, errors } : { data };
  } catch (error) {
    if (error instanceof GraphqlFieldError) return { data: null, errors: [{ message: error.message, path: error.path, type: error.type }] };
    throw error;
  }
}

function literal(value: GqlValue, variables: Record<string, unknown>): unknown {
  switch (value.kind) {
    case "variable":
      return variables[value.name] ?? null;
    case "int":
    case "float":
    case "string":
    case "boolean":
    case "enum":
      return value.value;
    case "null":
      return null;
    case "list":
      return value.values.map((v) => literal(v, variables));
    case "object":
      return Object.fromEntries(Object.entries(value.fields).map(([k, v]) => [k, literal(v, variables)]));
  }
}

function typeMatches(object: GqlObject, condition: string | null): boolean {
  return condition === null || object.__typename === condition || (object.__implements ?? []).includes(condition);
}

function collectFields(
  object: GqlObject,
  selections: Selection[],
  doc: Document,
  out: FieldNode[],
  seenFragments: Set<string>,
): void {
  for (const selection of selections) {
    if (selection.kind === "field") out.push(selection);
    else if (selection.kind === "inline") {
      if (typeMatches(object, selection.typeCondition)) collectFields(object, selection.selections, doc, out, seenFragments);
    } else {
      const fragment = doc.fragments.get(selection.name);
      if (!fragment) throw new GraphqlFieldError(`Fragment ${selection.name} was used, but not defined`, []);
      if (seenFragments.has(fragment.name)) continue;
      if (typeMatches(object, fragment.typeCondition)) {
        collectFields(object, fragment.selections, doc, out, new Set([...seenFragments, fragment.name]));
      }
    }
  }
}

function selectObject(
  object: GqlObject,
  selections: Selection[],
  doc: Document,
  variables: Record<string, unknown>,
  path: (string | number)[],
): Record<string, unknown> {
  const fields: FieldNode[] = [];
  collectFields(object, selections, doc, fields, new Set());
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const key = field.alias ?? field.name;
    const fieldPath = [...path, key];
    if (field.name === "__typename") {
      out[key] = object.__typename;
      continue;
    }
    const resolver = object.fields[field.name];
    if (!resolver) {
      throw new GraphqlFieldError(`Field '${field.name}' doesn't exist on type '${object.__typename}'`, fieldPath, "undefinedField");
    }
    const args = Object.fromEntries(Object.entries(field.args).map(([k, v]) => [k, literal(v, variables)]));
    const value = resolver(args);
    const selected = complete(value, field, doc, variables, fieldPath);
    // Several selections of one response key merge (GraphQL field merging).
    const existing = out[key];
    out[key] =
      existing && typeof existing === "object" && !Array.isArray(existing) && selected && typeof selected === "object" && !Array.isArray(selected)
        ? { ...(existing as object), ...(selected as object) }
        : selected;
  }
  return out;
}

function complete(value: unknown, field: FieldNode, doc: Document, variables: Record<string, unknown>, path: (string | number)[]): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((item, index) => complete(item, field, doc, variables, [...path, index]));
  if (isGqlObject(value)) {
    if (!field.selections) throw new GraphqlFieldError(`Field must have selections (field '${field.name}' returns ${value.__typename} but has no selections)`, path);
    return selectObject(value, field.selections, doc, variables, path);
  }
  if (field.selections) throw new GraphqlFieldError(`Selections can't be made on scalars (field '${field.name}')`, path);
  return value;
}
