export { sourceFromObject, MAX_ALIAS_COUNT, type YamlSource } from "./read.js";
export { readYamlFile as readYaml } from "./file.js";
export { locate, spanAt, keySpanAt, hasKey, valueAt, nodeSpan, findPair, keyText, type YamlPath } from "./positions.js";
export { issueAt, fromZodIssues, type IssueDetail, type FieldIssueParams } from "./issues.js";
export { validate, sortIssues } from "./validate.js";
export { editDistance, closest, didYouMean } from "../../schema/suggest.js";
export { knownKeys } from "./schema-walk.js";
export { validateSource, type ValidatedFile } from "./file.js";
export { capIssue, totalCapIssue, sizeAt } from "./caps.js";
