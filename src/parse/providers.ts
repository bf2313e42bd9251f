/**
 * The provider catalog: built-in data (src/catalog/providers.json) merged with providers.yaml
 * (docs/model.md#which-rule-applies). A built-in name in providers.yaml replaces only the keys given; a new name adds a provider.
 */
import { catalogData, type CatalogDefaults } from "../catalog/index.js";
import type { Provider, ProviderCatalog } from "../model/config.js";
import { fail, ok, type ConfigIssue, type Result } from "../model/errors.js";
import { PROVIDER_NAME_PATTERN, providersFileSchema, type ProviderEntryInput } from "../schema/providers.js";
import { formatLimit, LIMITS } from "./limits.js";
import {
  capIssue,
  issueAt,
  knownKeys,
  readYaml,
  sortIssues,
  spanAt,
  totalCapIssue,
  validateSource,
  valueAt,
  type KeyBounds,
  type YamlPath,
  type YamlSource,
} from "./yaml/index.js";

const DEFAULT_FILE = "campaign/providers.yaml";

export function builtinCatalog(): ProviderCatalog {
  const { defaults, providers } = catalogData();
  return {
    providers: Object.entries(providers).map(([name, entry]) => ({
      name,
      domains: entry.domains,
      mx: entry.mx,
      ...(entry.domainMx ? { domainMx: entry.domainMx } : {}),
      remoteIps: entry.remoteIps,
      ...timingAndTls(defaults, entry),
      origin: "builtin",
      note: entry.note,
      verifiedOn: entry.verifiedOn,
      source: entry.source,
      ...(entry.tlsNote ? { tlsNote: entry.tlsNote } : {}),
    })),
  };
}

function timingAndTls(defaults: CatalogDefaults, entry: Partial<CatalogDefaults>): CatalogDefaults {
  return {
    requiresTls: entry.requiresTls ?? defaults.requiresTls,
    recommendsTls: entry.recommendsTls ?? defaults.recommendsTls,
    acceptance: entry.acceptance ?? defaults.acceptance,
    secondsPerMessage: entry.secondsPerMessage ?? defaults.secondsPerMessage,
    connectSeconds: entry.connectSeconds ?? defaults.connectSeconds,
    tlsHandshakeSeconds: entry.tlsHandshakeSeconds ?? defaults.tlsHandshakeSeconds,
  };
}

const TOP_KEYS = knownKeys(providersFileSchema, []).length;
const KEYS_PER_PROVIDER = knownKeys(providersFileSchema, ["providers", "x"]).length;

/** The most keys a providers.yaml within the limits has: every provider (its name and every key), and a domainMx entry per domain. */
export const PROVIDERS_KEY_BOUNDS: KeyBounds = {
  kind: "providers.yaml",
  total: TOP_KEYS + LIMITS.providers * (1 + KEYS_PER_PROVIDER) + LIMITS.providerDomains,
  totalWhy: `${formatLimit(LIMITS.providers)} providers × (a name and ${KEYS_PER_PROVIDER} keys) + ${formatLimit(LIMITS.providerDomains)} domainMx domains + ${TOP_KEYS}`,
  perMapping: Math.max(TOP_KEYS, LIMITS.providers, KEYS_PER_PROVIDER, LIMITS.providerDomains),
  perMappingWhy: `domainMx, at most ${formatLimit(LIMITS.providerDomains)} domains over all providers`,
};

/** null text → the built-in catalog alone. */
export function parseProviders(text: string | null, file: string | null): Result<ProviderCatalog> {
  if (text === null) return ok(builtinCatalog());
  const read = readYaml(text, file ?? DEFAULT_FILE, providersFileSchema, PROVIDERS_KEY_BOUNDS);
  if (!read.ok) return read;
  const src = read.value;
  if (src.value === null) return ok(builtinCatalog(), read.warnings); // an empty or all-comment file
  const tooMany = providerCaps(src);
  if (tooMany.length > 0) return fail(tooMany, read.warnings);
  const checked = validateSource(src, providersFileSchema, read.warnings);
  if (!checked.ok) return checked;

  const errors: ConfigIssue[] = [];
  const catalog = builtinCatalog();
  const byName = new Map(catalog.providers.map((p) => [p.name, p]));
  const { defaults } = catalogData();
  for (const [name, entry] of Object.entries(checked.value.data.providers ?? {})) {
    const path = ["providers", name] as const;
    if (!new RegExp(PROVIDER_NAME_PATTERN).test(name)) {
      errors.push(
        issueAt(
          src,
          path,
          {
            message: `"${name}" is not a valid provider name`,
            expected: "lower-case letters, digits, '.', '_' or '-'",
            found: JSON.stringify(name),
          },
          "key",
        ),
      );
      continue;
    }
    const builtin = byName.get(name);
    const provider = builtin ? override(src, builtin, entry, path) : added(src, name, entry, path, defaults, errors);
    if (!provider) continue;
    if (builtin) catalog.providers[catalog.providers.indexOf(builtin)] = provider;
    else catalog.providers.push(provider);
  }
  // A validated record drops a key named __proto__: the file's own keys show it, and it is refused by name.
  const writtenNames = valueAt(src.value, ["providers"]);
  if (writtenNames !== null && typeof writtenNames === "object") {
    for (const name of Object.keys(writtenNames).filter((n) => !Object.hasOwn(checked.value.data.providers ?? {}, n))) {
      errors.push(
        issueAt(
          src,
          ["providers", name],
          {
            message: `"${name}" is not a valid provider name`,
            expected: "lower-case letters, digits, '.', '_' or '-'",
            found: JSON.stringify(name),
          },
          "key",
        ),
      );
    }
  }
  errors.push(...claimedTwice(src, catalog.providers, checked.value.data.providers ?? {}));
  if (errors.length > 0) return fail(sortIssues(errors), read.warnings);
  return ok(catalog, read.warnings);
}

