/**
 * Structure-aware generators: documents that are valid for each format (so mutations start from
 * something the parser accepts, and the simulation gets real models). Values range over the edges
 * the parsers allow: huge counts, tiny capacities, zero ages, all-`*` masks, many IPs.
 */
import fc from "fast-check";

// ---------------------------------------------------------------------------------------------
// Shared pieces

const LABELS = ["mx", "mx1", "mx2", "mail", "smtp", "in", "gmail-smtp-in", "l", "google", "yahoodns", "am0", "outlook", "x_y", "a-b"];
const TLDS = ["com", "net", "fr", "de", "example", "io"];

export const hostArb = fc
  .tuple(fc.array(fc.constantFrom(...LABELS), { minLength: 1, maxLength: 3 }), fc.constantFrom(...TLDS))
  .map(([labels, tld]) => [...labels, tld].join("."));

export const KNOWN_DOMAINS = [
  "gmail.com",
  "googlemail.com",
  "yahoo.com",
  "aol.com",
  "hotmail.com",
  "outlook.com",
  "icloud.com",
  "orange.fr",
  "laposte.net",
  "free.fr",
  "gmx.net",
  "web.de",
  "comcast.net",
];

export const domainArb = fc.oneof(fc.constantFrom(...KNOWN_DOMAINS), hostArb);

export const maskArb = fc.oneof(
  fc.constantFrom(
    "*",
    "**",
    "*.google.com",
    "mx-aol.*",
    "*.yahoodns.net",
    "*.olc.protection.outlook.com",
    "mx?.free.fr",
    "*.orange.fr",
    "?*",
    "*a*a*a*a*a*a*a*a*a*a*b",
    "gmail-smtp-in.l.google.com",
  ),
  hostArb,
  fc.tuple(fc.constantFrom("*", "?", ""), hostArb, fc.constantFrom("", "*", "?")).map(([a, h, b]) => `${a}${h}${b}`),
);

/** A count as the files write it: plain, quoted, or with thousands separators. */
function countText(n: number, style: number): string {
  if (style === 0) return String(n);
  if (style === 1) return `"${n}"`;
  return `"${n.toLocaleString("en-US")}"`;
}

const durationArb = (minSec: number, maxSec: number) =>
  fc.integer({ min: minSec, max: maxSec }).map((s) => {
    const d = Math.floor(s / 86400);
    const h = Math.floor((s % 86400) / 3600);
    const m = Math.floor((s % 3600) / 60);
    const sec = s % 60;
    return [d ? `${d}d` : "", h ? `${h}h` : "", m ? `${m}m` : "", sec ? `${sec}s` : ""].join("") || "0s";
  });

const quote = (s: string) => JSON.stringify(s);

// ---------------------------------------------------------------------------------------------
// serverConf.xml and config-<instance>.xml

export interface IpSpec {
  address: string;
  publicId: number;
  weight?: number;
  heloHost?: string;
  include?: string[];
  exclude?: string[];
}

export interface AffinitySpec {
  name: string;
  localDomain?: string;
  ips: IpSpec[];
}

export interface ServerConfSpec {
  root: "serverConf" | "serverconf";
  useMomentum?: boolean;
  relay?: string;
  statServerTLSSupport?: boolean;
  maxSpareServers?: number;
  maxAgeSec?: number;
  maxWaitingMessages?: number;
  enableTLS?: boolean;
  maxSessionsPerChild?: number;
  initialDelaySec?: number;
  disabled: boolean;
  affinities: AffinitySpec[];
  crlf: boolean;
  bom: boolean;
  declaration: boolean;
  comments: boolean;
}

const ipArb = (n: number) =>
  fc.record(
    {
      address: fc.constant(`192.0.2.${n}`),
      publicId: fc.integer({ min: 0, max: 12 }),
      weight: fc.integer({ min: 0, max: 10 }),
      heloHost: hostArb,
      include: fc.array(fc.oneof(maskArb, domainArb), { minLength: 1, maxLength: 3 }),
      exclude: fc.array(fc.oneof(maskArb, domainArb), { minLength: 1, maxLength: 3 }),
    },
    { requiredKeys: ["address", "publicId"] },
  );

const AFFINITY_NAMES = ["default", "marketing", "transactional", "default;marketing", "bulk", "a;b;c", " spaced ; names "];

