export { mxRuleSchema, mxRulesFileSchema, parseRange, RULE_DEFAULTS, RULE_TLS_VALUES, type MxRuleInput } from "./mx-rules.js";
export { deliverySchema, trafficFileSchema, DELIVERY_DEFAULTS, TRAFFIC_LIMITS, OTHER_DOMAIN, type DeliveryInput } from "./traffic.js";
export { providerEntrySchema, providersFileSchema, PROVIDER_NAME_PATTERN, type ProviderEntryInput } from "./providers.js";
export {
  policyFileSchema,
  instanceSchema,
  parseRepoPath,
  COMMENT_MODES,
  DEFAULT_INSTANCE,
  type PolicyInput,
} from "./policy.js";
export { SCHEMA_FILES, toJsonSchema, renderSchemaFiles } from "./json.js";