/** Counts checked before validation, so a huge file fails at once with the limit it exceeds. */
function providerCaps(src: YamlSource): ConfigIssue[] {
  const entries = valueAt(src.value, ["providers"]);
  const names = entries !== null && typeof entries === "object" && !Array.isArray(entries) ? Object.keys(entries) : [];
  const lists = (key: string): YamlPath[] => names.map((name) => ["providers", name, key]);
  const issues = [
    capIssue(src, ["providers"], LIMITS.providers, "providers"),
    totalCapIssue(src, lists("domains"), LIMITS.providerDomains, "provider domains"),
    totalCapIssue(src, lists("mx"), LIMITS.providerMx, "provider MX hosts"),
    // domainMx names some of the domains (the schema says so); bounded like them.
    totalCapIssue(src, lists("domainMx"), LIMITS.providerDomains, "domainMx domains"),
  ];
  return issues.filter((issue): issue is ConfigIssue => issue !== null);
}

function override(src: YamlSource, builtin: Provider, entry: ProviderEntryInput, path: YamlPath): Provider {
  const given = Object.keys(entry).filter((k) => entry[k as keyof ProviderEntryInput] !== undefined);
  return {
    ...builtin,
    ...definedOnly(entry),
    origin: "providers.yaml",
    pos: spanAt(src, path),
    note: entry.note ?? `${builtin.note ?? "built-in"} Changed in providers.yaml: ${given.join(", ")}.`,
  };
}

function added(
  src: YamlSource,
  name: string,
  entry: ProviderEntryInput,
  path: YamlPath,
  defaults: CatalogDefaults,
  errors: ConfigIssue[],
): Provider | null {
  const missing = (["domains", "mx"] as const).filter((k) => entry[k] === undefined);
  if (missing.length > 0) {
    errors.push(
      issueAt(
        src,
        path,
        {
          message: `the new provider "${name}" must list ${missing.join(" and ")}`,
          expected: "domains and mx for a provider that is not built in",
          found: JSON.stringify(name),
        },
        "key",
      ),
    );
    return null;
  }
  const mx = entry.mx!;
  const remoteIpsAssumed = entry.remoteIps === undefined;
  return {
    name,
    domains: entry.domains!,
    mx,
    // One IP per MX host when not given (assumption, stated in the note).
    remoteIps: entry.remoteIps ?? mx.length,
    ...timingAndTls(defaults, definedOnly(entry)),
    ...(entry.tlsNote ? { tlsNote: entry.tlsNote } : {}),
    origin: "providers.yaml",
    pos: spanAt(src, path),
    note:
      entry.note ??
      (remoteIpsAssumed ? `From providers.yaml; remoteIps assumed ${mx.length} (one IP per MX host).` : "From providers.yaml."),
  };
}

function definedOnly(entry: ProviderEntryInput): Partial<Provider> {
  return Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined)) as Partial<Provider>;
}

/** Every domain belongs to one provider. Claims from providers.yaml are checked after the built-in ones. */
function claimedTwice(src: YamlSource, providers: Provider[], written: Record<string, ProviderEntryInput>): ConfigIssue[] {
  const owner = new Map<string, { name: string; builtin: boolean }>();
  const errors: ConfigIssue[] = [];
  const fromYaml = (p: Provider) => written[p.name]?.domains !== undefined;
  for (const provider of providers.filter((p) => !fromYaml(p))) {
    for (const domain of provider.domains) owner.set(domain, { name: provider.name, builtin: true });
  }
  for (const name of Object.keys(written)) {
    const provider = providers.find((p) => p.name === name);
    if (!provider || !fromYaml(provider)) continue;
    provider.domains.forEach((domain, index) => {
      const first = owner.get(domain);
      if (first === undefined) owner.set(domain, { name, builtin: false });
      else errors.push(claimIssue(src, ["providers", name, "domains", index], domain, first, name));
    });
  }
  return errors;
}

function claimIssue(
  src: YamlSource,
  path: YamlPath,
  domain: string,
  first: { name: string; builtin: boolean },
  second: string,
): ConfigIssue {
  const message =
    first.name === second
      ? `"${domain}" is listed twice in provider "${second}"`
      : `"${domain}" already belongs to provider "${first.name}"${first.builtin ? " (built in)" : ""}`;
  return issueAt(src, path, {
    message,
    expected: "each recipient domain in one provider only",
    hint: first.builtin ? `to move it, override "${first.name}" in providers.yaml with a domains list without it` : undefined,
  });
}
