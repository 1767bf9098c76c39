import { isObjectType, type GraphQLObjectType } from 'graphql';
import pLimit from 'p-limit';
import {
  approvedProcedure,
  createTestClient,
  validCurp,
} from '@conecta/test-kit';
import { day } from './support/data';
import {
  ACCESS_MAPS,
  apiSchema,
  isWithheld,
  pathsFrom,
  resolvedFields,
  selection,
  valuesAt,
  type Guard,
  type Path,
} from './support/access-matrix';
import {
  addCommitteeMember,
  proposeCommittee,
  registerCertifyingBody,
  registerOrganization,
  registerSector,
  setStaffMember,
} from './support/flows';
import {
  TEST_SYSTEM_IDENTITY_SECRET,
  sharedTestSystem,
  type Actor,
  type TestSystem,
} from './support/system';

// Issue 12: no path around authorization. Every field of the composed graph
// has one rule in the access map of the service that resolves it; every
// guarded field is probed, as every role, through every path that reaches its
// type from a root query of the gateway and from `_entities` on the subgraph.
// A caller outside a guard's audience must never read the value.

const schema = apiSchema();
const owners = resolvedFields();

describe('the access maps and the composed schema', () => {
  it('give every field a rule in the map of each service that resolves it, and no rule to a field that does not exist', () => {
    const missing: string[] = [];
    const expected = new Set<string>();
    for (const [coordinate, services] of owners)
      for (const service of services) {
        const [type, field] = coordinate.split('.') as [string, string];
        expected.add(`${service}:${coordinate}`);
        if (!ACCESS_MAPS[service]?.[type]?.[field])
          missing.push(`${service}:${coordinate}`);
      }
    const stale = Object.entries(ACCESS_MAPS).flatMap(([service, map]) =>
      Object.entries(map).flatMap(([type, fields]) =>
        Object.keys(fields)
          .map((field) => `${service}:${type}.${field}`)
          .filter((key) => !expected.has(key)),
      ),
    );
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
  });

  it('name a rule of the service’s domain and an audience for every guard', () => {
    for (const map of Object.values(ACCESS_MAPS))
      for (const fields of Object.values(map))
        for (const access of Object.values(fields)) {
          if (access === 'public') continue;
          expect(typeof access.rule).toBe('function');
          expect(access.to.length).toBeGreaterThan(0);
        }
  });
});

// ---------------------------------------------------------------------------
// The live matrix: one running system, seeded through the gateway.

let system: TestSystem;
const ids: Record<string, string> = {};
// Unique: the subgraphs are shared with other test files (national-scenario
// has an evaluadora@udg of its own).
const STAFF_SUBJECT = `evaluadora-${Date.now().toString(36)}@udg`;

const ADMIN: Actor = { sub: 'matrix-admin', roles: ['admin'] };
const BROKER: Actor = { sub: 'matrix-broker', roles: ['broker'] };

/** A caller and the audiences it belongs to (its roles, and its relations to the seeded records). */
interface Probe {
  label: string;
  actor?: Actor;
  audiences: readonly string[];
}

const ROLE_ONLY = [
  'university',
  'partner',
  'committee_member',
  'certifier',
  'broker',
  'council',
  'admin',
] as const;

