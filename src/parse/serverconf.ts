/**
 * serverConf.xml + config-<instance>.xml → ServerConf (docs/model.md#serverconf-defaults).
 * The instance file wins attribute by attribute on the same element path; IPAffinity elements merge
 * by name and their IP children by address (an assumption: Adobe does not document list merging).
 * Attributes whose name starts with `_` are disabled in Campaign; since lookups are by exact name,
 * `_enableTLS` is simply never read. Other attributes are checked against the known names
 * (serverconf-attributes.ts): a known name in the wrong case is a warning (its default applies), any
 * other unknown name a notice; known attributes that are not simulated are listed once as an assumption.
 */
import { quote } from "../model/excerpt.js";
import { capPerFile, describeFound, fail, MAX_ISSUES_PER_FILE, ok, type ConfigIssue, type Result } from "../model/errors.js";
import type { AffinityIp, IpAffinity, MtaSettings, ServerConf } from "../model/config.js";
import type { Setting, SettingOrigin, SourcePos } from "../model/source.js";
import { formatLimit, LIMITS } from "./limits.js";
import { issueAt } from "./xml/issue.js";
import { readXml } from "./xml/reader.js";
import { booleanValue, domainList, integerValue, optionalText, type Typed } from "./xml/typed-values.js";
import { KNOWN_ATTRIBUTES, knownNames, SIMULATED_DEFAULTS, type ElementKind } from "./serverconf-attributes.js";
import { didYouMean } from "../schema/suggest.js";
import type { XmlAttribute, XmlElement } from "./xml/types.js";

export interface ConfFile {
  file: string;
  text: string;
}

const ROOT_NAMES = ["serverconf", "serverConf"];

const SECTIONS = {
  mta: ["mta"],
  relay: ["mta", "relay"],
  master: ["mta", "master"],
  child: ["mta", "child"],
  smtp: ["mta", "child", "smtp"],
} as const;
type Section = keyof typeof SECTIONS;

interface Layer {
  origin: Exclude<SettingOrigin, "default">;
  file: string;
  /** Elements at each section path, in document order (normally one or none). */
  sections: Record<Section, XmlElement[]>;
}

/** Parses and merges the two files; the instance file is optional. */
export function parseServerConf(base: ConfFile, instance?: ConfFile | null): Result<ServerConf> {
  const errors: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const layers: Layer[] = [];
  const sources: [ConfFile, Layer["origin"]][] = [[base, "serverConf"]];
  if (instance) sources.push([instance, "instance"]);
  for (const [source, origin] of sources) {
    const layer = readLayer(source, origin);
    if (layer.ok) layers.push(layer.value);
    else errors.push(...layer.errors);
  }
  const files = sources.map(([source]) => source.file);
  if (errors.length > 0) return fail(errors);

  for (const layer of layers) warnRepeatedSections(layer, warnings);
  for (const layer of layers) checkAttributeNames(layer, warnings);
  const mta = readMtaSettings(layers, errors);
  const assumptions: string[] = [];
  const affinities = readAffinities(layers, errors, warnings, assumptions);
  const unsimulated = notSimulated(layers);
  if (unsimulated) assumptions.push(unsimulated);
  const inOrder = (a: ConfigIssue, b: ConfigIssue) =>
    files.indexOf(a.file) - files.indexOf(b.file) || a.line - b.line || a.column - b.column;
  errors.sort(inOrder);
  warnings.sort(inOrder);
  return errors.length > 0 ? fail(errors, warnings) : ok({ files, mta, affinities, assumptions }, capPerFile(warnings));
}