export const serverConfSpecArb: fc.Arbitrary<ServerConfSpec> = fc
  .record(
    {
      root: fc.constantFrom("serverConf" as const, "serverconf" as const),
      useMomentum: fc.boolean(),
      relay: fc.oneof(fc.constant(""), hostArb),
      statServerTLSSupport: fc.boolean(),
      maxSpareServers: fc.integer({ min: 1, max: 40 }),
      maxAgeSec: fc.integer({ min: 0, max: 7200 }),
      maxWaitingMessages: fc.integer({ min: 1, max: 1_000_000 }),
      enableTLS: fc.boolean(),
      maxSessionsPerChild: fc.integer({ min: 1, max: 100_000 }),
      initialDelaySec: fc.integer({ min: 0, max: 600 }),
      disabled: fc.boolean(),
      affinities: fc.uniqueArray(fc.constantFrom(...AFFINITY_NAMES), { maxLength: 4 }).chain((names) =>
        fc.tuple(
          ...names.map((name, k) =>
            fc.record(
              {
                name: fc.constant(name),
                localDomain: hostArb,
                ips: fc
                  .integer({ min: 0, max: 5 })
                  .chain((count) => fc.tuple(...Array.from({ length: count }, (_, i) => ipArb(k * 10 + i + 1)))),
              },
              { requiredKeys: ["name", "ips"] },
            ),
          ),
        ),
      ),
      crlf: fc.boolean(),
      bom: fc.boolean(),
      declaration: fc.boolean(),
      comments: fc.boolean(),
    },
    { requiredKeys: ["root", "disabled", "affinities", "crlf", "bom", "declaration", "comments"] },
  )
  .map((spec) => spec as ServerConfSpec);

const attr = (name: string, value: unknown, disabled = false) =>
  value === undefined
    ? ""
    : ` ${disabled ? "_" : ""}${name}="${String(value).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;")}"`;

export function serverConfXml(spec: ServerConfSpec): string {
  const nl = spec.crlf ? "\r\n" : "\n";
  const lines: string[] = [];
  if (spec.declaration) lines.push(`<?xml version="1.0" encoding="UTF-8"?>`);
  if (spec.comments) lines.push("<!-- generated by the fuzzer: <mta> & friends -->");
  lines.push(`<${spec.root}>`);
  lines.push(
    `  <mta${attr("useMomentum", spec.useMomentum)}${attr("statServerTLSSupport", spec.statServerTLSSupport)}${attr("autoStart", true, spec.disabled)}>`,
  );
  if (spec.relay !== undefined) lines.push(`    <relay${attr("address", spec.relay)}/>`);
  lines.push(`    <master${attr("maxSpareServers", spec.maxSpareServers)}/>`);
  lines.push(`    <child${attr("maxAgeSec", spec.maxAgeSec)}${attr("maxWaitingMessages", spec.maxWaitingMessages)}>`);
  lines.push(
    `      <smtp${attr("enableTLS", spec.enableTLS)}${attr("maxSessionsPerChild", spec.maxSessionsPerChild)}${attr("initialDelaySec", spec.initialDelaySec)}${attr("enableTLS", "garbage", true)}>`,
  );
  for (const a of spec.affinities) {
    lines.push(`        <IPAffinity${attr("name", a.name)}${attr("localDomain", a.localDomain)}>`);
    if (spec.comments) lines.push("          <!-- IPs -->");
    for (const ip of a.ips) {
      lines.push(
        `          <IP${attr("address", ip.address)}${attr("publicId", ip.publicId)}${attr("weight", ip.weight)}${attr("heloHost", ip.heloHost)}` +
          `${attr("includeDomains", ip.include?.join(","))}${attr("excludeDomains", ip.exclude?.join(", "))}/>`,
      );
    }
    lines.push("        </IPAffinity>");
  }
  lines.push("      </smtp>", "    </child>", "  </mta>", `</${spec.root}>`, "");
  return (spec.bom ? "\uFEFF" : "") + lines.join(nl);
}

export const serverConfArb = serverConfSpecArb.map(serverConfXml);

/** An instance file overriding a few settings and IPs of the same affinities. */
export const instanceConfArb = serverConfSpecArb.map((spec) =>
  serverConfXml({
    ...spec,
    useMomentum: undefined,
    relay: undefined,
    affinities: spec.affinities.slice(0, 2).map((a) => ({ ...a, ips: a.ips.slice(0, 2) })),
  }),
);

// ---------------------------------------------------------------------------------------------
// mx-rules.yaml / .json

export interface RuleSpec {
  mask: string;
  range?: string | number;
  shared?: boolean;
  maxConnections: number;
  maxMessagesPerConnection?: number;
  messagesPerHour: number;
  connectionTimeout?: string;
  timeoutData?: string;
  timeout?: string;
  tls?: string;
}