/** Every caller of the matrix: none, each role, other organizations' staff, the right role in the wrong organization, and the records' own. */
const probes = (): Probe[] => [
  { label: 'no credential', audiences: [] },
  ...ROLE_ONLY.map((role) => ({
    label: `role ${role}`,
    actor: { sub: `matrix-${role}`, roles: [role] },
    audiences: [role],
  })),
  {
    label: 'another organization’s certifier',
    actor: { sub: 'someone@else', roles: ['certifier'], org: ids.otherOrg },
    audiences: ['certifier'],
  },
  {
    label: 'another organization’s partner app',
    actor: { sub: 'app-else', roles: ['partner'], org: ids.otherOrg },
    audiences: ['partner'],
  },
  {
    label: 'the body’s staff subject acting for another organization',
    actor: { sub: STAFF_SUBJECT, roles: ['certifier'], org: ids.otherOrg },
    audiences: ['certifier'],
  },
  {
    label: 'the requester’s organization with the wrong role',
    actor: { sub: 'clerk', roles: ['certifier'], org: ids.requester },
    audiences: ['certifier'],
  },
  {
    label: 'the requester',
    actor: { sub: 'app-cluster', roles: ['partner'], org: ids.requester },
    audiences: ['partner', 'requester'],
  },
  {
    label: 'the provider',
    actor: { sub: 'app-provider', roles: ['partner'], org: ids.provider },
    audiences: ['partner', 'provider'],
  },
  {
    label: 'the venue',
    actor: { sub: 'app-venue', roles: ['university'], org: ids.venue },
    audiences: ['university', 'venue'],
  },
  {
    label: 'the person',
    actor: { sub: ids.person!, roles: ['public'] },
    audiences: ['person'],
  },
  {
    label: 'the body’s staff',
    actor: { sub: STAFF_SUBJECT, roles: ['certifier'], org: ids.bodyOrg },
    audiences: ['certifier', 'bodyStaff'],
  },
  {
    label: 'the committee’s member organization',
    actor: {
      sub: 'presidencia@camara',
      roles: ['committee_member'],
      org: ids.committeeOrg,
    },
    audiences: ['committee_member', 'committee'],
  },
];

const passes = (guard: Guard, probe: Probe) =>
  guard.to.some((a) => probe.audiences.includes(a));

// The services whose guarded fields are probed live, with data seeded below.
// Not standards: its guard admits everyone to a published standard, and the
// matrix judges by caller, not by record (the shared subgraphs hold other
// files' published standards); its drafts are tested in
// committees-standards.test.ts.
const PROBED = ['training', 'certification', 'committees', 'outcomes'] as const;

/** Guarded fields per type, of the probed services. */
function guardedByType(): Map<string, Map<string, Guard>> {
  const out = new Map<string, Map<string, Guard>>();
  for (const service of PROBED)
    for (const [type, fields] of Object.entries(ACCESS_MAPS[service]!))
      for (const [field, access] of Object.entries(fields)) {
        if (access === 'public' || type === 'Query') continue;
        const object = schema.getType(type);
        if (!isObjectType(object)) continue;
        const args = object.getFields()[field]?.args ?? [];
        if (args.some((a) => a.type.toString().endsWith('!'))) continue;
        if (!out.has(type)) out.set(type, new Map());
        out.get(type)!.set(field, access);
      }
  return out;
}

/** Arguments of the root fields that need them, one variant per reachable record. */
const rootArgs = (): Record<string, string[]> => ({
  cohort: [`id: "${ids.cohort}"`],
  trainingProject: [`id: "${ids.project}"`],
  demandRequest: [`id: "${ids.demand}"`],
  enrollment: [`id: "${ids.enrollment}"`],
  enrollments: ['', `filter: { cohortId: "${ids.cohort}" }`],
  matchDemand: [`demandRequestId: "${ids.demand}"`],
  agreement: [`id: "${ids.agreement}"`],
  vendorCredential: [`id: "${ids.credential}"`],
  person: [`id: "${ids.person}"`],
  certifyingBody: [`id: "${ids.body}"`],
  evaluationProcedure: [`id: "${ids.procedure}"`],
  candidacies: [`certifyingBodyId: "${ids.body}"`, `personId: "${ids.person}"`],
  personalDataReads: [`personId: "${ids.person}"`],
  committee: [`id: "${ids.committee}"`],
  organization: [
    `id: "${ids.requester}"`,
    `id: "${ids.bodyOrg}"`,
    `id: "${ids.provider}"`,
  ],
  verificationCounts: [`certifyingBodyId: "${ids.body}"`],
  expiringCertificates: [
    `withinDays: 365, certifyingBodyId: "${ids.body}"`,
    `withinDays: 365, personId: "${ids.person}"`,
  ],
});

