/**
 * tls-required (docs/model.md#tls): plaintext to a provider that requires TLS. Every attempt
 * is refused (421 4.7.29) yet costs a messages-per-hour credit, so nothing is delivered.
 */
import type { Finding } from "../../model/findings.js";
import { rangeLabel } from "../rules.js";
import { ruleIndexOf, type FindingContext } from "./context.js";
import { domainAnchor, makeFinding, num, posAnchor, ruleAnchor, settingAnchor, where } from "./make.js";

export function tlsFindings(ctx: FindingContext): Finding[] {
  const out: Finding[] = [];
  const mta = ctx.model.serverConf.mta;
  const enable = mta.enableTLS;
  const enableText = enable.pos ? `enableTLS="${enable.value}" (${where(enable.pos)})` : `enableTLS is not set (default false)`;
  const support = mta.statServerTLSSupport.value
    ? ""
    : ` statServerTLSSupport="false"${mta.statServerTLSSupport.pos ? ` (${where(mta.statServerTLSSupport.pos)})` : ""} makes every rule use the default.`;
  for (const site of ctx.plan.sites) {
    const blocked = site.paths.filter((p) => p.blockedByTls);
    const seen = new Set<string>();
    for (const path of blocked) {
      const rule = path.rule;
      const key = rule ? `${rule.index}` : "none";
      if (seen.has(key)) continue;
      seen.add(key);
      const ids = blocked.filter((p) => (p.rule ? `${p.rule.index}` : "none") === key).map((p) => p.publicId);
      const tlsPos = rule?.fieldPos.tls;
      const firstStream = ctx.plan.streams.find((s) => s.site === site.index && s.status === "ok")!;
      const anchor = rule
        ? tlsPos && mta.statServerTLSSupport.value
          ? posAnchor(tlsPos)
          : ruleAnchor(rule)
        : enable.pos
          ? settingAnchor(enable, ctx.model)
          : domainAnchor(ctx.plan.deliveries[firstStream.delivery]!.delivery, firstStream.domain);
      const cause = rule
        ? rule.tls === "disabled" && mta.statServerTLSSupport.value
          ? `rule "${rule.mask}" (${where(rule.span)}) sets tls: disabled`
          : `rule "${rule.mask}" (${where(rule.span)}) uses the default TLS and ${enableText}`
        : `no rule applies and ${enableText}`;
      const total = ctx.totals[site.index]!;
      out.push(
        makeFinding(ctx.model.name, {
          id: "tls-required",
          anchor,
          subject: [site.info.key, rule?.mask ?? null, rule ? rangeLabel(rule.range) : null],
          title: `Plaintext to ${site.info.key}, which requires TLS`,
          message:
            `${site.info.key} (${site.domains.join(", ")}) requires TLS, but mail leaves in plaintext for ${ids.length === 1 ? "publicId" : "publicIds"} ${ids.join(", ")}: ${cause}.${support} ` +
            `Every attempt is refused (421 4.7.29) and still costs a messages-per-hour credit; ${num(total.expired)} of ${num(total.recipients)} messages expire. ` +
            `Set tls: opportunistic on the rule, or enableTLS="true".`,
          magnitude: { deferred: total.deferred, expired: total.expired, completionHours: total.completionHours },
          details: {
            site: site.info.key,
            publicIds: ids,
            ruleIndex: ruleIndexOf(ctx, path),
            mask: rule?.mask ?? null,
            ruleTls: rule?.tls ?? null,
            enableTLS: enable.value,
          },
        }),
      );
    }
  }
  return out;
}
