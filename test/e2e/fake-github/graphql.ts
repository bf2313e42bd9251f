/**
 * GraphQL for the fake GitHub: graphql-js against GitHub's published schema
 * (@octokit/graphql-schema). Every document is parsed and validated against that schema before it
 * runs, so a query GitHub would reject is rejected here too (HTTP 200, `errors` and no `data`, as
 * on GitHub). A valid document runs against the fake's objects (graphql-objects.ts); a field of
 * GitHub's schema that the fake does not model is a field error that names it, never a silent null.
 */
import { schema as published } from "@octokit/graphql-schema";
import {
  buildClientSchema,
  executeSync,
  GraphQLError,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type GraphQLTypeResolver,
  type IntrospectionQuery,
  type OperationDefinitionNode,
} from "graphql";

/** An object the fake serves: its GraphQL type name and a resolver per modelled field. */
export interface GqlObject {
  __typename: string;
  /** A resolver gets the field's arguments, already coerced by graphql-js. */
  fields: Record<string, (args: Record<string, unknown>) => unknown>;
}

export function gqlObject(typename: string, fields: GqlObject["fields"]): GqlObject {
  return { __typename: typename, fields };
}

function isGqlObject(value: unknown): value is GqlObject {
  return typeof value === "object" && value !== null && "__typename" in value && "fields" in value;
}

/** A field error with GitHub's top-level `type` ("NOT_FOUND", ...). */
export class GraphqlFieldError extends Error {
  constructor(
    message: string,
    readonly type = "FIELD_ERROR",
  ) {
    super(message);
  }
}

/** The `type` of the error for a field that GitHub's schema has and the fake does not model. */
export const NOT_MODELLED = "NOT_MODELLED_BY_FAKE";

export interface GraphqlRequest {
  query: string;
  variables: Record<string, unknown>;
  operationName: string | null;
}

export interface GraphqlErrorBody {
  message: string;
  type?: string;
  path?: readonly (string | number)[];
  locations?: readonly { line: number; column: number }[];
  extensions?: Record<string, unknown>;
}

export interface GraphqlResponse {
  /** Absent when the document did not parse or validate, as on GitHub. */
  data?: Record<string, unknown> | null;
  errors?: GraphqlErrorBody[];
}

let built: GraphQLSchema | undefined;

/**
 * GitHub's schema, built once per process from the package's introspection JSON (the same source
 * its own `validate` helper uses). The package's SDL file declares two fields of
 * `EnterpriseOwnerInfo` twice, which graphql-js's `buildSchema` rejects as invalid SDL.
 */
export function githubSchema(): GraphQLSchema {
  built ??= buildClientSchema(published.json as unknown as IntrospectionQuery);
  return built;
}

/** The root objects: Query, and Mutation for the mutations the fake models. */
export interface GqlRoots {
  query: GqlObject;
  mutation?: GqlObject;
}

/** Parses, validates against GitHub's schema, then runs `request` against the root of its operation type. */
export function runGraphql(
  request: GraphqlRequest,
  roots: GqlObject | GqlRoots,
): { operationName: string | null; response: GraphqlResponse } {
  const { query, mutation } = isGqlObject(roots) ? { query: roots, mutation: undefined } : roots;
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return {
      operationName: request.operationName,
      response: { errors: [{ message: `Parse error: ${error.message}`, locations: error.locations ?? [] }] },
    };
  }
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operationName = request.operationName ?? operations[0]?.name?.value ?? null;
  const invalid = validate(githubSchema(), document);
  if (invalid.length > 0) return { operationName, response: { errors: invalid.map(inGithubWords) } };

  const operation =
    request.operationName === null
      ? operations.length === 1
        ? operations[0]
        : undefined
      : operations.find((o) => o.name?.value === request.operationName);
  if (operation && (operation.operation === "subscription" || (operation.operation === "mutation" && !mutation))) {
    return { operationName, response: { errors: [{ message: `The fake GitHub does not model ${operation.operation} operations` }] } };
  }
  if (operation) {
    const declared = new Set((operation.variableDefinitions ?? []).map((v) => v.variable.name.value));
    const undeclared = Object.keys(request.variables).find((name) => !declared.has(name));
    // GitHub rejects variables the operation does not declare; graphql-js would ignore them.
    if (undeclared !== undefined) {
      return {
        operationName,
        response: { errors: [{ message: `Variable $${undeclared} is not defined by operation`, type: "variableNotDefined" }] },
      };
    }
  }
  const result = executeSync({
    schema: githubSchema(),
    document,
    rootValue: operation?.operation === "mutation" ? mutation : query,
    variableValues: request.variables,
    operationName: request.operationName,
    fieldResolver: resolveField,
    typeResolver: resolveType,
  });
  const response: GraphqlResponse = { data: result.data ?? null };
  if (result.errors && result.errors.length > 0) response.errors = result.errors.map(executionError);
  return { operationName, response };
}

const resolveField: GraphQLFieldResolver<unknown, unknown> = (source, args, _context, info) => {
  const where = `${info.parentType.name}.${info.fieldName}`;
  if (!isGqlObject(source) || source.__typename !== info.parentType.name) {
    // A bug in graphql-objects.ts (a typo in a type name), not something the app did.
    throw new Error(`the fake GitHub answered ${where} with ${isGqlObject(source) ? `a ${source.__typename}` : "a plain value"}`);
  }
  const resolve = Object.hasOwn(source.fields, info.fieldName) ? source.fields[info.fieldName] : undefined;
  if (!resolve) {
    throw new GraphqlFieldError(
      `The fake GitHub does not model ${where} (GitHub's schema has it); add it to test/e2e/fake-github/graphql-objects.ts`,
      NOT_MODELLED,
    );
  }
  return resolve(args);
};

const resolveType: GraphQLTypeResolver<unknown, unknown> = (value) => (isGqlObject(value) ? value.__typename : undefined);

/** graphql-js says `Cannot query field "x" on type "T".`; GitHub says it its own way. */
const UNKNOWN_FIELD = /^Cannot query field "(\w+)" on type "(\w+)"\./;

function inGithubWords(error: GraphQLError): GraphqlErrorBody {
  const unknown = UNKNOWN_FIELD.exec(error.message);
  const locations = error.locations ?? [];
  if (!unknown) return { message: error.message, locations };
  const [, fieldName, typeName] = unknown;
  return {
    message: `Field '${fieldName}' doesn't exist on type '${typeName}'`,
    locations,
    extensions: { code: "undefinedField", typeName, fieldName },
  };
}

function executionError(error: GraphQLError): GraphqlErrorBody {
  const body: GraphqlErrorBody = { message: error.message };
  if (error.originalError instanceof GraphqlFieldError) body.type = error.originalError.type;
  if (error.path) body.path = error.path;
  if (error.locations) body.locations = error.locations;
  return body;
}