function readLayer(source: ConfFile, origin: Layer["origin"]): Result<Layer> {
  const xml = readXml(source.file, source.text);
  if (!xml.ok) return fail(xml.errors);
  const root = xml.value;
  if (!ROOT_NAMES.includes(root.name)) {
    const message = `the root element must be <serverConf> (or <serverconf>), not <${root.name}>`;
    return fail([issueAt(root.pos, `<${root.name}>`, "<serverConf> or <serverconf>", message)]);
  }
  const sections = {} as Record<Section, XmlElement[]>;
  for (const [section, path] of Object.entries(SECTIONS) as [Section, readonly string[]][]) {
    sections[section] = path.reduce<XmlElement[]>(
      (found, name) => found.flatMap((element) => element.children.filter((c) => c.name === name)),
      [root],
    );
  }
  return ok({ origin, file: source.file, sections });
}

function warnRepeatedSections(layer: Layer, warnings: ConfigIssue[]): void {
  for (const [section, elements] of Object.entries(layer.sections) as [Section, XmlElement[]][]) {
    const [, second] = elements;
    if (!second) continue;
    const path = SECTIONS[section].join("/");
    const message = `${path} appears ${elements.length} times in this file; their attributes are merged and the later element wins`;
    warnings.push(issueAt(second.pos, `${elements.length} <${second.name}> elements`, `one ${path} element`, message));
  }
}

// ---------------------------------------------------------------------------------------------
// Single-valued settings

function readMtaSettings(layers: Layer[], errors: ConfigIssue[]): MtaSettings {
  const bool = (section: Section, name: string, fallback: boolean) =>
    setting(layers, section, name, fallback, errors, (attr) => booleanValue(name, attr));
  const count = (section: Section, name: string, fallback: number, min: number, max?: number) =>
    setting(layers, section, name, fallback, errors, (attr) => integerValue(name, attr, min, undefined, max));
  return {
    useMomentum: bool("mta", "useMomentum", false),
    relayAddress: setting<string | null>(layers, "relay", "address", null, errors, (attr) => ({
      ok: true,
      value: optionalText(attr),
    })),
    statServerTLSSupport: bool("mta", "statServerTLSSupport", true),
    maxSpareServers: count("master", "maxSpareServers", 2, 1),
    maxAgeSec: count("child", "maxAgeSec", 600, 0, LIMITS.maxAgeSec),
    maxWaitingMessages: count("child", "maxWaitingMessages", 2000, 1),
    maxWorkingSetMb: count("child", "maxWorkingSetMb", 128, 1),
    enableTLS: bool("smtp", "enableTLS", false),
    maxSessionsPerChild: count("smtp", "maxSessionsPerChild", 1000, 1),
    initialDelaySec: count("smtp", "initialDelaySec", 4, 0),
  };
}

/** The value of the winning attribute (instance file first, later elements before earlier ones). */
function setting<T>(
  layers: Layer[],
  section: Section,
  name: string,
  fallback: T,
  errors: ConfigIssue[],
  read: (attr: XmlAttribute) => Typed<T>,
): Setting<T> {
  for (const layer of [...layers].reverse()) {
    for (const element of [...layer.sections[section]].reverse()) {
      const attr = element.attrs.get(name);
      if (!attr) continue;
      const typed = read(attr);
      if (typed.ok) return { value: typed.value, origin: layer.origin, pos: attr.pos };
      errors.push(typed.issue);
      return { value: fallback, origin: "default" };
    }
  }
  return { value: fallback, origin: "default" };
}

// ---------------------------------------------------------------------------------------------
// IPAffinity and IP

/** Key of the IP elements written directly under mta/child/smtp; cannot clash with a name (no NUL in XML). */
const DIRECT_IPS = "\u0000direct";

const IP_ATTRIBUTES = ["address", "publicId", "weight", "heloHost", "includeDomains", "excludeDomains"];

interface IpDraft {
  address: string;
  /** Index of the layer that wrote this IP last, to tell a merge from a duplicate. */
  layer: number;
  pos: SourcePos;
  /** The winning attribute of each name. */
  attrs: Map<string, XmlAttribute>;
}

interface AffinityDraft {
  names: string[];
  label: string;
  pos: SourcePos;
  localDomain: XmlAttribute | undefined;
  ips: Map<string, IpDraft>;
}

