/**
 * mx-rules-unused (docs/model.md#enhanced-mta-and-relay): with the Enhanced MTA or a relay the MX rules do not apply.
 */
import type { Finding } from "../../model/findings.js";
import type { SimulationMode } from "../../model/results.js";
import type { FindingContext } from "./context.js";
import { deliveryAnchor, makeFinding, settingAnchor } from "./make.js";

/** Adobe: the Enhanced MTA uses the delivery's validity only up to 3.5 days. */
const EMTA_MAX_VALIDITY_SEC = 3.5 * 86_400;

export function modeFindings(ctx: Pick<FindingContext, "model">, mode: SimulationMode): Finding[] {
  if (mode === "mx-rules") return [];
  const mta = ctx.model.serverConf.mta;
  const relay = mode === "relay";
  const setting = relay ? mta.relayAddress : mta.useMomentum;
  const why = relay
    ? `mail goes through the relay ${mta.relayAddress.value}, so throughput is the relay's`
    : `useMomentum="true" selects the Enhanced MTA, which uses its own MX rules`;
  return [
    makeFinding(ctx.model.name, {
      id: "mx-rules-unused",
      anchor: settingAnchor(setting, ctx.model),
      subject: [mode],
      title: "The MX rules are not used",
      message: `The MX management rules in ${ctx.model.mxRules.file} are not used: ${why}. No quota simulation is done for this instance: its deliveries' sent, deferred, expired, completionHours and pacedHours are null (unknown), and their deadlines are not judged.`,
      details: { mode },
    }),
    ...(relay ? [] : emtaValidityFindings(ctx)),
  ];
}

/** emta-validity: a validity over 3.5 days, which the Enhanced MTA does not honour. */
function emtaValidityFindings(ctx: Pick<FindingContext, "model">): Finding[] {
  return ctx.model.traffic.deliveries
    .filter((d) => d.validitySec > EMTA_MAX_VALIDITY_SEC)
    .map((d) =>
      makeFinding(ctx.model.name, {
        id: "emta-validity",
        anchor: deliveryAnchor(d, d.fieldPos.validity ? "validity" : undefined),
        subject: [d.name],
        title: `"${d.name}": the Enhanced MTA uses at most 3.5 days of validity`,
        message: `Delivery "${d.name}" has a validity of ${Math.round((d.validitySec / 86_400) * 100) / 100} days, but Adobe documents that the Enhanced MTA uses the validity only if it is 3.5 days or less: messages not delivered after 3.5 days fail. Set validity: 3d12h or less to see what will happen.`,
        details: { delivery: d.name, validitySec: d.validitySec, maxValiditySec: EMTA_MAX_VALIDITY_SEC },
      }),
    );
}
