import {
  retrying,
  type AsIdentity,
  type IsolatedInfra,
  type TestClient,
} from '@conecta/test-kit';
import type { CertificationService } from '../../src/server';
import { startCertification } from '../fixtures/service';

// Issue 12, finding 7a: the names and sign-in subjects of a certifying body's
// staff were public, on every path to the body (the root query, an
// organization's `certifyingBody`, `_entities`). They are the body's own
// staff list: admins and the body's staff read it; everyone else an empty one.
const admin: AsIdentity = { subject: 'admin-1', roles: ['admin'] };

const REGISTER_BODY = `mutation ($input: RegisterCertifyingBodyInput!) { registerCertifyingBody(input: $input) { id } }`;
const SET_STAFF = `mutation ($b: ID!, $m: StaffMemberInput!) { setStaffMember(certifyingBodyId: $b, member: $m) { id } }`;
const STAFF_EVERYWHERE = `query ($id: ID!, $r: [_Any!]!) {
  certifyingBody(id: $id) { staff { subject name roles } }
  _entities(representations: $r) {
    ... on CertifyingBody { staff { subject name } }
    ... on Organization { certifyingBody { staff { subject name } } }
  }
}`;

let infra: IsolatedInfra;
let service: CertificationService;
let client: TestClient;
let network: Awaited<ReturnType<typeof startCertification>>['network'];
let bodyId: string;
let organizationId: string;
let otherOrganizationId: string;

beforeAll(async () => {
  ({ infra, service, client, network } = await startCertification(
    'certification-staff-access',
  ));
  organizationId = await network.organization('Universidad de Guadalajara');
  otherOrganizationId = await network.organization('CANIETI Occidente');
  const { registerCertifyingBody } = await retrying(() =>
    client.ok(
      REGISTER_BODY,
      {
        input: {
          organizationId,
          kind: 'UNIVERSITY',
          facilities: [{ state: 'MX-JAL', city: 'Guadalajara' }],
        },
      },
      admin,
    ),
  );
  bodyId = registerCertifyingBody.id;
  await client.ok(
    SET_STAFF,
    {
      b: bodyId,
      m: { subject: 'ana@udg', name: 'Ana Evaluadora', roles: ['EVALUATOR'] },
    },
    admin,
  );
}, 120_000);

afterAll(async () => {
  await network?.stop();
  await service?.stop();
  await infra?.cleanup();
});

const staffSeenBy = async (as: AsIdentity) => {
  const data = await client.ok(
    STAFF_EVERYWHERE,
    {
      id: bodyId,
      r: [
        { __typename: 'CertifyingBody', id: bodyId },
        { __typename: 'Organization', id: organizationId },
      ],
    },
    as,
  );
  return [
    data.certifyingBody.staff,
    data._entities[0].staff,
    data._entities[1].certifyingBody.staff,
  ];
};

describe('a certifying body’s staff list', () => {
  it.each<[string, AsIdentity]>([
    ['the public', {}],
    ['a partner app', { subject: 'app', roles: ['partner'] }],
    [
      'a certifier of another organization',
      {
        subject: 'ana@udg',
        roles: ['certifier'],
        organizationId: 'not-the-body',
      },
    ],
    ['a broker', { subject: 'broker-1', roles: ['broker'] }],
  ])('is empty for %s on every path', async (_who, as) => {
    const other = { ...as };
    if (other.organizationId === 'not-the-body')
      other.organizationId = otherOrganizationId;
    expect(await staffSeenBy(other)).toEqual([[], [], []]);
  });

  it.each<[string, () => AsIdentity]>([
    ['an admin', () => admin],
    [
      'its own staff',
      () => ({ subject: 'ana@udg', roles: ['certifier'], organizationId }),
    ],
  ])('is read by %s on every path', async (_who, as) => {
    const paths = await staffSeenBy(as());
    for (const staff of paths)
      expect(staff).toEqual([
        expect.objectContaining({ subject: 'ana@udg', name: 'Ana Evaluadora' }),
      ]);
  });
});
