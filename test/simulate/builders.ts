/**
 * Builds InstanceModel objects directly (the parsers are written elsewhere), with plausible source
 * positions so that finding anchors can be checked: rule k spans lines 2 + 10k .. 11 + 10k of
 * campaign/mx-rules.yaml (mask on the first line, tls on the last); deliveries follow one another
 * in campaign/traffic.yaml; IPs sit on lines 30 + 10a + i of campaign/serverConf.xml.
 */
import type { AffinityIp, Delivery, InstanceModel, IpAffinity, MxRule, MxRuleKey, Provider, RuleTls } from "../../src/model/config.js";
import type { Setting, SourceSpan } from "../../src/model/source.js";
import { RULE_KEYS } from "../../src/parse/mx-rules.js";

export const RULES_FILE = "campaign/mx-rules.yaml";
export const TRAFFIC_FILE = "campaign/traffic.yaml";
export const SERVER_CONF = "campaign/serverConf.xml";
export const HOUR = 3600;
export const DAY = 86400;
export const T0 = Date.UTC(2026, 10, 27, 8, 0, 0);

function span(file: string, line: number, endLine = line, column = 5): SourceSpan {
  return { file, line, column, endLine, endColumn: column + 20 };
}

export interface RuleSpec {
  mask: string;
  range?: { from: number; to: number } | null;
  shared?: boolean;
  maxConnections?: number;
  maxMessagesPerConnection?: number;
  messagesPerHour?: number;
  tls?: RuleTls;
  /** Keys written in the file (default: all but tls unless tls is given). */
  written?: MxRuleKey[];
}

export function ruleLine(index: number, key: MxRuleKey = "mask"): number {
  return 2 + index * 10 + RULE_KEYS.indexOf(key);
}

export function makeRule(spec: RuleSpec, index: number): MxRule {
  const written = spec.written ?? RULE_KEYS.filter((k) => k !== "tls" || spec.tls !== undefined);
  const fieldPos: MxRule["fieldPos"] = {};
  for (const k of written) fieldPos[k] = span(RULES_FILE, ruleLine(index, k), ruleLine(index, k), k === "mask" ? 11 : 9);
  return {
    index,
    mask: spec.mask,
    range: spec.range ?? null,
    shared: spec.shared ?? true,
    maxConnections: spec.maxConnections ?? 1000,
    maxMessagesPerConnection: spec.maxMessagesPerConnection ?? 100,
    messagesPerHour: spec.messagesPerHour ?? 10_000,
    connectionTimeoutSec: 10,
    timeoutDataSec: 240,
    timeoutSec: 60,
    tls: spec.tls ?? "default",
    span: span(RULES_FILE, ruleLine(index), ruleLine(index) + 9, 3),
    fieldPos,
    defaulted: RULE_KEYS.filter((k) => !written.includes(k)),
  };
}

export interface IpSpec {
  address: string;
  publicId: number;
  weight?: number;
  heloHost?: string | null;
  includeDomains?: string[] | null;
  excludeDomains?: string[];
}

export interface AffinitySpec {
  names: string[];
  localDomain?: string | null;
  ips: IpSpec[];
}

export function ipLine(affinity: number, ip: number): number {
  return 30 + affinity * 10 + ip + 1;
}

function makeAffinity(spec: AffinitySpec, a: number): IpAffinity {
  return {
    names: spec.names,
    localDomain: spec.localDomain ?? null,
    pos: { file: SERVER_CONF, line: 30 + a * 10, column: 7 },
    ips: spec.ips.map((ip, i): AffinityIp => {
      const pos = { file: SERVER_CONF, line: ipLine(a, i), column: 9 };
      return {
        address: ip.address,
        publicId: ip.publicId,
        weight: ip.weight ?? 1,
        heloHost: ip.heloHost ?? null,
        includeDomains: ip.includeDomains ?? null,
        excludeDomains: ip.excludeDomains ?? [],
        pos,
        attrPos: {
          address: { ...pos, column: 13 },
          publicId: { ...pos, column: 40 },
          ...(ip.heloHost ? { heloHost: { ...pos, column: 60 } } : {}),
        },
      };
    }),
  };
}

