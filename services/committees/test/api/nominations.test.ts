import { v7 as uuidv7 } from 'uuid';
import { StandardWithdrawnV1, newEvent } from '@conecta/events';
import { readEvents } from '@conecta/test-kit';
import {
  committeeInputMother as input,
  organizationMother,
  standardEventMother,
} from '../fixtures/mothers';
import {
  GQL,
  admin,
  council,
  memberOf,
  registerParticipants,
  startCommittees,
  type RunningCommittees,
} from '../fixtures/service';

const NOMINATE = /* GraphQL */ `
  mutation ($input: NominateCertifierInput!) {
    nominateCertifier(input: $input) {
      id
      committee {
        id
      }
      standard {
        id
      }
      organization {
        id
      }
    }
  }
`;

let running: RunningCommittees;
let participants: Awaited<ReturnType<typeof registerParticipants>>;
let committeeId: string;
let otherCommitteeId: string;

const client = () => running.client;

const published = (standardId: string, owner: string) =>
  standardEventMother.published(owner, participants.sectorId, standardId);

/** Waits until the projection shows the standard in `status` (the consumer is asynchronous). */
const projected = (standardId: string, status: string) =>
  running.eventually(async () => {
    const view = await running.service.stores.standards.findById(standardId);
    return view?.status === status ? view : null;
  }, 30_000);

async function installedCommittee() {
  const { sectorId, chamberId, unionId } = participants;
  const { id } = (
    await client().ok(GQL.propose, { input: input.national(sectorId) }, admin)
  ).proposeCommittee;
  await client().ok(
    GQL.addMember,
    { input: input.employerMember(id, chamberId) },
    admin,
  );
  await client().ok(
    GQL.addMember,
    {
      input: input.laborMember(id, unionId, {
        decisionMakerRole: 'UNION_GENERAL_SECRETARY',
      }),
    },
    admin,
  );
  await client().ok(
    GQL.appointChair,
    { input: { committeeId: id, organizationId: chamberId } },
    admin,
  );
  await client().ok(GQL.install, { id }, council);
  return id as string;
}

async function registerCertifier() {
  return (
    await client().ok(
      GQL.registerOrganization,
      { input: organizationMother.university() },
      admin,
    )
  ).registerOrganization.id as string;
}

beforeAll(async () => {
  running = await startCommittees('committee-nominations');
  participants = await registerParticipants(running.client);
  committeeId = await installedCommittee();
  otherCommitteeId = await installedCommittee();
});

afterAll(async () => {
  await running?.stop();
});

describe('nominating certifiers', () => {
  it('accepts a nomination once the standard’s publication arrives through Kafka, and counts it', async () => {
    const standardId = uuidv7();
    await running.publish(published(standardId, committeeId));
    await projected(standardId, 'PUBLISHED');

    const certifiers = [await registerCertifier(), await registerCertifier()];
    for (const organizationId of certifiers) {
      const res = await client().ok(
        NOMINATE,
        { input: { committeeId, standardId, organizationId } },
        memberOf(participants.chamberId),
      );
      expect(res.nominateCertifier).toMatchObject({
        committee: { id: committeeId },
        standard: { id: standardId },
        organization: { id: organizationId },
      });
    }

    const events = await readEvents({
      brokers: running.infra.kafkaBrokers,
      topic: `${running.infra.topicPrefix}conecta.committees.events`,
      until: (m) =>
        m.key === standardId &&
        m.event.type === 'committees.CertifierNominated',
      count: 2,
    });
    expect(events.map((m) => m.event.data)).toEqual([
      expect.objectContaining({
        committeeId,
        standardId,
        organizationId: certifiers[0],
        nominationCount: 1,
      }),
      expect.objectContaining({
        organizationId: certifiers[1],
        nominationCount: 2,
      }),
    ]);

    const entity = await client().ok(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on CompetencyStandard { id nominationCount nominations { organization { id } } } } }`,
      { r: [{ __typename: 'CompetencyStandard', id: standardId }] },
      {},
    );
    expect(entity._entities[0]).toMatchObject({
      id: standardId,
      nominationCount: 2,
    });
  });

  it('refuses nominating the same organization twice for a standard', async () => {
    const standardId = uuidv7();
    await running.publish(published(standardId, committeeId));
    await projected(standardId, 'PUBLISHED');
    const organizationId = await registerCertifier();
    const nomination = { input: { committeeId, standardId, organizationId } };
    await client().ok(NOMINATE, nomination, admin);
    const again = await client().request(NOMINATE, nomination, admin);
    expect(again.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'NOMINATION_DUPLICATE',
      field: 'input.organizationId',
    });
  });

  it('refuses a standard that was never published, and one of another committee', async () => {
    const organizationId = await registerCertifier();
    const unknown = await client().request(
      NOMINATE,
      { input: { committeeId, standardId: uuidv7(), organizationId } },
      admin,
    );
    expect(unknown.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'STANDARD_NOT_PUBLISHED',
      field: 'input.standardId',
    });

    const theirs = uuidv7();
    await running.publish(published(theirs, otherCommitteeId));
    await projected(theirs, 'PUBLISHED');
    const res = await client().request(
      NOMINATE,
      { input: { committeeId, standardId: theirs, organizationId } },
      admin,
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'STANDARD_OF_ANOTHER_COMMITTEE',
    });
  });

  it('stops nominations once the standard is withdrawn, and ignores a redelivered publication', async () => {
    const standardId = uuidv7();
    const publication = published(standardId, committeeId);
    await running.publish(publication);
    await projected(standardId, 'PUBLISHED');
    const withdrawal = newEvent(StandardWithdrawnV1, {
      subject: standardId,
      data: {
        id: standardId,
        code: 'EC0217',
        version: 1,
        committeeId,
        sectorId: participants.sectorId,
        level: 3,
        reason: 'Sustituido por la norma técnica revisada',
        withdrawnAt: '2026-03-01T12:00:00.000Z',
      },
    });
    // The publication again (at-least-once delivery), then the withdrawal.
    await running.publish(publication, withdrawal);
    await projected(standardId, 'WITHDRAWN');

    const res = await client().request(
      NOMINATE,
      {
        input: {
          committeeId,
          standardId,
          organizationId: await registerCertifier(),
        },
      },
      admin,
    );
    expect(res.errors?.[0]?.extensions?.reason).toBe('STANDARD_NOT_PUBLISHED');
  });

  it('lets only admins and committee members of a member organization nominate', async () => {
    const standardId = uuidv7();
    await running.publish(published(standardId, committeeId));
    await projected(standardId, 'PUBLISHED');
    const res = await client().request(
      NOMINATE,
      {
        input: {
          committeeId,
          standardId,
          organizationId: await registerCertifier(),
        },
      },
      memberOf(participants.universityId),
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'NOT_A_MEMBER_ORGANIZATION',
    });
  });
});

describe('federation', () => {
  it('resolves CompetencyStandard references through _entities, N nomination lists in one query', async () => {
    const standards = [uuidv7(), uuidv7(), uuidv7()];
    const spy = jest.spyOn(
      running.service.stores.nominations,
      'findByStandardIds',
    );
    const res = await client().ok(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on CompetencyStandard { id nominationCount nominations { id } } } }`,
      { r: standards.map((id) => ({ __typename: 'CompetencyStandard', id })) },
      {},
    );
    expect(res._entities).toEqual(
      standards.map((id) => ({ id, nominationCount: 0, nominations: [] })),
    );
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });
});
