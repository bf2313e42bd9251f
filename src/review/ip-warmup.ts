/**
 * `ip-warmup`: a publicId that the base does not have carries planned traffic on the head. The
 * simulation counts it at its full capacity; providers give an IP without reputation a fraction
 * of that until it has been warmed up with rising volume.
 */
import type { AffinityIp } from "../model/config.js";
import { defaultSeverity, type Finding } from "../model/findings.js";
import { fingerprint } from "../model/fingerprint.js";
import type { SideResult } from "../model/review.js";
import { instancePairs } from "./site-pairs.js";

export function ipWarmups(base: SideResult, head: SideResult): Finding[] {
  const out: Finding[] = [];
  for (const pair of instancePairs(base, head)) {
    const known = new Set(pair.base.model.serverConf.affinities.flatMap((affinity) => affinity.ips.map((ip) => ip.publicId)));
    const sitesOf = new Map<number, string[]>();
    for (const site of pair.head.result.sites) {
      for (const path of site.paths ?? []) {
        if (known.has(path.publicId) || path.limitedBy === "tls") continue;
        sitesOf.set(path.publicId, [...(sitesOf.get(path.publicId) ?? []), site.site]);
      }
    }
    for (const [publicId, sites] of [...sitesOf].sort((a, b) => a[0] - b[0])) {
      const ips: AffinityIp[] = pair.head.model.serverConf.affinities.flatMap((affinity) =>
        affinity.ips.filter((ip) => ip.publicId === publicId),
      );
      const first = ips[0];
      const pos = first?.attrPos["publicId"] ?? first?.pos;
      const file = pos?.file ?? pair.head.model.serverConf.files[0] ?? "";
      const line = pos?.line ?? 1;
      const addresses = [...new Set(ips.map((ip) => ip.address))];
      out.push({
        id: "ip-warmup",
        severity: defaultSeverity("ip-warmup"),
        instance: pair.name,
        file,
        line,
        endLine: line,
        message:
          `publicId ${publicId}${addresses.length > 0 ? ` (${addresses.join(", ")})` : ""} in instance ${pair.name} is new in this change ` +
          `and carries planned traffic to ${sites.join(", ")}. The simulation counts it at full capacity; a cold IP gets a fraction ` +
          "of that until providers have seen its volume grow, so start it with a small share of the traffic.",
        fingerprint: fingerprint("ip-warmup", pair.name, publicId),
        title: `New IP (publicId ${publicId}) needs warming up`,
        details: { publicId, addresses, sites },
      });
    }
  }
  return out;
}