export interface DeliverySpec {
  name: string;
  /** Seconds after T0. */
  startOffsetSec?: number;
  domains: Record<string, number>;
  other?: number;
  affinity?: string | null;
  deadlineSec?: number | null;
  validitySec?: number;
  retryPeriodSec?: number;
  retries?: number;
  waves?: { afterSec: number; size: number }[] | null;
  messageSizeKb?: number;
}

/** Line of a delivery field: deliveries take 10 lines plus one per domain, starting at line 2. */
export interface DeliveryLines {
  name: number;
  affinity: number;
  domains: number;
  domain: (k: number) => number;
  end: number;
}

export function makeDeliveries(specs: DeliverySpec[]): { deliveries: Delivery[]; lines: DeliveryLines[] } {
  let line = 2;
  const deliveries: Delivery[] = [];
  const lines: DeliveryLines[] = [];
  for (const spec of specs) {
    const names = Object.keys(spec.domains);
    const base = line;
    const l: DeliveryLines = {
      name: base,
      affinity: base + 3,
      domains: base + 4,
      domain: (k) => base + 5 + k,
      end: base + 9 + names.length,
    };
    const domains = names.map((domain, k) => ({
      domain,
      recipients: spec.domains[domain]!,
      written: { count: spec.domains[domain]! },
      pos: span(TRAFFIC_FILE, base + 5 + k, base + 5 + k, 7),
    }));
    const recipients = domains.reduce((s, d) => s + d.recipients, 0) + (spec.other ?? 0);
    const fieldPos: Delivery["fieldPos"] = {
      name: span(TRAFFIC_FILE, base, base, 11),
      start: span(TRAFFIC_FILE, base + 1),
      recipients: span(TRAFFIC_FILE, base + 2),
      domains: span(TRAFFIC_FILE, base + 4, base + 4 + names.length),
    };
    if (spec.affinity) fieldPos.affinity = span(TRAFFIC_FILE, base + 3, base + 3, 15);
    deliveries.push({
      name: spec.name,
      start: T0 + (spec.startOffsetSec ?? 0) * 1000,
      recipients,
      affinity: spec.affinity ?? null,
      domains,
      otherRecipients: spec.other ?? 0,
      deadlineSec: spec.deadlineSec ?? null,
      validitySec: spec.validitySec ?? 5 * DAY,
      retryPeriodSec: spec.retryPeriodSec ?? HOUR,
      retries: spec.retries ?? 5,
      waves: spec.waves ?? null,
      ...(spec.messageSizeKb !== undefined ? { messageSizeKb: spec.messageSizeKb } : {}),
      span: span(TRAFFIC_FILE, base, l.end, 5),
      fieldPos,
    });
    lines.push(l);
    line = l.end + 1;
  }
  return { deliveries, lines };
}

export function makeProvider(p: Partial<Provider> & { name: string; domains: string[]; mx: string[] }): Provider {
  return {
    remoteIps: 1,
    requiresTls: false,
    recommendsTls: false,
    acceptance: 1,
    secondsPerMessage: 0.1,
    connectSeconds: 0.5,
    tlsHandshakeSeconds: 0.5,
    origin: "builtin",
    ...p,
  };
}

export const GOOGLE = makeProvider({
  name: "google",
  domains: ["gmail.com", "googlemail.com"],
  mx: ["gmail-smtp-in.l.google.com", "alt1.gmail-smtp-in.l.google.com", "alt2.gmail-smtp-in.l.google.com"],
  requiresTls: true,
});
export const YAHOO = makeProvider({
  name: "yahoo",
  domains: ["yahoo.com", "aol.com"],
  mx: ["mta5.am0.yahoodns.net", "mta6.am0.yahoodns.net", "mta7.am0.yahoodns.net"],
  remoteIps: 16,
});
export const MICROSOFT = makeProvider({
  name: "microsoft",
  domains: ["hotmail.com", "outlook.com"],
  mx: ["hotmail-com.olc.protection.outlook.com"],
  remoteIps: 4,
});

