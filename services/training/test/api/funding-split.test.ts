import { readEvents } from '@conecta/test-kit';
import { foreignEventMother as foreign } from '../fixtures/mothers';
import {
  GQL,
  actingFor,
  broker,
  inputMother as input,
  seedWorld,
  startTraining,
  type RunningTraining,
  type World,
} from '../fixtures/service';

// Issue 17, items 4 and 5, through GraphQL on the real FerretDB and Kafka:
// Prosoft's rule (the README's worked example) and a configured discount cap.

let running: RunningTraining;
let world: World;
const client = () => running.client;

beforeAll(async () => {
  // A cap above the seeds' 70% default: the configuration reaches signAgreement.
  running = await startTraining('training-funding-split', {
    VENDOR_DISCOUNT_CAP_BPS: '8000',
  });
  world = await seedWorld(running, 4);
});

afterAll(() => running?.stop());

const SPLIT = /* GraphQL */ `
  fundingSplit {
    upfrontBps
    perCertified
    contribution
    upfront
    maximum
  }
`;
const DRAFT = /* GraphQL */ `
  mutation ($input: DraftTrainingProjectInput!) {
    draftTrainingProject(input: $input) { id status ${SPLIT} }
  }
`;
const PROJECT = /* GraphQL */ `
  query ($id: ID!) {
    trainingProject(id: $id) {
      status
      closedAt
      indicators { certified }
      ${SPLIT}
      settlement {
        contribution
        upfrontBps
        upfront
        perCertified
        certified
        owed
        unpaid
        settledAt
      }
    }
  }
`;

async function openDemand(headcount: number): Promise<string> {
  return (
    await client().ok(
      GQL.request,
      { input: input.demand(world, { headcount }) },
      actingFor(world.clusterId),
    )
  ).requestTraining.id;
}

/** The fixtures' deal: $15,000 market price, 70% off (5% broker fee by default). */
async function agreement(): Promise<string> {
  return (
    await client().ok(GQL.sign, { input: input.agreement(world) }, broker)
  ).signAgreement.id;
}

const draftInput = (
  agreementId: string,
  demandId: string,
  fundingSplit: object,
) => ({
  input: {
    name: 'Talento Digital Jalisco 2026',
    fundName: 'Fondo PROSOFT',
    agreementId,
    demandRequestIds: [demandId],
    requestedFundShareBps: 5_000,
    fundingSplit,
  },
});

describe('the vendor discount cap', () => {
  it('signs at the configured cap and refuses a basis point above it, naming the field and the cap', async () => {
    const bad = await client().request(
      GQL.sign,
      { input: input.agreement(world, { discountBps: 8_001 }) },
      broker,
    );
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'DISCOUNT_OUT_OF_RANGE',
      field: 'input.discountBps',
    });
    expect(bad.errors?.[0]?.message).toContain(
      'at most 8000 basis points (80%), the vendor discount cap',
    );
    const ok = await client().ok(
      `mutation ($input: SignAgreementInput!) { signAgreement(input: $input) { discountBps } }`,
      { input: input.agreement(world, { discountBps: 8_000 }) },
      broker,
    );
    expect(ok.signAgreement.discountBps).toBe(8_000);
  });
});