export const ruleArb: fc.Arbitrary<RuleSpec> = fc.record(
  {
    mask: maskArb,
    range: fc.oneof(
      fc.constant(""),
      fc.integer({ min: 0, max: 12 }),
      fc.integer({ min: 0, max: 6 }).map((a) => `${a}-${a + 3}`),
    ),
    shared: fc.boolean(),
    maxConnections: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constant(1_000_000_000)),
    maxMessagesPerConnection: fc.integer({ min: 1, max: 1000 }),
    messagesPerHour: fc.oneof(fc.integer({ min: 1, max: 200_000 }), fc.constantFrom(1, 11, 12, 9_007_199_254_740_991)),
    connectionTimeout: durationArb(1, 600),
    timeoutData: durationArb(1, 3600),
    timeout: durationArb(1, 3600),
    tls: fc.constantFrom("default", "disabled", "opportunistic", "Opportunistic"),
  },
  { requiredKeys: ["mask", "maxConnections", "messagesPerHour"] },
);

export function rulesYaml(rules: RuleSpec[], style: number): string {
  if (rules.length === 0) return "rules: []\n";
  const value = (k: string, v: unknown, i: number) =>
    typeof v === "number" && (k === "maxConnections" || k === "messagesPerHour" || k === "maxMessagesPerConnection")
      ? countText(v, (i + style) % 3)
      : quote(String(v));
  const items = rules.map((r, i) => {
    const entries = Object.entries(r)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, k === "shared" ? String(v) : value(k, v, i)] as const);
    if ((style + i) % 2 === 0) return `  - { ${entries.map(([k, v]) => `${k}: ${v}`).join(", ")} }`;
    return entries.map(([k, v], j) => `${j === 0 ? "  - " : "    "}${k}: ${v}${j === 0 ? "   # rule" : ""}`).join("\n");
  });
  return `# generated rules\nrules:\n${items.join("\n\n")}\n`;
}

export const rulesYamlArb = fc.tuple(fc.array(ruleArb, { maxLength: 12 }), fc.nat(5)).map(([rules, style]) => rulesYaml(rules, style));
export const rulesJsonArb = fc
  .tuple(fc.array(ruleArb, { maxLength: 12 }), fc.boolean())
  .map(([rules, pretty]) => JSON.stringify({ rules }, null, pretty ? 2 : undefined));

// ---------------------------------------------------------------------------------------------
// traffic.yaml

export interface DeliverySpec {
  name: string;
  start: string;
  recipients: number;
  affinity?: string;
  domains: [string, string][];
  deadline?: string;
  validity?: string;
  retryPeriod?: string;
  retries?: number;
}

const startArb = fc.tuple(fc.integer({ min: 0, max: 20 * 24 }), fc.constantFrom("Z", "+01:00", "-05:30", "z")).map(([hours, zone]) => {
  const iso = new Date(Date.UTC(2026, 10, 20) + hours * 3600_000).toISOString().slice(0, 19);
  return `${iso}${zone}`;
});

/** Domain volumes that fit: shares summing to at most 100 %, and counts within what the shares leave. */
const domainsArb = (recipients: number) =>
  fc.uniqueArray(domainArb, { maxLength: 6 }).chain((domains) =>
    fc.tuple(...domains.map(() => fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 1000 })))).map((picks) => {
      const out: [string, string][] = [];
      let shareLeft = 100;
      let countLeft = Math.floor(recipients / 2);
      picks.forEach(([isShare, n], i) => {
        if (isShare && shareLeft >= 1) {
          const pct = Math.max(1, Math.floor((shareLeft * n) / 2000));
          shareLeft -= pct;
          out.push([domains[i]!, i % 2 === 0 ? `"${pct}%"` : String(pct / 100)]);
        } else if (countLeft >= 1) {
          const c = Math.max(1, Math.floor((countLeft * n) / 4000));
          countLeft -= c;
          out.push([domains[i]!, String(c)]);
        }
      });
      // Counts are taken from the half the shares cannot reach, so the total stays within recipients.
      return shareLeft < 50 ? out.filter(([, v]) => v.includes("%") || v.includes(".")) : out;
    }),
  );