/** Counts over both files, so limits hold after the merge; each limit is reported once, where it is first exceeded. */
interface Caps {
  ips: number;
  reported: Set<string>;
}

function capIssue(caps: Caps, what: "affinities" | "ips", pos: SourcePos, errors: ConfigIssue[]): void {
  if (caps.reported.has(what)) return;
  caps.reported.add(what);
  const limit = LIMITS[what];
  const items = what === "ips" ? "IP elements" : "IPAffinity elements";
  errors.push(
    issueAt(
      pos,
      `more than ${formatLimit(limit)} ${items}`,
      `at most ${formatLimit(limit)} ${items}`,
      `too many ${items}: mx-guard accepts at most ${formatLimit(limit)} (after merging the instance file)`,
    ),
  );
}

function readAffinities(layers: Layer[], errors: ConfigIssue[], warnings: ConfigIssue[], assumptions: string[]): IpAffinity[] {
  const drafts = new Map<string, AffinityDraft>();
  const caps: Caps = { ips: 0, reported: new Set() };
  const draftFor = (key: string, names: string[], label: string, pos: SourcePos): AffinityDraft | null => {
    let draft = drafts.get(key);
    if (!draft) {
      if (drafts.size >= LIMITS.affinities) {
        capIssue(caps, "affinities", pos, errors);
        return null;
      }
      draft = { names, label, pos, localDomain: undefined, ips: new Map() };
      drafts.set(key, draft);
    }
    return draft;
  };
  layers.forEach((layer, index) => {
    const seen = new Map<string, SourcePos>();
    let directSeen = false;
    for (const child of layer.sections.smtp.flatMap((smtp) => smtp.children)) {
      if (child.name === "IPAffinity") {
        const names = (child.attrs.get("name")?.value ?? "")
          .split(";")
          .map((n) => n.trim())
          .filter((n) => n !== "");
        if (names.length > LIMITS.affinityNames) {
          const attr = child.attrs.get("name")!;
          const limit = formatLimit(LIMITS.affinityNames);
          errors.push(
            issueAt(
              attr.valuePos,
              `${formatLimit(names.length)} names`,
              `at most ${limit} names`,
              `IPAffinity@name lists ${formatLimit(names.length)} names; mx-guard accepts at most ${limit}`,
            ),
          );
          continue;
        }
        const key = names.join(";");
        const label = names.length > 0 ? `IPAffinity ${quote(key)}` : "the IPAffinity without a name";
        const draft = draftFor(key, names, label, child.pos);
        if (!draft) continue;
        const first = seen.get(key);
        if (first) warnings.push(repeatedAffinity(child, label, first));
        else seen.set(key, child.pos);
        draft.pos = child.pos;
        draft.localDomain = child.attrs.get("localDomain") ?? draft.localDomain;
        for (const ip of child.children) if (ip.name === "IP") mergeIp(draft, ip, index, errors, caps);
      } else if (child.name === "IP") {
        const draft = draftFor(DIRECT_IPS, [], "the IP elements under mta/child/smtp", child.pos);
        if (!draft) continue;
        if (!directSeen) {
          directSeen = true;
          draft.pos = child.pos;
          warnings.push(directIpWarning(child));
        }
        mergeIp(draft, child, index, errors, caps);
      }
    }
  });
  const byAddress: AddressKeys = { ids: new Map(), assumptions };
  return [...drafts.values()].map((draft) => finishAffinity(draft, errors, warnings, byAddress));
}

/**
 * Buckets of IPs without publicId, keyed by their address: Adobe's reference says publicId "must be
 * numeric" but not that it is required, and does not say what the MTA does without it. Each address
 * gets its own negative id, so it can never share a bucket with a real publicId, and an MX rule with
 * a publicId range never applies to it.
 */
interface AddressKeys {
  ids: Map<string, number>;
  assumptions: string[];
}

