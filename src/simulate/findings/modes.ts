/**
 * mx-rules-unused (SPEC §6, research §2.6): with the Enhanced MTA or a relay the MX rules do not apply.
 */
import type { Finding } from "../../model/findings.js";
import type { SimulationMode } from "../../model/results.js";
import type { FindingContext } from "./context.js";
import { makeFinding, settingAnchor } from "./make.js";

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
      message: `The MX management rules in ${ctx.model.mxRules.file} are not used: ${why}. No quota simulation is done for this instance.`,
      details: { mode },
    }),
  ];
}