/** The seeded record of each entity type the `_entities` probes ask for. */
const entityIds = (): Record<string, string[]> => ({
  TrainingProject: [ids.project!],
  DemandRequest: [ids.demand!],
  Enrollment: [ids.enrollment!],
  Cohort: [ids.cohort!],
  Agreement: [ids.agreement!],
  Person: [ids.person!],
  Organization: [ids.requester!, ids.bodyOrg!, ids.provider!],
  CertifyingBody: [ids.body!],
  Committee: [ids.committee!],
});

// A refusal, or NOT_FOUND for what the caller may not know exists.
const EXPECTED_ERRORS = new Set(['FORBIDDEN', 'UNAUTHENTICATED', 'NOT_FOUND']);

/** Callers probed at once (each sends its requests one after another). */
const CONCURRENT_CALLERS = 4;

interface Outcome {
  probes: number;
  withheld: number;
  leaks: string[];
  errors: string[];
  seen: Set<string>;
}

const routeOf = (p: Path | undefined) =>
  p ? `${p.root}${p.steps.map((s) => `.${s.field}`).join('')}` : '?';

/**
 * Sends `paths` as `probe`, many per request (each under an alias), and
 * checks every guarded field at their ends.
 */
async function runProbes(
  send: (query: string) => Promise<{ data?: any; errors?: any[] }>,
  operation: (body: string) => string,
  select: (path: Path, alias: string, leaves: string[]) => string,
  paths: readonly Path[],
  guarded: Map<string, Map<string, Guard>>,
  probe: Probe,
  outcome: Outcome,
  where: string,
) {
  const BATCH = 25;
  for (let i = 0; i < paths.length; i += BATCH) {
    const batch = paths.slice(i, i + BATCH);
    const body = batch
      .map((p, j) => select(p, `p${j}`, [...guarded.get(p.type)!.keys()]))
      .join(' ');
    const { data, errors = [] } = await send(operation(body));
    for (const error of errors)
      if (!EXPECTED_ERRORS.has(error.extensions?.code))
        outcome.errors.push(
          `${where} ${probe.label}: ${error.message} ${JSON.stringify(error.path)} in ${routeOf(batch[Number(String(error.path?.[0] ?? 'p0').slice(1))])}`,
        );
    batch.forEach((p, j) => {
      for (const [field, guard] of guarded.get(p.type)!) {
        outcome.probes += 1;
        const values = valuesAt(data, [
          `p${j}`,
          ...p.steps.slice(p.root === 'Query' ? 1 : 0).map((s) => s.field),
          field,
        ]);
        const coordinate = `${p.type}.${field}`;
        const route = routeOf(p);
        if (values.some((v) => !isWithheld(v))) {
          if (passes(guard, probe)) outcome.seen.add(coordinate);
          else
            outcome.leaks.push(
              `${where}: ${probe.label} read ${coordinate} via ${route}`,
            );
        } else if (!passes(guard, probe)) outcome.withheld += 1;
      }
    });
  }
}

