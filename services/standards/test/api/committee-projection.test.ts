import { v7 as uuidv7 } from 'uuid';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import type { EventEnvelope } from '@conecta/events';
import { legacyAgendaItemId } from '@conecta/events/contracts';
import { loadConfig } from '@conecta/service-kit';
import {
  retrying,
  startSubgraph,
  type AsIdentity,
  type IsolatedInfra,
  type TestClient,
} from '@conecta/test-kit';
import type { CommitteeView } from '../../src/domain/committee';
import { standardsConfig } from '../../src/env';
import {
  createStandardsService,
  type StandardsService,
} from '../../src/server';
import { committeeMother, standardMother } from '../fixtures/mothers';

// The committee projection fed through real Kafka: events published by a plain
// kafkajs producer, as the committees service's relay would publish them.
const DRAFT = `mutation ($input: DraftStandardInput!) { draftStandard(input: $input) { id status } }`;
const STANDARD = `query ($id: ID!) { standard(id: $id) { id } }`;

let infra: IsolatedInfra;
let service: StandardsService;
let client: TestClient;
let producer: Producer;

const memberOf = (committee: CommitteeView, index = 0): AsIdentity => ({
  subject: `member-${index}`,
  roles: ['committee_member'],
  organizationId: committee.memberOrganizationIds[index],
});

async function publish(event: EventEnvelope): Promise<void> {
  await producer.send({
    topic: `${infra.topicPrefix}conecta.committees.events`,
    messages: [{ key: event.subject, value: JSON.stringify(event) }],
  });
}

beforeAll(async () => {
  const running = await startSubgraph({
    name: 'standards',
    label: 'standards-projection',
    config: (env) => loadConfig(standardsConfig, env),
    create: createStandardsService,
  });
  ({ infra, service, client } = running);
  producer = new Kafka({
    clientId: 'committees-test-producer',
    brokers: infra.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  }).producer();
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await service?.stop();
  await infra?.cleanup();
});

