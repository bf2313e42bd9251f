/**
 * no-path, affinity-missing and no-rule (docs/model.md#findings): mail that has no local IP, a delivery that
 * stays Pending, and paths no MX rule covers.
 */
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
        title: `Affinity "${d.missingAffinity}" of "${d.delivery.name}" is not defined`,
        message:
          `Delivery "${d.delivery.name}" uses affinity "${d.missingAffinity}", which no IPAffinity defines` +
          `${known.length > 0 ? ` (defined: ${known.join(", ")})` : " (no IPAffinity is defined)"}. The delivery stays Pending: ` +
          `none of its ${num(ctx.deliveries[d.index]!.recipients)} messages are sent and all expire.`,
        magnitude: { deferred: 0, expired: ctx.deliveries[d.index]!.expired, completionHours: null },
        details: { delivery: d.delivery.name, affinity: d.missingAffinity, defined: known },
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
        title: `No local IP may send to ${s.domain} for "${d.name}"`,
        message:
          `Delivery "${d.name}": no IP of affinity "${affinity}" may send to ${s.domain === "other" ? "the other domains" : s.domain} ` +
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
        `No MX rule matches MX host ${host} (${key}) for publicId${publicIds.length === 1 ? "" : "s"} ${publicIds.join(", ")}: ` +
        `only the MTA ceiling limits that traffic. Add a rule for it, or a catch-all "*" rule at the end.`,
      details: { site: key, host, publicIds },
    });
  });
}