// Guarded fields no seeded record can show (imports, evaluations,
// certificates, a dropped or finished enrollment, a rejected or closed project
// are not created here; a credential target has no standard; an intact event
// history has no truncated partitions); listed so that
// a seeding change that hides more fails (records of other test files on the
// shared subgraphs may show some of them). Their paths are still probed as
// every caller: no value may reach an outsider.
const NOT_SEEDED = new Set<string>([
  // Outcomes' returns per funded project: its root query needs a filter the
  // matrix does not give, and the seed approves no project.
  ...[
    'projectId',
    'name',
    'fundName',
    'status',
    'approvedAt',
    'closedAt',
    'placementWithinMonths',
    'committed',
    'spent',
    'enrolled',
    'completed',
    'certified',
    'placed',
    'completionRate',
    'certificationRate',
    'placementRate',
    'costPerCertified',
    'costPerPlaced',
    'medianSalaryChange',
    'meanSalaryChange',
    'realMedianSalaryChange',
    'realMeanSalaryChange',
    'salaryPricesOf',
    'salaryDeflatedWith',
  ].map((f) => `ProjectReturn.${f}`),
  // Training's audited import of past cohorts (admins and brokers see its
  // trail): the seed imports none.
  'Cohort.provenance',
  ...['source', 'folio', 'importedBy', 'importedAt'].map(
    (f) => `CohortProvenance.${f}`,
  ),
  ...[
    'source',
    'importedCount',
    'skippedCount',
    'enrollmentCount',
    'imported',
    'skipped',
  ].map((f) => `ImportCohortHistoryResult.${f}`),
  // A project's settlement is written when it closes (Prosoft's rule).
  'TrainingProject.settlement',
  'FundingSettlement.contribution',
  'FundingSettlement.upfrontBps',
  'FundingSettlement.upfront',
  'FundingSettlement.perCertified',
  'FundingSettlement.certified',
  'FundingSettlement.owed',
  'FundingSettlement.unpaid',
  'FundingSettlement.settledAt',
  // What preceded a placement: no seeded placement follows a completed cohort
  // or a certificate of its person.
  'Placement.precededBy',
  'PlacementLink.cohort',
  'PlacementLink.completedAt',
  'PlacementLink.certificateId',
  'PlacementLink.standard',
  'PlacementLink.certifiedAt',
  'OutcomesConsumerStatus.truncatedPartitions',
  'TruncatedPartition.topic',
  'TruncatedPartition.partition',
  'TruncatedPartition.earliestOffset',
  'DemandProvenance.source',
  'DemandProvenance.reference',
  'DemandProvenance.importedBy',
  'DemandProvenance.importedAt',
  'DemandProvenance.closedAt',
  'DemandRequest.standard',
  'DemandRequest.cancellationReason',
  'DemandRequest.provenance',
  'Enrollment.attendancePercent',
  'Enrollment.voucherIssuedAt',
  'Enrollment.voucherUsedAt',
  'Enrollment.vendorExamPassed',
  'Enrollment.completedAt',
  'Enrollment.droppedAt',
  'ImportDemandHistoryResult.source',
  'ImportDemandHistoryResult.importedCount',
  'ImportDemandHistoryResult.skippedCount',
  'ImportDemandHistoryResult.imported',
  'ImportDemandHistoryResult.skipped',
  'MatchExclusion.agreement',
  'MatchExclusion.cohort',
  'MatchExclusion.reason',
  'MatchExclusion.why',
  // Matching's quality (issue 17): null until a compared provider has a
  // completer with a certification outcome, and the survey part until
  // outcomes releases a provider's score (5 surveys); the seed has neither.
  'ProviderQuality.completed',
  'ProviderQuality.certified',
  'ProviderQuality.certificationRate',
  'ProviderQuality.score',
  'ProviderQuality.prior',
  'ProviderQuality.surveyScore',
  'ProviderQuality.surveyResponses',
  // Pooling needs OPEN demand of two organizations for one target; the
  // seed files one request.
  ...[
    'kind',
    'agreement',
    'cohort',
    'demandRequests',
    'headcount',
    'requesters',
    'states',
    'perSeat',
    'separately',
    'pooled',
    'saving',
    'reasons',
  ].map((f) => `PoolSuggestion.${f}`),
  'PoolPlan.cohorts',
  'PoolPlan.seats',
  'PoolPlan.cost',
  'MatchResult.excluded',
  'Person.certificates',
  'TrainingProject.rejectionReason',
  'TrainingProject.closedAt',
  'Certificate.verificationCode',
  'Certificate.provenance',
  'Evaluation.id',
  'Evaluation.candidate',
  'Evaluation.standard',
  'Evaluation.certifyingBody',
  'Evaluation.evaluatorSubject',
  'Evaluation.evidenceSummary',
  'Evaluation.result',
  'Evaluation.evaluatedAt',
  'Evaluation.provenance',
  'Evaluation.procedureVersion',
  'Evaluation.certificationRequestedFrom',
  'Evaluation.certificationRequestedAt',
  // The seeded procedure is approved, not rejected.
  'EvaluationProcedure.rejectedBy',
  'EvaluationProcedure.rejectionReason',
  'HistoricalCertificateResult.folio',
  'HistoricalCertificateResult.outcome',
  'HistoricalCertificateResult.certificate',
  'ImportHistoricalCertificatesResult.source',
  'ImportHistoricalCertificatesResult.imported',
  'ImportHistoricalCertificatesResult.alreadyImported',
  'ImportHistoricalCertificatesResult.peopleRegistered',
  'ImportHistoricalCertificatesResult.records',
  'ImportProvenance.source',
  'ImportProvenance.folio',
  'ImportProvenance.importedBy',
  'ImportProvenance.importedAt',
  'VerifiableCredentialExport.jwt',
  'VerifiableCredentialExport.credential',
  'VerifiableCredentialExport.publicKeyJwk',
  'VerifiableCredentialExport.identitySalt',
  'MinimalCredentialExport.jwt',
  'MinimalCredentialExport.credential',
  'MinimalCredentialExport.publicKeyJwk',
  // Verification counts are written by a flush seconds after a verification.
  ...['day', 'standard', 'certifyingBody', 'channel', 'count'].map(
    (f) => `VerificationCount.${f}`,
  ),
  // registerPerson's answer: a mutation's, on no query path.
  'PersonRegistration.reference',
  'PersonRegistration.person',
  // A candidacy needs an ACTIVE accreditation (a published standard with
  // three nominated bodies), so do staff reads of personal data (reader
  // organization and body); the matrix's operations are unnamed, and the
  // log of reads fits one page.
  'Candidacy.id',
  'Candidacy.certifyingBody',
  'Candidacy.standard',
  'Candidacy.status',
  'Candidacy.person',
  'Candidacy.proposedBy',
  'Candidacy.proposedAt',
  'Candidacy.openedBy',
  'Candidacy.acceptedAt',
  'Candidacy.declinedAt',
  'PersonalDataRead.readerOrganizationId',
  'PersonalDataRead.certifyingBody',
  'PersonalDataRead.operationName',
  'PersonalDataReadPage.nextCursor',
  // A healthy consumer: no lag, nothing dead-lettered, no error, no rebuild.
  'ConsumerPartitionLag.lag',
  'OutcomesConsumerStatus.lag',
  'OutcomesConsumerStatus.deadLettered',
  'OutcomesConsumerStatus.lastError',
  'OutcomesConsumerStatus.generation',
]);