describe("Prosoft's rule", () => {
  it('settles at close what the fund owes for the trainees certified on the standard, and publishes it', async () => {
    const agreementId = await agreement();
    const demandId = await openDemand(4);
    const drafted = (
      await client().ok(
        DRAFT,
        draftInput(agreementId, demandId, {
          upfrontBps: 3_333,
          perCertified: 150_000,
        }),
        broker,
      )
    ).draftTrainingProject;
    // $4,725 per participant × 50% × 4 = $9,450.00; 33.33% of it by floor is
    // $3,149.68; at most $3,149.68 + 4 × $1,500 = $9,149.68.
    expect(drafted.fundingSplit).toEqual({
      upfrontBps: 3_333,
      perCertified: 150_000,
      contribution: 945_000,
      upfront: 314_968,
      maximum: 914_968,
    });
    const id = drafted.id;
    await client().ok(
      `mutation ($id: ID!) { submitTrainingProject(id: $id) { id } }`,
      { id },
      broker,
    );
    await client().ok(
      `mutation ($input: ApproveTrainingProjectInput!) { approveTrainingProject(input: $input) { id } }`,
      { input: { id, approvedFundShareBps: 5_000 } },
      broker,
    );
    const cohortId = (
      await client().ok(
        GQL.schedule,
        {
          input: input.cohort(world, agreementId, {
            projectId: id,
            capacity: 4,
          }),
        },
        broker,
      )
    ).scheduleCohort.id;
    const [ana, beto, carla, dario] = world.personIds as [
      string,
      string,
      string,
      string,
    ];
    const enrollments: Record<string, string> = {};
    for (const personId of [ana, beto, carla, dario])
      enrollments[personId] = (
        await client().ok(GQL.enroll, { input: { cohortId, personId } }, broker)
      ).enroll.id;
    await client().ok(
      `mutation ($input: DropEnrollmentInput!) { dropEnrollment(input: $input) { status } }`,
      { input: { enrollmentId: enrollments[dario], reason: 'moved away' } },
      broker,
    );

    // certification certifies Ana (twice: still one trainee) and Beto on the
    // standard, Carla on another one, and Darío after dropping out.
    const certificates = [
      foreign.certificateIssued(ana, world.standardId),
      foreign.certificateIssued(ana, world.standardId),
      foreign.certificateIssued(beto, world.standardId),
      foreign.certificateIssued(carla, '0190a5b0-0000-7000-8000-0000000000aa'),
      foreign.certificateIssued(dario, world.standardId),
    ];
    await running.publish(...certificates);
    await running.eventually(
      async () =>
        (
          await running.service.stores.projections.certificates.ofPersons([
            ana,
            beto,
            carla,
            dario,
          ])
        ).length === certificates.length,
    );

    await client().ok(
      `mutation ($id: ID!) { closeTrainingProject(id: $id) { status } }`,
      { id },
      broker,
    );
    const closed = (await client().ok(PROJECT, { id }, broker)).trainingProject;
    // $3,149.68 + 2 × $1,500 = $6,149.68 owed; $3,300.32 stays with the fund.
    expect(closed).toMatchObject({
      status: 'CLOSED',
      indicators: { certified: 2 },
      settlement: {
        contribution: 945_000,
        upfrontBps: 3_333,
        upfront: 314_968,
        perCertified: 150_000,
        certified: 2,
        owed: 614_968,
        unpaid: 330_032,
        settledAt: closed.closedAt,
      },
    });

    const [event] = await readEvents({
      brokers: running.infra.kafkaBrokers,
      topic: `${running.infra.topicPrefix}conecta.training.events`,
      until: ({ event }) =>
        event.type === 'training.ProjectClosed' && event.subject === id,
      count: 1,
    });
    expect(event?.event.data).toEqual({
      id,
      closedAt: closed.closedAt,
      settlement: {
        contributionCentavos: 945_000,
        upfrontBps: 3_333,
        upfrontCentavos: 314_968,
        perCertifiedCentavos: 150_000,
        certified: 2,
        owedCentavos: 614_968,
        unpaidCentavos: 330_032,
      },
    });
  });

  it('refuses a split that is out of range or promises more than the contribution, naming the field and writing nothing', async () => {
    const agreementId = await agreement();
    const demandId = await openDemand(4);
    const cases: Array<[object, string, string]> = [
      [
        { upfrontBps: 10_001, perCertified: 0 },
        'input.fundingSplit.upfrontBps',
        'UPFRONT_SHARE_OUT_OF_RANGE',
      ],
      [
        { upfrontBps: -1, perCertified: 0 },
        'input.fundingSplit.upfrontBps',
        'INVALID_INPUT',
      ],
      // $9,450.00 − $3,149.68 leaves $1,575.08 for each of 4 participants.
      [
        { upfrontBps: 3_333, perCertified: 157_509 },
        'input.fundingSplit.perCertified',
        'SPLIT_ABOVE_CONTRIBUTION',
      ],
    ];
    for (const [fundingSplit, field, reason] of cases) {
      const res = await client().request(
        DRAFT,
        draftInput(agreementId, demandId, fundingSplit),
        broker,
      );
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field,
        reason,
      });
      expect(res.data ?? null).toBeNull();
    }
    // A negative amount is refused by the Centavos scalar, naming the path.
    const negative = await client().request(
      DRAFT,
      draftInput(agreementId, demandId, { upfrontBps: 0, perCertified: -1 }),
      broker,
    );
    expect(negative.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(negative.errors?.[0]?.message).toContain(
      'input.fundingSplit.perCertified',
    );

    // Nothing was written: the request is still OPEN and can be packaged,
    // at exactly the most the contribution allows.
    const { demandRequest } = await client().ok(
      `query ($id: ID!) { demandRequest(id: $id) { status } }`,
      { id: demandId },
      broker,
    );
    expect(demandRequest.status).toBe('OPEN');
    const fits = await client().ok(
      DRAFT,
      draftInput(agreementId, demandId, {
        upfrontBps: 3_333,
        perCertified: 157_508,
      }),
      broker,
    );
    // $3,149.68 + 4 × $1,575.08 = $9,450.00: the whole contribution.
    expect(fits.draftTrainingProject).toMatchObject({
      status: 'DRAFT',
      fundingSplit: { upfront: 314_968, maximum: 945_000 },
    });
  });
});
