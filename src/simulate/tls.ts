/**
 * Effective TLS of a path (docs/model.md#tls): `disabled` → plaintext, `opportunistic` →
 * opportunistic, `default` → enableTLS (after the instance override). With
 * statServerTLSSupport=false every rule behaves as `default`.
 */
import type { RuleTls } from "../model/config.js";
import type { EffectiveTls } from "../model/results.js";

export interface TlsSettings {
  enableTLS: boolean;
  statServerTLSSupport: boolean;
}

/** `ruleTls` null means no rule applies, which behaves as `default`. */
export function effectiveTls(ruleTls: RuleTls | null, settings: TlsSettings): EffectiveTls {
  const mode = settings.statServerTLSSupport ? (ruleTls ?? "default") : "default";
  if (mode === "disabled") return "plaintext";
  if (mode === "opportunistic") return "opportunistic";
  return settings.enableTLS ? "opportunistic" : "plaintext";
}
