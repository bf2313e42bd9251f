/** Small Campaign-looking files for the shell's tests (the fake engine reads only `# finding` markers). */

export const SERVER_CONF = `<serverconf>
  <mta>
    <child><smtp enableTLS="true"/></child>
  </mta>
</serverconf>
`;

export const CONFIG_PROD = `<serverconf>
  <mta><master maxSpareServers="2"/></mta>
</serverconf>
`;

export const TRAFFIC = `deliveries:
  - name: Black Friday newsletter
    start: 2026-11-27T08:00:00Z
    recipients: 2000000
    deadline: 6h
`;

export function mxRules(messagesPerHour: string, marker = ""): string {
  return `rules:
  - mask: "*.google.com"
    shared: true
    maxConnections: 30
    maxMessagesPerConnection: 20
    messagesPerHour: ${messagesPerHour}${marker ? `   ${marker}` : ""}
    tls: opportunistic
`;
}

/** Base: fine. */
export const RULES_OK = mxRules("60000");
/** Head: a finding on the messagesPerHour line (6) spanning the whole rule (2..6), with a fix. */
export const RULES_BAD = mxRules("100", "# finding google-quota start=2 fix");

/** Every file of POLICY_YAML's prod instance, all fine (providers.yaml exists on neither side). */
export const CAMPAIGN_TREE: Record<string, string> = {
  "campaign/serverConf.xml": SERVER_CONF,
  "campaign/config-prod.xml": CONFIG_PROD,
  "campaign/mx-rules.yaml": RULES_OK,
  "campaign/traffic.yaml": TRAFFIC,
};