export const deliveryArb = (index: number): fc.Arbitrary<DeliverySpec> =>
  fc.oneof(fc.integer({ min: 1, max: 5_000_000 }), fc.constantFrom(1, 7, 1_000_000_000_000)).chain((recipients) =>
    fc.record(
      {
        name: fc.constant(`Delivery ${index}: "quoted" & é`),
        start: startArb,
        recipients: fc.constant(recipients),
        affinity: fc.constantFrom("default", "marketing", "transactional", "missing", "bulk"),
        domains: domainsArb(recipients),
        deadline: durationArb(60, 5 * 86400),
        validity: durationArb(300, 30 * 86400),
        retryPeriod: durationArb(60, 86400),
        retries: fc.integer({ min: 0, max: 1000 }),
      },
      { requiredKeys: ["name", "start", "recipients", "domains"] },
    ),
  );

export function trafficYaml(deliveries: DeliverySpec[]): string {
  const items = deliveries.map((d) => {
    const lines = [`  - name: ${quote(d.name)}`, `    start: ${d.start}`, `    recipients: ${countText(d.recipients, d.recipients % 3)}`];
    if (d.affinity !== undefined) lines.push(`    affinity: ${d.affinity}`);
    if (d.domains.length > 0) lines.push("    domains:", ...d.domains.map(([k, v]) => `      ${k}: ${v}`));
    for (const key of ["deadline", "validity", "retryPeriod", "retries"] as const)
      if (d[key] !== undefined) lines.push(`    ${key}: ${d[key]}`);
    return lines.join("\n");
  });
  return `deliveries:\n${items.join("\n\n")}\n`;
}

export const trafficArb = fc
  .integer({ min: 0, max: 4 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => deliveryArb(i))))
  .map((ds) => (ds.length === 0 ? "deliveries: []\n" : trafficYaml(ds)));

// ---------------------------------------------------------------------------------------------
// providers.yaml

const BUILTIN_PROVIDERS = ["google", "yahoo", "aol", "microsoft", "apple", "gmx", "webde", "orange", "laposte", "free", "comcast", "att"];

export const providersArb = fc
  .tuple(
    fc.uniqueArray(fc.constantFrom(...BUILTIN_PROVIDERS), { maxLength: 3 }),
    fc.integer({ min: 0, max: 3 }),
    fc.record({
      remoteIps: fc.integer({ min: 1, max: 100_000 }),
      requiresTls: fc.boolean(),
      acceptance: fc.double({ min: 0.001, max: 1, noNaN: true }),
      secondsPerMessage: fc.double({ min: 0.001, max: 3600, noNaN: true }),
      connectSeconds: fc.double({ min: 0, max: 3600, noNaN: true }),
    }),
  )
  .map(([builtins, added, v]) => {
    const lines = ["providers:"];
    for (const name of builtins) lines.push(`  ${name}:`, `    remoteIps: ${v.remoteIps}`, `    requiresTls: ${v.requiresTls}`);
    for (let i = 0; i < added; i++) {
      lines.push(
        `  acme-${i}:`,
        `    domains: [acme${i}.example, "Mail${i}.Example"]`,
        `    mx: [mx1.acme${i}.example, mx2.acme${i}.example]`,
        `    acceptance: ${v.acceptance}`,
        `    secondsPerMessage: ${v.secondsPerMessage}`,
        `    connectSeconds: ${v.connectSeconds}`,
      );
    }
    return lines.length === 1 ? "providers: {}\n" : `${lines.join("\n")}\n`;
  });

// ---------------------------------------------------------------------------------------------
// .github/mx-guard.yml

const FAIL_ON = [
  "config-error",
  "delivery-expiry",
  "deadline-miss",
  "quota-deferral",
  "tls-required",
  "no-path",
  "affinity-missing",
  "no-rule",
];

export const policyArb = fc
  .record({
    instances: fc.uniqueArray(fc.constantFrom("prod", "mkt", "mid", "default", "a.b_c-d"), { maxLength: 3 }),
    failOn: fc.subarray(FAIL_ON),
    comment: fc.constantFrom("update", "new", "hide-and-new", "delete-and-new", "off", "Update"),
    review: fc.boolean(),
    paths: fc.boolean(),
    falsy: fc.boolean(),
  })
  .map((p) => {
    const lines: string[] = [];
    if (p.instances.length > 0) {
      lines.push("instances:");
      for (const name of p.instances) {
        lines.push(`  - name: ${name}`);
        if (p.paths) lines.push(`    serverConf: ./campaign/${name}/serverConf.xml`, `    mxRules: campaign/${name}/mx-rules.yaml`);
        if (p.falsy) lines.push("    providers: false", "    instanceConf: null");
      }
    }
    lines.push(`failOn: [${p.failOn.join(", ")}]`, `comment: ${p.comment}`, `review: ${p.review}`);
    return `${lines.join("\n")}\n`;
  });
