import { fakerES_MX as faker } from '@faker-js/faker';
import { whenProjected, type Actor, type GraphClient } from './graph-client';

const BROKER: Actor = { sub: 'demo-broker', roles: ['broker'] };
const ADMIN: Actor = { sub: 'demo-admin', roles: ['admin'] };
const DAY_MS = 86_400_000;
const date = (daysFromNow: number) =>
  new Date(Date.now() + daysFromNow * DAY_MS).toISOString().slice(0, 10);
/** Pesos to centavos (money is integer centavos). */
const pesos = (mxn: number) => mxn * 100;

/** Global vendors' credentials with market prices (MXN). */
const CREDENTIALS = [
  {
    vendor: 'Amazon Web Services',
    name: 'AWS Certified Cloud Practitioner',
    code: 'CLF-C02',
    exam: 2_000,
    training: 8_000,
  },
  {
    vendor: 'Microsoft',
    name: 'Microsoft Certified: Azure Fundamentals',
    code: 'AZ-900',
    exam: 1_900,
    training: 6_500,
  },
  {
    vendor: 'Cisco',
    name: 'Cisco Certified Network Associate',
    code: 'CCNA 200-301',
    exam: 6_000,
    training: 25_000,
  },
  {
    vendor: 'CompTIA',
    name: 'CompTIA Security+',
    code: 'SY0-701',
    exam: 7_500,
    training: 20_000,
  },
  {
    vendor: 'Oracle',
    name: 'Oracle Certified Professional: Java SE 17 Developer',
    code: '1Z0-829',
    exam: 4_500,
    training: 18_000,
  },
] as const;

/** Who asks for training: state governments and IT clusters, with where. */
const REQUESTERS = [
  { key: 'gob-jal', state: 'MX-JAL', city: 'Guadalajara' },
  { key: 'ijalti', state: 'MX-JAL', city: 'Zapopan' },
  { key: 'gob-nl', state: 'MX-NLE', city: 'Monterrey' },
  { key: 'csoftmty', state: 'MX-NLE', city: 'San Pedro Garza García' },
  { key: 'cluster-tic-bc', state: 'MX-BCN', city: 'Tijuana' },
  { key: 'se', state: 'MX-CMX', city: 'Ciudad de México' },
] as const;

/** Universities that host cohorts, and where. */
const VENUES = [
  { key: 'udg', state: 'MX-JAL', city: 'Guadalajara' },
  { key: 'uanl', state: 'MX-NLE', city: 'San Nicolás de los Garza' },
  { key: 'uabc', state: 'MX-BCN', city: 'Tijuana' },
  { key: 'unam', state: 'MX-CMX', city: 'Ciudad de México' },
] as const;

/**
 * The training brokerage of the demo: vendor credentials, agreements negotiated
 * with training providers (commonly 50–70% off), demand from state governments
 * and clusters, projects co-funded by a public fund, cohorts at universities,
 * and people enrolled.
 */
