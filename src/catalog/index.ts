/**
 * The built-in provider catalog as typed data. The JSON is data, not code, so it can be updated
 * (MX records change) without touching the parsers; test/parse/providers.test.ts validates it
 * against the providers.yaml entry schema.
 */
import data from "./providers.json" with { type: "json" };

export interface CatalogDefaults {
  requiresTls: boolean;
  acceptance: number;
  connectSeconds: number;
  tlsHandshakeSeconds: number;
  secondsPerMessage: number;
}

export interface CatalogEntry extends Partial<CatalogDefaults> {
  domains: string[];
  mx: string[];
  domainMx?: Record<string, string[]>;
  remoteIps: number;
  note: string;
}

export interface CatalogData {
  defaults: CatalogDefaults;
  providers: Record<string, CatalogEntry>;
}

/** A deep copy, so no caller can change the shared data. */
export function catalogData(): CatalogData {
  return structuredClone(data as CatalogData);
}