describe('the committee projection, fed from Kafka', () => {
  it('accepts a draft once CommitteeInstalled arrives, and refuses one for a committee never installed', async () => {
    const installed = committeeMother.installed();
    const neverInstalled = committeeMother.installed();
    await publish(committeeMother.installedEvent(installed));
    await publish(committeeMother.agendaPublishedEvent(installed));

    const draft = await retrying(() =>
      client.ok(
        DRAFT,
        { input: standardMother.draftInput(installed) },
        memberOf(installed),
      ),
    );
    expect(draft.draftStandard.status).toBe('DRAFT');

    const refused = await client.request(
      DRAFT,
      { input: standardMother.draftInput(neverInstalled) },
      { subject: 'admin-1', roles: ['admin'] },
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'COMMITTEE_NOT_INSTALLED',
    });
  });

  it('applies a redelivered CommitteeInstalled once, and a dissolution stops new drafts', async () => {
    const committee = committeeMother.installed();
    const installedEvent = committeeMother.installedEvent(committee);
    await publish(installedEvent);
    await publish(installedEvent);
    await publish(committeeMother.agendaPublishedEvent(committee));
    await retrying(() =>
      client.ok(
        DRAFT,
        { input: standardMother.draftInput(committee) },
        memberOf(committee),
      ),
    );
    await publish(committeeMother.dissolvedEvent(committee));
    await retrying(async () => {
      const res = await client.request(
        DRAFT,
        { input: standardMother.draftInput(committee) },
        memberOf(committee),
      );
      expect(res.errors?.[0]?.extensions?.reason).toBe(
        'COMMITTEE_NOT_INSTALLED',
      );
    });
    const [doc] = await service.stores.committees.model.collection
      .find({ _id: committee.id } as never)
      .toArray();
    // Installed (once), its agenda, dissolved.
    expect(doc?.appliedEventIds).toHaveLength(3);
  });

  it('follows CommitteeMembersChanged: a new member organization sees the drafts', async () => {
    const committee = committeeMother.installed();
    await publish(committeeMother.installedEvent(committee));
    await publish(committeeMother.agendaPublishedEvent(committee));
    const { draftStandard } = await retrying(() =>
      client.ok(
        DRAFT,
        { input: standardMother.draftInput(committee) },
        memberOf(committee),
      ),
    );
    const newcomer = '0190a5b0-1111-7000-8000-000000000001';
    const asNewcomer = {
      subject: 'newcomer',
      roles: ['committee_member' as const],
      organizationId: newcomer,
    };
    expect(
      (await client.ok(STANDARD, { id: draftStandard.id }, asNewcomer))
        .standard,
    ).toBeNull();
    await publish(
      committeeMother.membersChangedEvent(committee, [
        ...committee.memberOrganizationIds,
        newcomer,
      ]),
    );
    await retrying(async () => {
      const res = await client.ok(
        STANDARD,
        { id: draftStandard.id },
        asNewcomer,
      );
      expect(res.standard?.id).toBe(draftStandard.id);
    });
  });

  it('refuses drafts until the agenda arrives, then only for items of the version in force', async () => {
    const committee = committeeMother.installed();
    const first = committee.agenda!;
    const [kept, , retired] = first.items;
    const draftFor = (agendaItemId: string) =>
      client.request(
        DRAFT,
        { input: standardMother.draftInput(committee, { agendaItemId }) },
        memberOf(committee),
      );
    await publish(committeeMother.installedEvent(committee));
    // Installed, no agenda heard of yet: NO_AGENDA_IN_FORCE, nothing written.
    await retrying(async () => {
      const res = await draftFor(kept!.id);
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: 'CONFLICT',
        reason: 'NO_AGENDA_IN_FORCE',
        field: 'input.agendaItemId',
      });
    });
    expect(
      await service.stores.standards.model.countDocuments({
        committeeId: committee.id,
      }),
    ).toBe(0);

    await publish(committeeMother.agendaPublishedEvent(committee));
    const drafted = await retrying(async () => {
      const res = await draftFor(kept!.id);
      expect(res.errors).toBeUndefined();
      return res.data!.draftStandard;
    });
    expect(drafted.status).toBe('DRAFT');

    // Version 2 retires the third item; version 1 redelivered after it
    // changes nothing.
    const second = { ...first, version: 2, items: first.items.slice(0, 2) };
    await publish(committeeMother.agendaPublishedEvent(committee, second));
    await publish(committeeMother.agendaPublishedEvent(committee, first));
    await retrying(async () => {
      const res = await draftFor(retired!.id);
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: 'CONFLICT',
        reason: 'AGENDA_ITEM_NOT_IN_FORCE',
      });
    });
    // An event behind the redelivered version 1 on the same partition: once
    // it is applied, version 1 has been handled too.
    const members = [...committee.memberOrganizationIds, uuidv7()];
    await publish(committeeMother.membersChangedEvent(committee, members));
    const stored = await retrying(async () => {
      const [view] = await service.stores.committees.findByIds([committee.id]);
      expect(view?.memberOrganizationIds).toEqual(members);
      return view;
    });
    expect(stored?.agenda?.version).toBe(2);
  });

  it('reads an agenda event published before items had ids, with the ids committees derives', async () => {
    const committee = committeeMother.installed();
    await publish(committeeMother.installedEvent(committee));
    await publish(
      committeeMother.agendaPublishedEvent(committee, committee.agenda!, {
        legacy: true,
      }),
    );
    const item = committee.agenda!.items[0]!;
    const { draftStandard } = await retrying(() =>
      client.ok(
        DRAFT,
        {
          input: standardMother.draftInput(committee, {
            agendaItemId: legacyAgendaItemId(committee.id, item),
          }),
        },
        memberOf(committee),
      ),
    );
    expect(draftStandard.status).toBe('DRAFT');
  });
});
