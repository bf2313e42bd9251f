/**
 * providers.yaml — additions and overrides to the built-in mailbox-provider catalog, docs/model.md#which-rule-applies.
 * The built-in catalog (src/catalog/providers.json) uses the same entry shape.
 */
import * as z from "zod";
import { schemaRef } from "./common.js";
import { HOST_PATTERN, checkHost } from "./hosts.js";
import { bool, count, decimal, list, text } from "./fields.js";

export const PROVIDER_NAME_PATTERN = "^[a-z0-9][a-z0-9_.-]*$";

const host = (description: string) =>
  text(description, { lower: true, pattern: HOST_PATTERN, expected: "a host name such as mx1.example.com", check: checkHost });

/** Bounds on timing assumptions: positive and below an hour, to keep the simulation finite. */
const SECONDS = { min: 0, max: 3600 };

export const providerEntrySchema = z
  .strictObject({
    domains: list(host("Recipient domain."), "Recipient domains served by this provider's MX hosts (they share quota).").optional(),
    mx: list(
      host("MX host name."),
      "MX host names in preference order (lowest preference first); MX rule masks are matched against these.",
    ).optional(),
    domainMx: z
      .record(
        z.string().meta({ description: "Recipient domain (one of domains).", pattern: HOST_PATTERN }),
        list(host("MX host name."), "This domain's MX hosts in preference order."),
      )
      .optional()
      .meta({
        description:
          "Domains whose own MX hosts differ from mx. Rules are matched on each domain's first MX host; domains that share MX hosts share quota (one site).",
      }),
    remoteIps: count("Distinct remote IPs across the MX set (paths = local publicIds × remoteIps).", { min: 1, max: 100_000 }).optional(),
    requiresTls: bool("The provider defers or rejects plaintext SMTP (Gmail: 421 4.7.29 / 550 5.7.29).").optional(),
    recommendsTls: bool(
      "The provider publishes TLS as recommended but not required: plaintext to it gets a tls-recommended notice, and the simulation still delivers.",
    ).optional(),
    tlsNote: text("How the provider answers plaintext, or where its TLS recommendation comes from; quoted in TLS findings.").optional(),
    acceptance: decimal("Share of connection attempts accepted, in (0, 1]; every attempt costs a messages-per-hour credit.", {
      min: 0,
      max: 1,
      exclusiveMin: true,
    }).optional(),
    secondsPerMessage: decimal("Seconds to transmit one message on an open connection (assumption).", {
      ...SECONDS,
      exclusiveMin: true,
    }).optional(),
    connectSeconds: decimal("Seconds to open an SMTP connection (assumption).", SECONDS).optional(),
    tlsHandshakeSeconds: decimal("Seconds for the STARTTLS handshake (assumption).", SECONDS).optional(),
    note: text("Where the data comes from and how sure it is; shown in reports.").optional(),
    verifiedOn: text("The date (YYYY-MM-DD) the MX hosts were last checked against their source or live DNS.", {
      pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
      expected: "a date such as 2026-12-01",
      check: (v) => (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)) ? null : `"${v}" is not a date (YYYY-MM-DD)`),
    }).optional(),
    source: text("Where the MX hosts come from (a document, a DNS lookup), with its confidence.").optional(),
  })
  .meta({ title: "Provider", description: "A mailbox provider: recipient domains sharing one MX host set (one quota site)." });

const providerName = z.string().meta({
  description:
    "Provider name (built-in names: google, yahoo, aol, microsoft, apple, gmx, gmx-com, webde, orange, laposte, free, comcast, att).",
  pattern: PROVIDER_NAME_PATTERN,
});

export const providersFileSchema = z
  .strictObject({
    $schema: schemaRef,
    providers: z
      .record(providerName, providerEntrySchema)
      .nullable()
      .optional()
      .meta({ description: "An entry with a built-in name replaces only the keys it gives; a new name must give domains and mx." }),
  })
  .meta({
    title: "mx-guard providers (providers.yaml)",
    description: "Overrides and additions to mx-guard's built-in mailbox-provider catalog.",
  });

export type ProviderEntryInput = z.output<typeof providerEntrySchema>;