function addressKey(keys: AddressKeys, ip: IpDraft): number {
  let id = keys.ids.get(ip.address);
  if (id === undefined) {
    id = -(keys.ids.size + 1);
    keys.ids.set(ip.address, id);
    keys.assumptions.push(
      `IP ${ip.address} (${ip.pos.file}:${ip.pos.line}) has no publicId: its quota buckets are keyed by its address (shown as publicId ${id}), and MX rules with a publicId range do not apply to it.`,
    );
  }
  return id;
}

function mergeIp(draft: AffinityDraft, element: XmlElement, layer: number, errors: ConfigIssue[], caps: Caps): void {
  const attr = element.attrs.get("address");
  const address = attr?.value.trim() ?? "";
  if (!attr || address === "") {
    const found = attr ? '""' : "<IP> without address";
    errors.push(issueAt(attr?.valuePos ?? element.pos, found, 'an address such as "192.168.0.1"', "IP element needs an address"));
    return;
  }
  const earlier = draft.ips.get(address);
  if (!earlier) {
    if (caps.ips >= LIMITS.ips) {
      capIssue(caps, "ips", element.pos, errors);
      return;
    }
    caps.ips++;
    draft.ips.set(address, { address, layer, pos: element.pos, attrs: new Map(element.attrs) });
    return;
  }
  if (earlier.layer === layer) {
    const message = `IP address ${address} appears twice in ${draft.label} (first at line ${earlier.pos.line}, column ${earlier.pos.column})`;
    errors.push(issueAt(attr.valuePos, JSON.stringify(address), "each address once per IPAffinity", message));
    return;
  }
  earlier.layer = layer;
  earlier.pos = element.pos;
  for (const [name, value] of element.attrs) earlier.attrs.set(name, value);
}

function finishAffinity(draft: AffinityDraft, errors: ConfigIssue[], warnings: ConfigIssue[], keys: AddressKeys): IpAffinity {
  if (draft.ips.size === 0) {
    const message = `${draft.label} has no IP element: a delivery that selects it cannot send`;
    warnings.push(issueAt(draft.pos, "no <IP>", "at least one <IP> element", message));
  }
  const ips = [...draft.ips.values()].flatMap((ip) => finishIp(ip, errors, warnings, keys) ?? []);
  return { names: draft.names, localDomain: optionalText(draft.localDomain), pos: draft.pos, ips };
}

function finishIp(ip: IpDraft, errors: ConfigIssue[], warnings: ConfigIssue[], keys: AddressKeys): AffinityIp | null {
  const publicIdAttr = ip.attrs.get("publicId");
  let publicId: Typed<number>;
  if (publicIdAttr) publicId = integerValue("publicId", publicIdAttr, 0, "publicId must be numeric");
  else {
    const misspelt = [...ip.attrs.keys()].find((k) => k !== "publicId" && k.toLowerCase() === "publicid");
    const message = misspelt
      ? `IP ${ip.address} has ${misspelt}, not publicId: Campaign reads attribute names exactly as written, so the IP has no publicId and mx-guard keys its quota buckets by its address`
      : `IP ${ip.address} has no publicId: mx-guard keys its quota buckets by its address (Adobe requires publicId only when several MTAs share a public IP behind NAT)`;
    const at = misspelt ? ip.attrs.get(misspelt)!.pos : ip.pos;
    warnings.push({
      ...issueAt(at, misspelt ?? "no publicId", 'a numeric publicId such as publicId="1"', message),
      ...(misspelt ? { hint: "rename it to publicId" } : {}),
    });
    publicId = { ok: true, value: addressKey(keys, ip) };
  }
  const weightAttr = ip.attrs.get("weight");
  const weight: Typed<number> = weightAttr ? integerValue("weight", weightAttr, 0) : { ok: true, value: 1 };
  if (!publicId.ok) errors.push(publicId.issue);
  if (!weight.ok) errors.push(weight.issue);
  if (!publicId.ok || !weight.ok) return null;

  const include = ip.attrs.get("includeDomains");
  const includeList = include ? domainList(include) : [];
  const exclude = ip.attrs.get("excludeDomains");
  const excludeList = exclude ? domainList(exclude) : [];
  const listIssues = [
    separatorIssue("includeDomains", include),
    separatorIssue("excludeDomains", exclude),
    maskListIssue(include, includeList),
    maskListIssue(exclude, excludeList),
  ].filter((i): i is ConfigIssue => i !== null);
  if (listIssues.length > 0) {
    errors.push(...listIssues);
    return null;
  }
  const attrPos: Record<string, SourcePos> = {};
  for (const name of IP_ATTRIBUTES) {
    const attr = ip.attrs.get(name);
    if (attr) attrPos[name] = attr.pos;
  }
  return {
    address: ip.address,
    publicId: publicId.value,
    weight: weight.value,
    heloHost: optionalText(ip.attrs.get("heloHost")),
    // An empty includeDomains="" is read as unset (all domains), like other empty Campaign attributes.
    includeDomains: includeList.length > 0 ? includeList : null,
    excludeDomains: excludeList,
    pos: ip.pos,
    attrPos,
  };
}