export interface MtaValues {
  useMomentum: boolean;
  relayAddress: string | null;
  statServerTLSSupport: boolean;
  maxSpareServers: number;
  maxAgeSec: number;
  maxWaitingMessages: number;
  maxWorkingSetMb: number;
  enableTLS: boolean;
  maxSessionsPerChild: number;
  initialDelaySec: number;
}

const MTA_DEFAULTS: MtaValues = {
  useMomentum: false,
  relayAddress: null,
  statServerTLSSupport: true,
  maxSpareServers: 2,
  maxAgeSec: 600,
  maxWaitingMessages: 2000,
  maxWorkingSetMb: 128,
  enableTLS: true,
  maxSessionsPerChild: 1000,
  initialDelaySec: 4,
};

/** Line in serverConf.xml where an explicitly written MTA setting sits. */
export const MTA_LINES: Record<keyof MtaValues, number> = {
  useMomentum: 3,
  relayAddress: 4,
  statServerTLSSupport: 3,
  maxSpareServers: 5,
  maxAgeSec: 7,
  maxWaitingMessages: 7,
  maxWorkingSetMb: 7,
  enableTLS: 9,
  maxSessionsPerChild: 9,
  initialDelaySec: 9,
};

export interface ModelSpec {
  rules?: RuleSpec[];
  affinities?: AffinitySpec[];
  deliveries?: DeliverySpec[];
  providers?: Provider[];
  /** Settings written in serverConf.xml (they get a position); the rest take the builder defaults. */
  mta?: Partial<MtaValues>;
}

export const ONE_IP: AffinitySpec[] = [{ names: ["default"], ips: [{ address: "10.0.0.1", publicId: 1 }] }];

export function buildModel(spec: ModelSpec): InstanceModel {
  const values = { ...MTA_DEFAULTS, ...spec.mta };
  const setting = <K extends keyof MtaValues>(key: K): Setting<MtaValues[K]> =>
    spec.mta && key in spec.mta
      ? { value: values[key], origin: "serverConf", pos: { file: SERVER_CONF, line: MTA_LINES[key], column: 10 } }
      : { value: values[key], origin: "default" };
  const { deliveries } = makeDeliveries(spec.deliveries ?? []);
  return {
    name: "prod",
    paths: {
      name: "prod",
      serverConf: SERVER_CONF,
      instanceConf: null,
      mxRules: RULES_FILE,
      traffic: TRAFFIC_FILE,
      providers: null,
      explicit: { instanceConf: false, providers: false },
    },
    serverConf: {
      files: [SERVER_CONF],
      mta: {
        useMomentum: setting("useMomentum"),
        relayAddress: setting("relayAddress"),
        statServerTLSSupport: setting("statServerTLSSupport"),
        maxSpareServers: setting("maxSpareServers"),
        maxAgeSec: setting("maxAgeSec"),
        maxWaitingMessages: setting("maxWaitingMessages"),
        maxWorkingSetMb: setting("maxWorkingSetMb"),
        enableTLS: setting("enableTLS"),
        maxSessionsPerChild: setting("maxSessionsPerChild"),
        initialDelaySec: setting("initialDelaySec"),
      },
      affinities: (spec.affinities ?? ONE_IP).map(makeAffinity),
    },
    mxRules: { file: RULES_FILE, rules: (spec.rules ?? []).map(makeRule) },
    traffic: { file: TRAFFIC_FILE, deliveries },
    providers: { providers: spec.providers ?? [GOOGLE, YAHOO, MICROSOFT] },
  };
}
