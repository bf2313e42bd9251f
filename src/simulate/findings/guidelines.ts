/**
 * Adobe's and the mailbox providers' published guidance as cheap notices (docs/model.md#findings):
 * nothing here changes the simulation; each says which documented guideline a configuration leaves.
 */
import type { Finding } from "../../model/findings.js";
import type { FindingContext } from "./context.js";
import { deliveryAnchor, makeFinding, num, settingAnchor, where } from "./make.js";

/** Adobe's monitoring guideline for deliveries held back by quotas: retry every 30 minutes, more than 20 times. */
export const RETRY_GUIDELINE = { maxPeriodSec: 30 * 60, minRetries: 20 } as const;
/** Adobe recommends at most 8 mtachild processes (maxSpareServers). */
export const MAX_RECOMMENDED_CHILDREN = 8;
/** Google's and Microsoft's bulk-sender rules start at 5,000 messages a day to their consumer mailboxes. */
export const BULK_SENDER_DAILY = 5_000;
const BULK_PROVIDERS = ["google", "microsoft"] as const;
/** Adobe: an mtachild's memory is maxWaitingMessages × the average message size × 2.5. */
export const WORKING_SET_FACTOR = 2.5;

export function retryGuidelineFindings(ctx: FindingContext): Finding[] {
  const out: Finding[] = [];
  ctx.plan.deliveries.forEach((planned, index) => {
    const d = planned.delivery;
    const deferred = ctx.deliveries[index]?.deferred ?? 0;
    if (deferred <= 0) return;
    const tooFew = d.retries < RETRY_GUIDELINE.minRetries;
    const tooSlow = d.retryPeriodSec > RETRY_GUIDELINE.maxPeriodSec;
    if (!tooFew && !tooSlow) return;
    const written = [`retryPeriod ${Math.round(d.retryPeriodSec / 60)} min`, `${num(d.retries)} retries`].join(", ");
    out.push(
      makeFinding(ctx.model.name, {
        id: "retry-guideline",
        anchor: deliveryAnchor(d, tooFew ? "retries" : "retryPeriod"),
        subject: [d.name],
        title: `"${d.name}": retries below Adobe's guideline for quota deferrals`,
        message:
          `Delivery "${d.name}" has ${num(deferred)} messages deferred by quotas and retries them with ${written}; ` +
          `Adobe's monitoring guideline for "Messages queued (connection quotas met)" is a retry period of 30 minutes and more than 20 retries, ` +
          "so that deferred messages are tried again while the quotas refill.",
        details: { retries: d.retries, retryPeriodSec: d.retryPeriodSec, deferred },
      }),
    );
  });
  return out;
}

export function mtachildCountFindings(ctx: FindingContext): Finding[] {
  const setting = ctx.model.serverConf.mta.maxSpareServers;
  if (setting.value <= MAX_RECOMMENDED_CHILDREN) return [];
  return [
    makeFinding(ctx.model.name, {
      id: "mtachild-count",
      anchor: settingAnchor(setting, ctx.model),
      subject: ["maxSpareServers"],
      title: `maxSpareServers ${setting.value}: more mtachild processes than Adobe recommends`,
      message:
        `mta/master@maxSpareServers is ${num(setting.value)}: Adobe recommends at most ${MAX_RECOMMENDED_CHILDREN} mtachild processes; ` +
        "more children open more connections at once without raising the MX quotas, which stay the limit.",
      details: { maxSpareServers: setting.value, recommended: MAX_RECOMMENDED_CHILDREN },
    }),
  ];
}

/**
 * working-set-memory: for each delivery that declares messageSizeKb, an mtachild's working set
 * (maxWaitingMessages × size × 2.5) over maxWorkingSetMb, where Adobe says the child stops sending.
 */
export function workingSetMemoryFindings(ctx: FindingContext): Finding[] {
  const mta = ctx.model.serverConf.mta;
  const waiting = mta.maxWaitingMessages.value;
  const limitMb = mta.maxWorkingSetMb.value;
  const out: Finding[] = [];
  for (const planned of ctx.plan.deliveries) {
    const d = planned.delivery;
    if (d.messageSizeKb === undefined) continue;
    const neededMb = (waiting * d.messageSizeKb * WORKING_SET_FACTOR) / 1024;
    if (neededMb <= limitMb) continue;
    const at = (s: typeof mta.maxWaitingMessages) => (s.pos ? ` (${where(s.pos)})` : " (default)");
    out.push(
      makeFinding(ctx.model.name, {
        id: "working-set-memory",
        anchor: deliveryAnchor(d, "messageSizeKb"),
        subject: [d.name],
        title: `"${d.name}": working set of ${num(Math.round(neededMb))} MB over maxWorkingSetMb ${num(limitMb)}`,
        message:
          `Delivery "${d.name}" declares messageSizeKb ${num(d.messageSizeKb)}: an mtachild holding maxWaitingMessages ${num(waiting)}${at(mta.maxWaitingMessages)} ` +
          `needs ${num(waiting)} × ${num(d.messageSizeKb)} KB × ${WORKING_SET_FACTOR} = ${num(Math.round(neededMb * 10) / 10)} MB, over maxWorkingSetMb ${num(limitMb)}${at(mta.maxWorkingSetMb)}; ` +
          'Adobe: "once the maxWorkingSetMb threshold is reached, the delivery server stops sending messages". ' +
          "mx-guard does not simulate that stop. Lower maxWaitingMessages, raise maxWorkingSetMb, or send smaller messages (Adobe recommends at most 60 KB).",
        details: {
          messageSizeKb: d.messageSizeKb,
          maxWaitingMessages: waiting,
          maxWorkingSetMb: limitMb,
          neededMb: Math.round(neededMb * 10) / 10,
        },
      }),
    );
  }
  return out;
}

export function bulkSenderFindings(ctx: FindingContext): Finding[] {
  const out: Finding[] = [];
  // The catalog provider of each recipient domain: its site key before any ":" suffix.
  const providerOf = new Map(ctx.domains.map((v) => [v.domain, v.site.split(":")[0]]));
  for (const planned of ctx.plan.deliveries) {
    const d = planned.delivery;
    for (const provider of BULK_PROVIDERS) {
      const recipients = d.domains.filter((v) => providerOf.get(v.domain) === provider).reduce((sum, v) => sum + v.recipients, 0);
      if (recipients < BULK_SENDER_DAILY) continue;
      out.push(
        makeFinding(ctx.model.name, {
          id: "bulk-sender",
          anchor: deliveryAnchor(d, "domains"),
          subject: [d.name, provider],
          title: `"${d.name}" sends ${num(recipients)} messages to ${provider}: bulk-sender rules apply`,
          message:
            `Delivery "${d.name}" sends ${num(recipients)} messages to ${provider} mailboxes, above the ${num(BULK_SENDER_DAILY)} a day at which ` +
            `${provider === "google" ? "Google" : "Microsoft"} applies its bulk-sender rules (SPF, DKIM and DMARC alignment, one-click unsubscribe, ` +
            "a low spam rate); mail that does not meet them is deferred or refused, whatever the MX rules allow.",
          details: { provider, recipients, threshold: BULK_SENDER_DAILY },
        }),
      );
    }
  }
  return out;
}