/**
 * Adobe documents a comma list (includeDomains="wanadoo.com,orange.com,yahoo.*"). A ';' would make
 * one mask "gmail.com;googlemail.com" that matches no domain, silently taking the IP away from both.
 */
function separatorIssue(name: string, attr: XmlAttribute | undefined): ConfigIssue | null {
  if (!attr) return null;
  const semicolon = attr.value.indexOf(";");
  const space = /[^\s,]\s+[^\s,]/.exec(attr.value);
  const where = semicolon >= 0 ? semicolon : space ? space.index + 1 : -1;
  if (where < 0) return null;
  // Columns follow the value on its first line (values are rarely split over lines).
  const pos = attr.value.slice(0, where).includes("\n") ? attr.valuePos : { ...attr.valuePos, column: attr.valuePos.column + where };
  const found = semicolon >= 0 ? '";"' : "domains separated by a space";
  const message = `${name} separates domain masks with commas, e.g. ${name}="gmail.com,googlemail.com"${semicolon >= 0 ? "; ';' is not a separator" : ""}`;
  return issueAt(pos, found, "a comma-separated list of domain masks", message);
}

/** includeDomains / excludeDomains: at most LIMITS.domainMasks masks of at most LIMITS.maskLength characters. */
function maskListIssue(attr: XmlAttribute | undefined, masks: string[]): ConfigIssue | null {
  if (!attr) return null;
  if (masks.length > LIMITS.domainMasks) {
    const limit = formatLimit(LIMITS.domainMasks);
    return issueAt(
      attr.valuePos,
      `${formatLimit(masks.length)} masks`,
      `at most ${limit} masks`,
      `this list has ${formatLimit(masks.length)} domain masks; mx-guard accepts at most ${limit}`,
    );
  }
  const long = masks.find((m) => m.length > LIMITS.maskLength);
  if (long === undefined) return null;
  return issueAt(
    attr.valuePos,
    `a mask of ${formatLimit(long.length)} characters`,
    `masks of at most ${LIMITS.maskLength} characters`,
    `a domain mask has at most ${LIMITS.maskLength} characters (the length of a host name)`,
  );
}

function repeatedAffinity(element: XmlElement, label: string, first: SourcePos): ConfigIssue {
  const message = `${label} is defined again in this file (first at line ${first.line}, column ${first.column}); the two are merged`;
  return issueAt(element.pos, `a second ${label}`, "one IPAffinity per name in a file", message);
}

