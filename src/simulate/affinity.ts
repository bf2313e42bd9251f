/**
 * Which local IPs a delivery may use for a recipient domain (docs/model.md#how-fast-a-site-can-go): the
 * delivery's affinity, then includeDomains / excludeDomains on the *recipient domain*.
 */
import type { AffinityIp, Delivery, IpAffinity, ServerConf } from "../model/config.js";
import { compileMask } from "./mask.js";

export type AffinityLookup = { found: true; affinities: IpAffinity[] } | { found: false; name: string };

/** null affinity → the one named "default" if any, else every affinity; a name matches any of `names`. */
export function resolveAffinity(conf: ServerConf, delivery: Pick<Delivery, "affinity">): AffinityLookup {
  const wanted = delivery.affinity?.trim() ?? null;
  // Lengths first: an affinity name may be megabytes long, and lower-casing it per delivery would cost that much each time.
  const named = (name: string) =>
    conf.affinities.filter((a) => a.names.some((n) => n.length === name.length && n.toLowerCase() === name.toLowerCase()));
  if (wanted === null || wanted === "") {
    const defaults = named("default");
    return { found: true, affinities: defaults.length > 0 ? defaults : conf.affinities };
  }
  const hits = named(wanted);
  return hits.length > 0 ? { found: true, affinities: hits } : { found: false, name: wanted };
}

/** Whether an IP may carry mail to a recipient domain: include (null = all), then exclude. */
export function ipAllowsDomain(ip: Pick<AffinityIp, "includeDomains" | "excludeDomains">, domain: string): boolean {
  if (ip.includeDomains !== null && !ip.includeDomains.some((m) => compileMask(m)(domain))) return false;
  return !ip.excludeDomains.some((m) => compileMask(m)(domain));
}

/**
 * IPs usable for the "other" bucket (many unknown small domains): those without includeDomains.
 * excludeDomains is ignored there because the bucket's domains are unknown.
 */
export function ipAllowsOther(ip: Pick<AffinityIp, "includeDomains">): boolean {
  return ip.includeDomains === null || ip.includeDomains.some((m) => /^\*+$/.test(m.trim()));
}

export interface IpShare {
  address: string;
  publicId: number;
  /** Share of the traffic, 0..1, by weight among the usable IPs. */
  share: number;
}

/**
 * Adobe's weight example (docs/model.md#how-fast-a-site-can-go): weights 5/5/1 give 45/45/10 %; when the first IP
 * cannot be used for a domain the others split 83/17 %. `usable` filters the candidates.
 */
export function ipShares(
  ips: readonly Pick<AffinityIp, "address" | "publicId" | "weight">[],
  usable: (ip: number) => boolean = () => true,
): IpShare[] {
  const kept = ips.filter((_, i) => usable(i));
  const total = kept.reduce((sum, ip) => sum + Math.max(0, ip.weight), 0);
  return kept.map((ip) => ({
    address: ip.address,
    publicId: ip.publicId,
    share: total > 0 ? Math.max(0, ip.weight) / total : 1 / kept.length,
  }));
}
