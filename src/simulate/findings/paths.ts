/**
 * no-path, affinity-missing and no-rule (docs/model.md#findings): mail that has no local IP, a delivery that
 * stays Pending, and paths no MX rule covers.
 */
import { excerpt, firstItems, listed, quote } from "../../model/excerpt.js";
import type { Finding } from "../../model/findings.js";
import type { FindingContext } from "./context.js";
import { deliveryAnchor, domainAnchor, makeFinding, num } from "./make.js";

export function affinityFindings(ctx: FindingContext): Finding[] {
  const known = ctx.model.serverConf.affinities.flatMap((a) => a.names);
  return ctx.plan.deliveries
    .filter((d) => d.missingAffinity !== null)
    .map((d) =>
      makeFinding(ctx.model.name, {
        id: "affinity-missing",
        anchor: deliveryAnchor(d.delivery, "affinity"),
        subject: [d.delivery.name, d.missingAffinity!.toLowerCase()],
        title: `Affinity ${quote(d.missingAffinity!)} of ${quote(d.delivery.name)} is not defined`,
        message:
          `Delivery ${quote(d.delivery.name)} uses affinity ${quote(d.missingAffinity!)}, which no IPAffinity defines` +
          `${known.length > 0 ? ` (defined: ${listed(known)})` : " (no IPAffinity is defined)"}. The delivery stays Pending: ` +
          `none of its ${num(ctx.deliveries[d.index]!.recipients)} messages are sent and all expire.`,
        magnitude: { deferred: 0, expired: ctx.deliveries[d.index]!.expired, completionHours: null },
        details: {
          delivery: excerpt(d.delivery.name),
          affinity: excerpt(d.missingAffinity!),
          defined: firstItems(known).map((name) => excerpt(name)),
          definedCount: known.length,
        },
      }),
    );
}

export function noPathFindings(ctx: FindingContext): Finding[] {
  return ctx.plan.streams
    .filter((s) => s.status === "no-path" && s.recipients > 0)
    .map((s) => {
      const d = ctx.plan.deliveries[s.delivery]!.delivery;
      const affinity = d.affinity ?? "default";
      return makeFinding(ctx.model.name, {
        id: "no-path",
        anchor: domainAnchor(d, s.domain),
        subject: [d.name, s.domain],
        title: `No local IP may send to ${s.domain} for ${quote(d.name)}`,
        message:
          `Delivery ${quote(d.name)}: no IP of affinity ${quote(affinity)} may send to ${s.domain === "other" ? "the other domains" : s.domain} ` +
          `(includeDomains / excludeDomains filter them all out), so its ${num(s.recipients)} messages are never sent and expire.`,
        magnitude: { deferred: 0, expired: s.recipients, completionHours: null },
        details: { delivery: d.name, domain: s.domain, affinity, recipients: s.recipients },
      });
    });
}

export function noRuleFindings(ctx: FindingContext): Finding[] {
  const file = ctx.model.mxRules.file;
  return ctx.plan.noRule.map(({ site, host, publicIds }) => {
    const key = ctx.plan.sites[site]!.info.key;
    return makeFinding(ctx.model.name, {
      id: "no-rule",
      anchor: { file, line: 1, endLine: 1 },
      subject: [host],
      title: `No MX rule matches ${host}`,
      message:
        `No MX rule matches MX host ${host} (${key}) for publicId${publicIds.length === 1 ? "" : "s"} ${listed(publicIds)}: ` +
        `only the MTA ceiling limits that traffic. Add a rule for it, or a catch-all "*" rule at the end.`,
      details: { site: key, host, publicIds },
    });
  });
}