function directIpWarning(element: XmlElement): ConfigIssue {
  const message =
    'IP written directly under mta/child/smtp (as in Adobe\'s heading "mta > child > smtp > IP", while its examples nest IP ' +
    "inside IPAffinity): assumed to form one affinity without a name, which deliveries use only when they name no affinity " +
    'and no affinity is called "default"';
  return issueAt(element.pos, "<IP> under <smtp>", '<IP> inside <IPAffinity name="…">', message);
}

// ---------------------------------------------------------------------------------------------
// Attribute names

/** Every element mx-guard reads in a layer, with its kind. */
function readElements(layer: Layer): [ElementKind, XmlElement][] {
  const out: [ElementKind, XmlElement][] = [];
  for (const section of ["mta", "relay", "master", "child", "smtp"] as const) {
    for (const element of layer.sections[section]) out.push([section, element]);
  }
  for (const child of layer.sections.smtp.flatMap((smtp) => smtp.children)) {
    if (child.name === "IPAffinity") {
      out.push(["IPAffinity", child]);
      for (const ip of child.children) if (ip.name === "IP") out.push(["IP", ip]);
    } else if (child.name === "IP") out.push(["IP", child]);
  }
  return out;
}

/**
 * Unknown attribute names. Campaign reads attributes by their exact name (an assumption, like any
 * XML reader), so `enableTls` leaves enableTLS at its default: that is a warning saying so.
 */
function checkAttributeNames(layer: Layer, warnings: ConfigIssue[]): void {
  let suggested = 0;
  for (const [kind, element] of readElements(layer)) {
    const known = knownNames(kind);
    for (const [name, attr] of element.attrs) {
      if (name.startsWith("_") || known.includes(name)) continue;
      const sameLetters = known.find((k) => k.toLowerCase() === name.toLowerCase());
      // publicID on an IP: the missing-publicId warning of finishIp names it (one warning per cause).
      if (kind === "IP" && sameLetters === "publicId") continue;
      if (sameLetters !== undefined) {
        const effect = KNOWN_ATTRIBUTES[kind].simulated.includes(sameLetters)
          ? `so ${sameLetters} is not set and ${kind === "IP" && sameLetters === "publicId" ? "the IP has no publicId" : SIMULATED_DEFAULTS[sameLetters] ? `its default (${SIMULATED_DEFAULTS[sameLetters]}) applies` : "it is unset"}`
          : `so ${sameLetters} is not set`;
        warnings.push({
          ...issueAt(
            attr.pos,
            name,
            sameLetters,
            `<${element.name}> has ${name}, not ${sameLetters}: Campaign reads attribute names exactly as written, ${effect}`,
          ),
          hint: `rename it to ${sameLetters}`,
        });
        continue;
      }
      // Names longer than any known one by far get no suggestion: the distance is quadratic in length.
      // Past the per-file cap the issues are only counted, so they need no suggestion either.
      const hint = name.length <= 64 && ++suggested <= MAX_ISSUES_PER_FILE ? didYouMean(name, known) : undefined;
      const shown = describeFound(name).replace(/^"|"$/g, "");
      warnings.push({
        ...issueAt(
          attr.pos,
          shown,
          `an attribute of <${element.name}> that mx-guard knows`,
          `<${element.name}> has an attribute mx-guard does not know, ${shown}: it is ignored`,
        ),
        finding: "unknown-attribute",
        ...(hint ? { hint } : {}),
      });
    }
  }
}

/** Known attributes that are written (non-empty) but not simulated, winning values only, as one sentence. */
function notSimulated(layers: Layer[]): string | null {
  const written = new Map<string, string>();
  for (const layer of layers) {
    for (const [kind, element] of readElements(layer)) {
      for (const name of KNOWN_ATTRIBUTES[kind].notSimulated) {
        const value = element.attrs.get(name)?.value.trim();
        if (value) written.set(`${kind}@${name}`, `${kind}@${name}="${value}"`);
      }
    }
  }
  if (written.size === 0) return null;
  return `Read, not simulated (no effect on the results): ${[...written.values()].join(", ")}.`;
}
