const SIX_YEARS_AGO = `${new Date().getUTCFullYear() - 6}-01-01`;
// Public analytics take whole periods: a span ends on the last day of one.
const END_OF_YEAR = `${new Date().getUTCFullYear()}-12-31`;
/**
 * The example operations `npm start` prints, per kind of user (the full set is
 * in docs/examples.md). The gateway's docs test validates them against the graph.
 * `BODY_ID` is replaced by a certifying body of the demo when there is one.
 */
export const BANNER_EXAMPLES = {
  university: `{ demandTrends(filter: { from: "${SIX_YEARS_AGO}", to: "${END_OF_YEAR}", granularity: YEAR, state: "MX-JAL" }) { period requestedHeadcount { value } growthRate } skillGaps(filter: { from: "${SIX_YEARS_AGO}", to: "${END_OF_YEAR}", state: "MX-JAL" }, first: 5) { standard { code title } credential { name } demand { value } supply { value } gap } }`,
  partner: `{ standards(filter: { status: PUBLISHED }, first: 3) { nodes { code title committee { name } certifyingBodies { certifyingBody { name kind } feeCentavos } trainingOffers { provider { name } discountBps } usage { used } } } }`,
  certifier: `{ expiringCertificates(withinDays: 120, certifyingBodyId: "BODY_ID") { verificationCode expiresAt standard { code } certifyingBody { name } } }`,
  admin: `mutation { registerSector(input: { code: "5415", name: "Servicios de diseño de sistemas de cómputo", kind: PRODUCTIVE }) { id code } }`,
} as const;
