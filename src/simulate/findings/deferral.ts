/**
 * quota-deferral (docs/model.md#findings): one per site whose messages were deferred, anchored on the rule that
 * limits the site (or on the first delivery entry that sends there when no rule binds).
 */
import type { Finding } from "../../model/findings.js";
import { rangeLabel } from "../rules.js";
import { bindingPath, explainSite, ruleIndexOf, type FindingContext } from "./context.js";
import { domainAnchor, makeFinding, num, ruleAnchor } from "./make.js";
import { abandonText, headOfLineText, LEVERS, pacedText } from "./model-text.js";

export function deferralFindings(ctx: FindingContext): Finding[] {
  const out: Finding[] = [];
  for (const site of ctx.plan.sites) {
    const total = ctx.totals[site.index]!;
    if (total.deferred <= 0) continue;
    const path = bindingPath(site) ?? site.paths.find((p) => p.rule !== null) ?? null;
    const firstStream = ctx.plan.streams.find((s) => s.site === site.index && ctx.domains[s.index]!.deferred > 0)!;
    const delivery = ctx.plan.deliveries[firstStream.delivery]!.delivery;
    const anchor = path?.rule ? ruleAnchor(path.rule) : domainAnchor(delivery, firstStream.domain);
    const expired = total.expired > 0 ? `; ${num(total.expired)} expire` : "";
    out.push(
      makeFinding(ctx.model.name, {
        id: "quota-deferral",
        anchor,
        subject: [site.info.key, path?.rule?.mask ?? null, path?.rule ? rangeLabel(path.rule.range) : null],
        title: `Messages queued (connection quotas met): ${num(total.deferred)} deferred for ${site.info.key}`,
        message:
          `Messages queued (connection quotas met): ${num(total.deferred)} of ${num(total.recipients)} messages for ${site.info.key} cannot be sent within ` +
          `maxAgeSec and are abandoned, to be processed at a later retry${expired}. ${explainSite(site)}. ` +
          [abandonText(ctx, site), pacedText(ctx, site), headOfLineText(ctx, site), LEVERS].filter((t) => t !== "").join(" "),
        magnitude: { deferred: total.deferred, expired: total.expired, completionHours: total.completionHours },
        details: {
          site: site.info.key,
          deferred: total.deferred,
          expired: total.expired,
          recipients: total.recipients,
          slotCapacity: site.slotCapacity,
          limitedBy: site.limitedBy,
          ruleIndex: ruleIndexOf(ctx, path),
          mask: path?.rule?.mask ?? null,
        },
      }),
    );
  }
  return out;
}
