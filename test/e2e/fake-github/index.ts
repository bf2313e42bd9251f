export { FakeGitHub, type FailRule, type LoggedRequest } from "./server.js";
export { FakeState, diffTrees, gitBlobSha, type PullRequest, type Repository, type FileTree, type FileChanges } from "./state.js";
export { unifiedPatch, patchLines, applyPatch, splitLines } from "./diff.js";
export { readTree, replaceOnce, replaceAfter, lineOf } from "./tree.js";
export { runGraphql, githubSchema, NOT_MODELLED, type GraphqlResponse } from "./graphql.js";
export { LIMITS } from "./rest.js";
export { GRAPHQL_BLOB_TEXT_BYTES } from "./graphql-objects.js";
export { appYmlPermissions, type Permissions } from "./permissions.js";
