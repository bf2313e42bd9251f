/**
 * tls-required and tls-recommended (docs/model.md#tls). Plaintext to a provider that requires TLS is
 * its own outcome, "refused for TLS": one blocking finding per cause, which carries the deliveries'
 * expiry and deadline consequences (expiry.ts leaves those messages to it). The fix is the rule's own
 * TLS before a global enableTLS, which Adobe does not recommend because it can reduce throughput.
 */
import type { MxRule } from "../../model/config.js";
import type { Finding } from "../../model/findings.js";
import { formatDuration } from "../../model/format.js";
import type { PathPlan, SitePlan } from "../plan.js";
import { rangeLabel } from "../rules.js";
import { ruleIndexOf, type FindingContext } from "./context.js";
import { domainAnchor, makeFinding, num, posAnchor, ruleAnchor, settingAnchor, where, type Anchor } from "./make.js";

/** Adobe's performance guide on a global enableTLS, quoted in every TLS fix. */
export const GLOBAL_TLS_CAVEAT = 'Adobe: enabling TLS globally "is not recommended because it can reduce throughput"';

/** The plaintext paths of a site, grouped by the rule that decides their TLS (null: no rule applies). */
function byRule(paths: readonly PathPlan[]): { rule: MxRule | null; paths: PathPlan[] }[] {
  const groups = new Map<string, { rule: MxRule | null; paths: PathPlan[] }>();
  for (const path of paths) {
    const key = path.rule ? `${path.rule.index}` : "none";
    const group = groups.get(key) ?? { rule: path.rule, paths: [] };
    group.paths.push(path);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** Why the path is plaintext, and where to fix it. */
function causeOf(ctx: FindingContext, site: SitePlan, rule: MxRule | null): { cause: string; fix: string; anchor: Anchor } {
  const mta = ctx.model.serverConf.mta;
  const enable = mta.enableTLS;
  const support = mta.statServerTLSSupport;
  const enableText = enable.pos ? `enableTLS="${enable.value}" (${where(enable.pos)})` : "enableTLS is not set (default false)";
  const supportText = support.value
    ? ""
    : ` statServerTLSSupport="false"${support.pos ? ` (${where(support.pos)})` : ""} makes every rule use the default.`;
  const restoreSupport = support.value ? "" : ' and set statServerTLSSupport="true" so that per-rule TLS applies';
  const firstStream = ctx.plan.streams.find((s) => s.site === site.index && s.status === "ok")!;
  const fallback = enable.pos
    ? settingAnchor(enable, ctx.model)
    : domainAnchor(ctx.plan.deliveries[firstStream.delivery]!.delivery, firstStream.domain);
  if (rule === null) {
    return {
      cause: `no rule applies and ${enableText}.${supportText}`,
      fix: `Add an MX rule for ${site.info.mx[0] ?? site.info.key} with tls: opportunistic${restoreSupport}, which encrypts this provider's mail only; a global enableTLS="true" encrypts every domain (${GLOBAL_TLS_CAVEAT}).`,
      anchor: fallback,
    };
  }
  const label = `rule "${rule.mask}" (${where(rule.span)})`;
  if (rule.tls === "disabled") {
    // The rule itself asks for plaintext: enableTLS would not help once per-rule TLS applies.
    return {
      cause: support.value ? `${label} sets tls: disabled.` : `${label} uses the default TLS and ${enableText}.${supportText}`,
      fix: `Change tls: disabled to tls: opportunistic on ${label}${restoreSupport}.`,
      anchor: rule.fieldPos.tls && support.value ? posAnchor(rule.fieldPos.tls) : ruleAnchor(rule),
    };
  }
  return {
    cause: `${label} uses the default TLS and ${enableText}.${supportText}`,
    fix: `Set tls: opportunistic on ${label}${restoreSupport}, which encrypts this provider's mail only; a global enableTLS="true" encrypts every domain (${GLOBAL_TLS_CAVEAT}).`,
    anchor: rule.fieldPos.tls && support.value ? posAnchor(rule.fieldPos.tls) : ruleAnchor(rule),
  };
}

/** Per delivery sending there: how many are refused, and what that does to its validity and deadline. */
function consequences(ctx: FindingContext, site: SitePlan): string[] {
  const out: string[] = [];
  for (const d of ctx.plan.deliveries) {
    const refused = d.streams
      .filter((s) => ctx.plan.streams[s]!.site === site.index)
      .reduce((sum, s) => sum + ctx.domains[s]!.refusedTls, 0);
    if (refused <= 0) continue;
    const deadline = d.delivery.deadlineSec === null ? "" : `, so it misses its ${formatDuration(d.delivery.deadlineSec)} deadline`;
    out.push(
      `Delivery "${d.delivery.name}": ${num(refused)} refused for TLS are unsent when its validity (${formatDuration(d.delivery.validitySec)}) ends${deadline}.`,
    );
  }
  return out;
}

export function tlsFindings(ctx: FindingContext): Finding[] {
  const out: Finding[] = [];
  const mta = ctx.model.serverConf.mta;
  for (const site of ctx.plan.sites) {
    const groups = byRule(site.paths.filter((p) => p.blockedByTls));
    const total = ctx.totals[site.index]!;
    for (const { rule, paths } of groups) {
      const ids = paths.map((p) => p.publicId);
      const { cause, fix, anchor } = causeOf(ctx, site, rule);
      // Only when every path is plaintext is mail refused; otherwise the other publicIds carry it.
      const refusal =
        site.limitedBy === "tls"
          ? `mx-guard counts these messages as refused for TLS, not as quota deferrals: ${num(total.refusedTls)} of ${num(total.recipients)} messages for ${site.info.key} are never delivered. ` +
            consequences(ctx, site).join(" ")
          : "The simulation sends the site's mail through its other publicIds; messages the MTA puts on these publicIds would be refused.";
      const answer = site.info.provider?.tlsNote ?? `${site.info.key} defers or refuses plaintext.`;
      out.push(
        makeFinding(ctx.model.name, {
          id: "tls-required",
          anchor,
          subject: [site.info.key, rule?.mask ?? null, rule ? rangeLabel(rule.range) : null],
          title: `Plaintext to ${site.info.key}, which requires TLS: messages refused for TLS`,
          message:
            `${site.info.key} (${site.domains.join(", ")}) requires TLS, but mail leaves in plaintext for ${ids.length === 1 ? "publicId" : "publicIds"} ${ids.join(", ")}: ${cause} ` +
            `${answer} A temporary refusal is retried until the validity ends; a permanent one fails the message at once. ${refusal} ${fix}`,
          magnitude: { deferred: total.deferred, expired: total.expired, completionHours: total.completionHours },
          details: {
            site: site.info.key,
            publicIds: ids,
            ruleIndex: ruleIndexOf(ctx, paths[0]!),
            mask: rule?.mask ?? null,
            ruleTls: rule?.tls ?? null,
            enableTLS: mta.enableTLS.value,
            refusedTls: total.refusedTls,
            expired: total.expired,
            recipients: total.recipients,
          },
        }),
      );
    }
  }
  return out;
}

/**
 * tls-recommended: plaintext to a provider the catalog marks as recommending TLS (recommendsTls).
 * The simulation still delivers; the notice says where the recommendation comes from.
 */
export function tlsRecommendedFindings(ctx: FindingContext): Finding[] {
  const out: Finding[] = [];
  for (const site of ctx.plan.sites) {
    const provider = site.info.provider;
    if (!provider?.recommendsTls || site.info.requiresTls || site.streams.length === 0) continue;
    for (const { rule, paths } of byRule(site.paths.filter((p) => p.tls === "plaintext"))) {
      const ids = paths.map((p) => p.publicId);
      const { cause, fix, anchor } = causeOf(ctx, site, rule);
      const why = provider.tlsNote ? ` (${provider.tlsNote})` : "";
      out.push(
        makeFinding(ctx.model.name, {
          id: "tls-recommended",
          anchor,
          subject: [site.info.key, rule?.mask ?? null, rule ? rangeLabel(rule.range) : null],
          title: `Plaintext to ${site.info.key}, which recommends TLS`,
          message:
            `${site.info.key} (${site.domains.join(", ")}) recommends TLS${why}, but mail leaves in plaintext for ${ids.length === 1 ? "publicId" : "publicIds"} ${ids.join(", ")}: ${cause} ` +
            `The simulation still delivers it; the provider may throttle or refuse plaintext. ${fix}`,
          details: { site: site.info.key, publicIds: ids, mask: rule?.mask ?? null, ruleTls: rule?.tls ?? null },
        }),
      );
    }
  }
  return out;
}
