/**
 * helo-conflict (docs/model.md#findings). Adobe: "one IP corresponds to a single helohost with a unique
 * identifier (public_id). It cannot be mapped to multiple helohosts". The effective HELO name of
 * an IP is its heloHost, else its affinity's localDomain; IPs with neither are left out.
 */
import type { AffinityIp } from "../../model/config.js";
import { excerpt, firstItems, listed } from "../../model/excerpt.js";
import type { Finding } from "../../model/findings.js";
import type { FindingContext } from "./context.js";
import { makeFinding, posAnchor, where } from "./make.js";

interface Use {
  ip: AffinityIp;
  helo: string;
}

export function heloFindings(ctx: FindingContext): Finding[] {
  const uses: Use[] = [];
  for (const affinity of ctx.model.serverConf.affinities) {
    for (const ip of affinity.ips) {
      const helo = ip.heloHost ?? affinity.localDomain;
      if (helo) uses.push({ ip, helo: helo.toLowerCase() });
    }
  }
  const out: Finding[] = [];
  const check = (kind: "address" | "publicId", keyOf: (ip: AffinityIp) => string) => {
    const groups = new Map<string, Use[]>();
    for (const u of uses) groups.set(keyOf(u.ip), [...(groups.get(keyOf(u.ip)) ?? []), u]);
    for (const [key, group] of groups) {
      const names = [...new Set(group.map((u) => u.helo))];
      if (names.length < 2) continue;
      // Anchor on the first IP element whose HELO name differs from the first one seen.
      const culprit = group.find((u) => u.helo !== group[0]!.helo)!;
      const at = culprit.ip.attrPos["heloHost"] ?? culprit.ip.pos;
      const places = listed(group, (u) => `${excerpt(u.helo)} (${where(u.ip.pos)})`);
      const shown = excerpt(key);
      out.push(
        makeFinding(ctx.model.name, {
          id: "helo-conflict",
          anchor: { ...posAnchor(culprit.ip.pos), column: at.column, line: at.line, endLine: at.line },
          subject: [kind, key],
          title: `${kind === "address" ? "IP" : "publicId"} ${shown} has several HELO names`,
          message: `${kind === "address" ? "IP address" : "publicId"} ${shown} is mapped to ${names.length} HELO names: ${places}. One IP (and its publicId) must use a single heloHost, otherwise delivery can be throttled.`,
          details: { [kind]: excerpt(key), heloHosts: firstItems(names).map((name) => excerpt(name)), heloHostCount: names.length },
        }),
      );
    }
  };
  check("address", (ip) => ip.address);
  check("publicId", (ip) => String(ip.publicId));
  return out;
}
