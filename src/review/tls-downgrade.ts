/**
 * `tls-downgrade` (docs/model.md#tls): the one finding that needs both sides. A site whose effective TLS is
 * opportunistic on the base and plaintext on the head, per instance, anchored on the head rule that
 * applies to the site. The suggestion (`tls: opportunistic`) is computed and verified in fixes.ts.
 */
import type { InstanceModel, MxRule } from "../model/config.js";
import { defaultSeverity, type Finding } from "../model/findings.js";
import { fingerprint } from "../model/fingerprint.js";
import type { SiteResult } from "../model/results.js";
import type { SideResult } from "../model/review.js";

/** The head rule behind a site: by the path's rule index when known, else by file, line and mask. */
export function ruleForSite(model: InstanceModel | undefined, site: SiteResult): MxRule | undefined {
  if (!model || !site.rule) return undefined;
  const ref = site.rule;
  const index = site.paths?.find((path) => path.rule !== null)?.rule?.index;
  const rules = model.mxRules.rules;
  const byIndex = index === undefined ? undefined : rules[index];
  if (byIndex && byIndex.mask === ref.mask) return byIndex;
  return rules.find((rule) => rule.span.file === ref.file && rule.span.line === ref.line) ?? rules.find((rule) => rule.mask === ref.mask);
}

function why(model: InstanceModel | undefined, rule: MxRule | undefined): string {
  if (!model) return "";
  const mta = model.serverConf.mta;
  if (rule?.tls === "disabled") return ` The rule sets tls: disabled.`;
  if (!mta.statServerTLSSupport.value) {
    return ` statServerTLSSupport is false, so per-rule TLS is ignored, and enableTLS is ${String(mta.enableTLS.value)}.`;
  }
  if (!mta.enableTLS.value) {
    return rule ? ` The rule uses tls: ${rule.tls} and enableTLS is false.` : ` enableTLS is false: set enableTLS="true" to encrypt again.`;
  }
  return "";
}

/** Every opportunistic → plaintext change between base and head, one finding per (instance, site). */
export function tlsDowngrades(base: SideResult, head: SideResult): Finding[] {
  const out: Finding[] = [];
  for (const headInstance of head.report.instances) {
    const baseInstance = base.report.instances.find((instance) => instance.name === headInstance.name);
    if (!baseInstance) continue;
    const model = head.models.find((candidate) => candidate.name === headInstance.name);
    for (const site of headInstance.sites) {
      const before = baseInstance.sites.find((candidate) => candidate.site === site.site);
      if (before?.tls !== "opportunistic" || site.tls !== "plaintext") continue;
      const rule = ruleForSite(model, site);
      const enableTlsPos = model?.serverConf.mta.enableTLS.pos;
      const file = rule?.span.file ?? site.rule?.file ?? enableTlsPos?.file ?? model?.serverConf.files[0] ?? "";
      const line = rule?.span.line ?? site.rule?.line ?? enableTlsPos?.line ?? 1;
      const endLine = rule?.span.endLine ?? line;
      const where = site.rule ? ` Rule "${site.rule.mask}" (${site.rule.file}:${site.rule.line}) applies.` : " No MX rule applies.";
      const domains = site.domains.length > 0 ? ` (${site.domains.join(", ")})` : "";
      out.push({
        id: "tls-downgrade",
        severity: defaultSeverity("tls-downgrade"),
        instance: headInstance.name,
        file,
        line,
        endLine,
        message:
          `Site ${site.site}${domains} in instance ${headInstance.name}: effective TLS goes from opportunistic ` +
          `on the base to plaintext on the head.${where}${why(model, rule)}`,
        fingerprint: fingerprint("tls-downgrade", headInstance.name, site.site),
        title: `TLS downgraded to plaintext for ${site.site}`,
        details: {
          site: site.site,
          domains: site.domains,
          baseTls: before.tls,
          headTls: site.tls,
          ...(rule ? { ruleIndex: rule.index, mask: rule.mask, ruleTls: rule.tls } : {}),
        },
      });
    }
  }
  return out;
}
