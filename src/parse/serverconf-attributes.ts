/**
 * The attributes of the serverConf.xml elements mx-guard reads, from Adobe's server configuration
 * reference (docs/campaign-files.md): the ones the simulation uses, and the ones it knows but does
 * not simulate (listed once per run as "read, not simulated"). Anything else on these elements is
 * an unknown attribute (a notice with "did you mean").
 */

export type ElementKind = "mta" | "relay" | "master" | "child" | "smtp" | "IPAffinity" | "IP";

export interface KnownAttributes {
  simulated: readonly string[];
  notSimulated: readonly string[];
}

export const KNOWN_ATTRIBUTES: Readonly<Record<ElementKind, KnownAttributes>> = {
  mta: {
    simulated: ["useMomentum", "statServerTLSSupport"],
    notSimulated: [
      "statServerAddress",
      "autoStart",
      "maxMemoryMb",
      "errorPeriodSec",
      "minConnectionsToLog",
      "minErrorsToLog",
      "minMessagesToLog",
      "retryLostMessages",
      "processRestartTime",
      "verifyMode",
      "logLevel",
      "dataLogPath",
      "debugPath",
      "xMailer",
      "workingPath",
      "signEmailLinks",
      "purgeDataLogDelay",
      "dnsRequestLogDelayMs",
      "notifRelay",
      "initScript",
      "args",
      "runLevel",
      "maxProcessMemoryAlertMb",
      "maxProcessMemoryWarningMb",
      "statServerVersion",
    ],
  },
  relay: { simulated: ["address"], notSimulated: ["port"] },
  master: {
    simulated: ["maxSpareServers"],
    notSimulated: ["minSpareServers", "startSpareServers", "dataBasePoolPeriodSec", "dataBaseRetryDelaySec", "domainKeysReloadPeriodSec"],
  },
  child: {
    simulated: ["maxAgeSec", "maxWaitingMessages"],
    notSimulated: [
      "maxWorkingSetMb",
      "maxMsgPerChild",
      "timeToLive",
      "startWithFirstMX",
      "idleChildTimeoutSec",
      "soapConnectorTimeoutSec",
      "maxGCMConnectPerChild",
      "extraArgs",
    ],
  },
  smtp: {
    simulated: ["enableTLS", "maxSessionsPerChild"],
    // initialDelaySec is parsed (and checked) but its doubling retry delay is not modelled.
    notSimulated: ["initialDelaySec", "idleSessionTimeoutSec"],
  },
  IPAffinity: { simulated: ["name", "localDomain"], notSimulated: ["IPMask"] },
  IP: { simulated: ["address", "publicId", "weight", "heloHost", "includeDomains", "excludeDomains"], notSimulated: [] },
};

export function knownNames(kind: ElementKind): string[] {
  return [...KNOWN_ATTRIBUTES[kind].simulated, ...KNOWN_ATTRIBUTES[kind].notSimulated];
}

/** The defaults the parser applies to simulated attributes that are not written (for messages). */
export const SIMULATED_DEFAULTS: Readonly<Record<string, string>> = {
  useMomentum: "false",
  statServerTLSSupport: "true",
  maxSpareServers: "2",
  maxAgeSec: "600",
  maxWaitingMessages: "2000",
  enableTLS: "false",
  maxSessionsPerChild: "1000",
  weight: "1",
};