export async function loadTraining(
  graph: GraphClient,
  {
    organizationIds,
    personIds,
    scale,
    log,
  }: {
    organizationIds: Map<string, string>;
    personIds: string[];
    scale: number;
    log: (line: string) => void;
  },
): Promise<{ demandRequests: number; projects: number; enrollments: number }> {
  const providers = [...organizationIds.entries()]
    .filter(([key]) => key.startsWith('provider:'))
    .map(([, id]) => id);
  let demandRequests = 0;
  let projects = 0;
  let enrollments = 0;
  let nextPerson = 0;
  for (const [c, credential] of CREDENTIALS.entries()) {
    const { registerVendorCredential } = await graph(
      ADMIN,
      `mutation ($i: RegisterVendorCredentialInput!) { registerVendorCredential(input: $i) { id } }`,
      {
        i: {
          vendor: credential.vendor,
          name: credential.name,
          code: credential.code,
          examMarketPrice: pesos(credential.exam),
          trainingMarketPrice: pesos(credential.training),
        },
      },
    );
    const credentialId: string = registerVendorCredential.id;
    const target = { credentialId };
    // The provider's registration reaches training through Kafka.
    const { signAgreement } = await whenProjected(
      () =>
        graph(
          BROKER,
          `mutation ($i: SignAgreementInput!) { signAgreement(input: $i) { id } }`,
          {
            i: {
              providerId: providers[c % providers.length],
              target,
              discountBps: faker.number.int({ min: 50, max: 70 }) * 100,
              extraTrainingHours: faker.number.int({ min: 8, max: 40 }),
              examVouchersPerParticipant: 1,
              validFrom: date(0),
              validUntil: date(365),
              minCohortSize: 10,
              states: REQUESTERS.map((r) => r.state).filter(
                (s, i, all) => all.indexOf(s) === i,
              ),
              online: true,
            },
          },
        ),
      ['ORGANIZATION_NOT_FOUND'],
    );
    const demandIds: string[] = [];
    for (let r = 0; r < 2 * scale; r += 1) {
      const requester = REQUESTERS[(c + r) % REQUESTERS.length]!;
      const { requestTraining } = await whenProjected(
        () =>
          graph(
            BROKER,
            `mutation ($i: RequestTrainingInput!) { requestTraining(input: $i) { id } }`,
            {
              i: {
                requesterId: organizationIds.get(requester.key),
                state: requester.state,
                city: requester.city,
                target,
                headcount: faker.number.int({ min: 2, max: 12 }) * 10,
                neededBy: date(faker.number.int({ min: 120, max: 360 })),
              },
            },
          ),
        ['ORGANIZATION_NOT_FOUND'],
      );
      demandIds.push(requestTraining.id);
      demandRequests += 1;
    }
    // The first request of each credential stays OPEN; the rest become a funded project.
    const { draftTrainingProject } = await graph(
      BROKER,
      `mutation ($i: DraftTrainingProjectInput!) { draftTrainingProject(input: $i) { id } }`,
      {
        i: {
          name: `Certificación ${credential.name} ${new Date().getUTCFullYear()}`,
          fundName:
            'Fondo Sectorial para la Innovación y la Formación de Capital Humano',
          agreementId: signAgreement.id,
          demandRequestIds: demandIds.slice(1),
          requestedFundShareBps: 5_000,
        },
      },
    );
    const projectId: string = draftTrainingProject.id;
    await graph(
      BROKER,
      `mutation ($id: ID!) { submitTrainingProject(id: $id) { id } }`,
      { id: projectId },
    );
    await graph(
      ADMIN,
      `mutation ($i: ApproveTrainingProjectInput!) { approveTrainingProject(input: $i) { id } }`,
      { i: { id: projectId, approvedFundShareBps: 5_000 } },
    );
    projects += 1;

    const venue = VENUES[c % VENUES.length]!;
    const { scheduleCohort } = await graph(
      BROKER,
      `mutation ($i: ScheduleCohortInput!) { scheduleCohort(input: $i) { id } }`,
      {
        i: {
          agreementId: signAgreement.id,
          projectId,
          venueId: organizationIds.get(venue.key),
          state: venue.state,
          city: venue.city,
          mode: 'HYBRID',
          startsOn: date(14),
          endsOn: date(56),
          capacity: 25,
        },
      },
    );
    // People registered in certification reach training through Kafka.
    for (let e = 0; e < 12 && nextPerson < personIds.length; e += 1) {
      const personId = personIds[nextPerson++]!;
      await whenProjected(
        () =>
          graph(
            BROKER,
            `mutation ($i: EnrollInput!) { enroll(input: $i) { id } }`,
            { i: { cohortId: scheduleCohort.id, personId } },
          ),
        ['PERSON_NOT_FOUND'],
      );
      enrollments += 1;
    }
  }
  log(
    `training: ${CREDENTIALS.length} vendor credentials, ${demandRequests} demand requests, ${projects} funded projects, ${enrollments} enrollments`,
  );
  return { demandRequests, projects, enrollments };
}
