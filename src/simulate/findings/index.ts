/**
 * Every single-configuration detector, by the name the finding catalogue (model/catalogue.ts) gives
 * it. The simulation runs each detector the catalogue names once; a new detector is registered here.
 */
import type { DetectorName } from "../../model/catalogue.js";
import type { Finding } from "../../model/findings.js";
import type { FindingContext } from "./context.js";
import { deferralFindings } from "./deferral.js";
import { expiryFindings } from "./expiry.js";
import { bulkSenderFindings, mtachildCountFindings, retryGuidelineFindings, workingSetMemoryFindings } from "./guidelines.js";
import { heloFindings } from "./helo.js";
import { affinityFindings, noPathFindings, noRuleFindings } from "./paths.js";
import { notFirstMxFindings, shadowedFindings, staleMaskFindings, unreachableQuotaFindings } from "./rules.js";
import { tlsFindings, tlsRecommendedFindings } from "./tls.js";

export type Detector = (ctx: FindingContext) => Finding[];

export const DETECTORS: Record<DetectorName, Detector> = {
  expiry: expiryFindings,
  deferral: deferralFindings,
  tls: tlsFindings,
  "tls-recommended": tlsRecommendedFindings,
  affinity: affinityFindings,
  "no-path": noPathFindings,
  "no-rule": noRuleFindings,
  shadowed: shadowedFindings,
  "unreachable-quota": unreachableQuotaFindings,
  "stale-mask": staleMaskFindings,
  "not-first-mx": notFirstMxFindings,
  helo: heloFindings,
  "retry-guideline": retryGuidelineFindings,
  "mtachild-count": mtachildCountFindings,
  "working-set-memory": workingSetMemoryFindings,
  "bulk-sender": bulkSenderFindings,
};
