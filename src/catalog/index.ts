/**
 * The built-in provider catalog as typed data. The JSON is data, not code, so it can be updated
 * (MX records change) without touching the parsers; test/parse/providers.test.ts validates it
 * against the providers.yaml entry schema.
 */
import data from "./providers.json" with { type: "json" };

export interface CatalogDefaults {
  requiresTls: boolean;
  /** The provider publishes TLS as recommended, not required: plaintext gets a tls-recommended notice. */
  recommendsTls: boolean;
  acceptance: number;
  connectSeconds: number;
  tlsHandshakeSeconds: number;
  secondsPerMessage: number;
}

export interface CatalogEntry extends Partial<CatalogDefaults> {
  domains: string[];
  mx: string[];
  /** MX hosts of domains that do not use the provider's own (e.g. Yahoo's and Microsoft's EU domains). */
  domainMx?: Record<string, string[]>;
  /** An estimate (one IPv4 per MX host unless the note says otherwise). */
  remoteIps: number;
  /** YYYY-MM-DD: when the source of the hosts was read (desk research, not a live lookup). */
  verifiedOn: string;
  source: string;
  note: string;
  /** How the provider answers plaintext, or where its TLS recommendation comes from (quoted in TLS findings). */
  tlsNote?: string;
}

export interface CatalogData {
  defaults: CatalogDefaults;
  providers: Record<string, CatalogEntry>;
}

/**
 * Hosts of the form tenant.… stand for customers' own hosts (Microsoft 365: <tenant>.mail.protection.outlook.com,
 * <tenant>.mx.microsoft). No recipient domain resolves to them; they are listed so that masks for them are known.
 */
export const isPlaceholderHost = (host: string): boolean => host.toLowerCase().startsWith("tenant.");

/** The latest verifiedOn of the built-in entries: the catalog's date in messages. */
export function catalogVerifiedOn(): string {
  return (
    Object.values((data as CatalogData).providers)
      .map((p) => p.verifiedOn)
      .sort()
      .at(-1) ?? "unknown"
  );
}

/** A deep copy, so no caller can change the shared data. */
export function catalogData(): CatalogData {
  return structuredClone(data as CatalogData);
}
