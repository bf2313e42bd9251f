/**
 * A hostile pull request's Campaign files for the isolation and load tests: valid, inside every cap,
 * and slow — 40 publicIds with 5 exclude masks each × 2,000 recipient domains (just under the work
 * budget) keeps one engine worker busy about 12 s on an idle 2-core machine, longer under load, so
 * the run ends at the engine's deadline when that is shorter (the tests set it).
 */
export function hostileFiles(base: Record<string, string | Buffer>): Record<string, string | Buffer> {
  const ips = Array.from(
    { length: 40 },
    (_, i) => `<IP address="198.51.100.${i + 1}" publicId="${i + 1}" excludeDomains="*.a${i},*.b${i},*.c${i},*.d${i},*.e${i}"/>`,
  );
  const serverConf = `<serverconf>\n<mta><child><smtp>\n<IPAffinity name="default;marketing">\n${ips.join("\n")}\n</IPAffinity>\n</smtp></child></mta>\n</serverconf>\n`;
  const domains = Array.from({ length: 2_000 }, (_, k) => `      d${k}.example: 1000`).join("\n");
  const traffic = `deliveries:\n  - name: big\n    start: 2026-11-27T08:00:00Z\n    affinity: marketing\n    recipients: 10000000\n    domains:\n${domains}\n`;
  return { ...base, "campaign/serverConf.xml": serverConf, "campaign/config-prod.xml": "<serverconf/>", "campaign/traffic.yaml": traffic };
}