describe('the role × field matrix, live', () => {
  beforeAll(async () => {
    system = await sharedTestSystem('access-matrix', {
      gatewayEnv: {
        // The matrix batches many probes per request; the limits are the
        // gateway's own concern (protection.test.ts), not this test's.
        MAX_ALIASES: '100',
        MAX_DEPTH: '20',
        MAX_COST: '1000000',
        MAX_TOKENS: '100000',
        RATE_LIMIT_PER_IP: '0',
      },
    });
    const send = system.send.bind(system);
    const org = async (name: string, kind: string) =>
      (await registerOrganization(send, ADMIN, { name, kind, state: 'MX-JAL' }))
        .id;
    ids.requester = await org('Clúster de TI de Jalisco A.C.', 'COMPANY');
    ids.provider = await org(
      'Capacitación del Bajío S.C.',
      'TRAINING_PROVIDER',
    );
    ids.venue = await org('Universidad de Guadalajara', 'UNIVERSITY');
    ids.bodyOrg = await org('Universidad Tecnológica de Jalisco', 'UNIVERSITY');
    ids.otherOrg = await org(
      'Gobierno del Estado de Nuevo León',
      'GOVERNMENT_BODY',
    );
    ids.committeeOrg = await org(
      'Cámara Nacional de la Industria Electrónica',
      'CHAMBER',
    );
    const waitFor = ['ORGANIZATION_NOT_FOUND', 'PERSON_NOT_FOUND'];

    // A committee with a member organization and a working group expert.
    const sectorId = (
      await registerSector(send, ADMIN, { name: 'Telecomunicaciones' })
    ).id;
    ids.committee = (
      await proposeCommittee(send, ADMIN, {
        name: 'Comité de Redes y Telecomunicaciones',
        sectorId,
        scope: 'NATIONAL',
      })
    ).id;
    await addCommitteeMember(send, ADMIN, ids.committee, {
      organizationId: ids.committeeOrg,
      side: 'EMPLOYER',
      positionTitle: 'Presidente',
    });
    await send(
      ADMIN,
      `mutation ($i: AddWorkingGroupExpertInput!) { addWorkingGroupExpert(input: $i) { id } }`,
      {
        i: {
          committeeId: ids.committee,
          name: 'Laura Méndez Ortiz',
          specialty: 'Redes de datos',
          organizationId: ids.committeeOrg,
        },
      },
    );

    // Registered on the certification subgraph itself (as the gateway would
    // forward the admin): its answer is a registration whose person only
    // admins read, a shape the gateway's supergraph may lag behind.
    const certification = createTestClient({
      url: system.subgraphs.get('certification')!.graphqlUrl,
      secret: TEST_SYSTEM_IDENTITY_SECRET,
      service: 'certification',
    });
    ids.person = (
      await certification.ok(
        `mutation ($i: RegisterPersonInput!) { registerPerson(input: $i) { person { id } } }`,
        {
          i: {
            curp: validCurp(),
            givenNames: 'María Guadalupe',
            firstSurname: 'López',
            secondSurname: 'Ramos',
            email: 'maria.lopez@example.mx',
            phone: '+52 33 1234 5678',
          },
        },
        { subject: ADMIN.sub, roles: ADMIN.roles },
      )
    ).registerPerson.person.id;
    ids.body = await registerCertifyingBody(send, ADMIN, {
      organizationId: ids.bodyOrg,
      kind: 'UNIVERSITY',
      facilities: [{ state: 'MX-JAL', city: 'Guadalajara' }],
    });
    await setStaffMember(send, ADMIN, ids.body, {
      subject: STAFF_SUBJECT,
      name: 'Ana Evaluadora',
      roles: ['EVALUATOR'],
    });
    // The body's evaluation procedure, approved (who drafted and approved it
    // is for admins and the body's staff).
    ids.procedure = (
      await approvedProcedure(
        (query, variables) => send(ADMIN, query, variables),
        ids.body,
      )
    ).id;

    ids.credential = (
      await send(
        BROKER,
        `mutation ($i: RegisterVendorCredentialInput!) { registerVendorCredential(input: $i) { id } }`,
        {
          i: {
            vendor: 'Cisco',
            name: 'CCNA',
            code: `200-301-${Date.now()}`,
            examMarketPrice: 660_000,
            trainingMarketPrice: 2_400_000,
          },
        },
      )
    ).registerVendorCredential.id;
    ids.demand = (
      await send(
        { sub: 'app-cluster', roles: ['partner'], org: ids.requester },
        `mutation ($i: RequestTrainingInput!) { requestTraining(input: $i) { id } }`,
        {
          i: {
            state: 'MX-JAL',
            city: 'Guadalajara',
            target: { credentialId: ids.credential },
            headcount: 3,
            neededBy: day(150),
          },
        },
        waitFor,
      )
    ).requestTraining.id;
    ids.agreement = (
      await send(
        BROKER,
        `mutation ($i: SignAgreementInput!) { signAgreement(input: $i) { id } }`,
        {
          i: {
            providerId: ids.provider,
            target: { credentialId: ids.credential },
            discountBps: 7_000,
            extraTrainingHours: 16,
            examVouchersPerParticipant: 1,
            marketPrice: 1_500_000,
            validFrom: day(0),
            validUntil: day(365),
            minCohortSize: 2,
            states: ['MX-JAL'],
            online: false,
          },
        },
        waitFor,
      )
    ).signAgreement.id;
    ids.project = (
      await send(
        BROKER,
        `mutation ($i: DraftTrainingProjectInput!) { draftTrainingProject(input: $i) { id } }`,
        {
          i: {
            name: 'Jalisco TI',
            fundName: 'Fondo PROSOFT',
            agreementId: ids.agreement,
            demandRequestIds: [ids.demand],
            requestedFundShareBps: 5_000,
            fundingSplit: { upfrontBps: 5_000, perCertified: 100 },
          },
        },
      )
    ).draftTrainingProject.id;
    await send(
      BROKER,
      `mutation ($id: ID!) { submitTrainingProject(id: $id) { id } }`,
      {
        id: ids.project,
      },
    );
    await send(
      BROKER,
      `mutation ($i: ApproveTrainingProjectInput!) { approveTrainingProject(input: $i) { id } }`,
      { i: { id: ids.project, approvedFundShareBps: 5_000 } },
    );
    ids.cohort = (
      await send(
        BROKER,
        `mutation ($i: ScheduleCohortInput!) { scheduleCohort(input: $i) { id } }`,
        {
          i: {
            agreementId: ids.agreement,
            projectId: ids.project,
            venueId: ids.venue,
            state: 'MX-JAL',
            city: 'Zapopan',
            mode: 'IN_PERSON',
            startsOn: day(20),
            endsOn: day(50),
            capacity: 5,
          },
        },
        waitFor,
      )
    ).scheduleCohort.id;
    ids.enrollment = (
      await send(
        BROKER,
        `mutation ($i: EnrollInput!) { enroll(input: $i) { id } }`,
        { i: { cohortId: ids.cohort, personId: ids.person } },
        waitFor,
      )
    ).enroll.id;
    // The person's job after training (outcomes).
    await send(
      BROKER,
      `mutation ($i: RecordPlacementInput!) { recordPlacement(input: $i) { id } }`,
      {
        i: {
          personId: ids.person,
          employerId: ids.requester,
          jobTitle: 'Técnica en redes',
          sectorId,
          state: 'MX-JAL',
          startDate: day(-10),
          salaryBefore: 1_100_000,
          salaryAfter: 1_600_000,
        },
      },
    );
  }, 240_000);

  afterAll(async () => {
    await system?.stop();
  }, 60_000);

  it('never shows a guarded field to a caller outside its audience, on any path through the gateway or _entities', async () => {
    const guarded = guardedByType();
    const targets = new Set(guarded.keys());
    const query = schema.getQueryType()!;
    const gatewayPaths = pathsFrom([{ root: 'Query', type: query }], {
      maxSteps: 4,
      rootArgs: rootArgs(),
      follow: () => true,
    }).filter((p) => targets.has(p.type) && p.steps.length > 0);

    // _entities on each probed subgraph: its entity types, its own fields only.
    const entityPaths = new Map<string, Path[]>();
    for (const service of PROBED) {
      const roots = Object.keys(entityIds())
        .filter((t) => owners.get(`${t}.id`)?.includes(service))
        .map((t) => ({
          root: `_entities:${t}` as const,
          type: schema.getType(t) as GraphQLObjectType,
        }));
      entityPaths.set(
        service,
        pathsFrom(roots, {
          maxSteps: 3,
          rootArgs: {},
          follow: (type, field) =>
            owners.get(`${type}.${field}`)?.includes(service) ?? false,
        }).filter(
          (p) =>
            targets.has(p.type) &&
            [...guarded.get(p.type)!.keys()].some((f) =>
              owners.get(`${p.type}.${f}`)?.includes(service),
            ),
        ),
      );
    }

    const outcome: Outcome = {
      probes: 0,
      withheld: 0,
      leaks: [],
      errors: [],
      seen: new Set(),
    };
    const callers = probes();
    // Callers are independent (each reads what it may, nothing is written),
    // so a few are probed at once: the in-process gateway plans while the
    // subgraph processes answer. A small limit: 2 cores, shared subgraphs.
    const limit = pLimit(CONCURRENT_CALLERS);
    const probeAs = async (probe: Probe) => {
      await runProbes(
        (query) => system.post({ query }, probe.actor),
        (body) => `{ ${body} }`,
        (path, alias, leaves) =>
          `${alias}: ${selection(schema, path.steps, path.type, leaves)}`,
        gatewayPaths,
        guarded,
        probe,
        outcome,
        'gateway',
      );
      for (const service of PROBED) {
        const client = createTestClient({
          url: system.subgraphs.get(service)!.graphqlUrl,
          secret: TEST_SYSTEM_IDENTITY_SECRET,
          service,
        });
        const as = probe.actor && {
          subject: probe.actor.sub,
          roles: probe.actor.roles,
          organizationId: probe.actor.org,
        };
        // Fields of another subgraph are not resolved here: leave them out.
        const own = new Map(
          [...guarded].map(([t, fs]) => [
            t,
            new Map(
              [...fs].filter(([f]) =>
                owners.get(`${t}.${f}`)?.includes(service),
              ),
            ),
          ]),
        );
        // The paths from one entity type share their representations, so
        // they go many per request, each under its alias, as through the
        // gateway.
        const byType = new Map<string, Path[]>();
        for (const path of entityPaths.get(service)!) {
          const type = path.root.slice('_entities:'.length);
          byType.set(type, [...(byType.get(type) ?? []), path]);
        }
        for (const [type, paths] of byType) {
          const reps = entityIds()[type]!.map((id) => ({
            __typename: type,
            id,
          }));
          await runProbes(
            (query) =>
              client.request(query, { r: reps }, as ?? { roles: ['public'] }),
            (body) => `query ($r: [_Any!]!) { ${body} }`,
            (p, alias, leaves) =>
              `${alias}: _entities(representations: $r) { ... on ${type} { ${selection(schema, p.steps, p.type, leaves)} } }`,
            paths,
            own,
            probe,
            outcome,
            `${service} _entities`,
          );
        }
      }
    };
    await Promise.all(callers.map((probe) => limit(() => probeAs(probe))));
    const fields = [...guarded].flatMap(([t, fs]) =>
      [...fs.keys()].map((f) => `${t}.${f}`),
    );
    const unseen = fields.filter((f) => !outcome.seen.has(f));
    // Reported in gateway/README.md: Authorization matrix.
    console.log(
      `access matrix: ${fields.length} guarded fields, ${callers.length} callers, ` +
        `${gatewayPaths.length} gateway paths, ${[...entityPaths.values()].flat().length} _entities paths, ` +
        `${outcome.probes} probes, ${outcome.withheld} withheld from callers outside the audience; ` +
        `never shown to an insider: ${unseen.join(', ') || 'none'}`,
    );
    expect({ leaks: outcome.leaks, errors: outcome.errors }).toEqual({
      leaks: [],
      errors: [],
    });
    // Other test files' records (the subgraphs are shared) may show a field
    // this seed does not: only a field hidden beyond the list fails.
    expect(unseen.filter((f) => !NOT_SEEDED.has(f))).toEqual([]);
  }, 300_000);
});
