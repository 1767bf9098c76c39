import type { AsIdentity, IsolatedInfra, TestClient } from '@conecta/test-kit';
import type { CertificationService } from '../../src/server';
import {
  accredited,
  admin,
  certifyingBody,
  extensionsOf,
  type Body,
  certifiedAndExported,
} from '../fixtures/flows';
import type { StandardFacts } from '../fixtures/network';
import { restartCertification, startCertification } from '../fixtures/service';

// Verification counts (issue 15, item 6), over the real service on FerretDB:
// public verifications by code and by credential are counted per day,
// standard, body and channel, in memory, and flushed in batches; the body's
// staff, admins and the council read them; nothing personal is stored.

const VERIFY = `query ($c: String!) { verifyCertificate(code: $c) { status } }`;
const VERIFY_VC = `query ($jwt: String!) { verifyCredential(jwt: $jwt) { valid } }`;
const COUNTS = `query ($b: ID, $s: ID, $from: String, $to: String) {
  verificationCounts(certifyingBodyId: $b, standardId: $s, from: $from, to: $to) {
    day channel count standard { id } certifyingBody { id }
  }
}`;
const publicCaller: AsIdentity = {};
const council: AsIdentity = { subject: 'council-1', roles: ['council'] };

let infra: IsolatedInfra;
let service: CertificationService;
let client: TestClient;
let network: Awaited<ReturnType<typeof startCertification>>['network'];
let eventually: Awaited<ReturnType<typeof startCertification>>['eventually'];
let standard: StandardFacts;
let body: Body;
let otherBody: Body;

const issued = (issuer: Body) => certifiedAndExported(client, issuer, standard);

beforeAll(async () => {
  ({ infra, service, client, network, eventually } = await startCertification(
    'certification-verification-counts',
  ));
  const orgs = [
    await network.organization('CONALEP Jalisco'),
    await network.organization('CANACINTRA Guadalajara'),
    await network.organization('CROC Jalisco'),
  ];
  standard = await network.publishedStandard();
  await network.nominate(standard, orgs);
  body = await certifyingBody(client, 'CONALEP Jalisco', orgs[0]!);
  otherBody = await certifyingBody(client, 'CANACINTRA Guadalajara', orgs[1]!);
  await accredited(client, body, standard);
  await accredited(client, otherBody, standard);
}, 120_000);

afterAll(async () => {
  await network?.stop();
  await service?.stop();
  await infra?.cleanup();
});

it('counts public verifications by code and by credential per standard and body, flushed within seconds, for the body’s staff, admins and the council', async () => {
  const mine = await issued(body);
  const theirs = await issued(otherBody);
  for (let i = 0; i < 3; i += 1)
    await client.ok(VERIFY, { c: mine.code }, publicCaller);
  for (let i = 0; i < 2; i += 1)
    await client.ok(VERIFY_VC, { jwt: mine.jwt }, publicCaller);
  await client.ok(VERIFY, { c: theirs.code }, publicCaller);
  // An unknown code and a forged credential count nothing.
  await client.ok(VERIFY, { c: 'A'.repeat(26) }, publicCaller);
  await client.ok(VERIFY_VC, { jwt: `${mine.jwt}x` }, publicCaller);

  const today = new Date().toISOString().slice(0, 10);
  const expected = [
    {
      day: today,
      channel: 'CODE',
      count: 3,
      standard: { id: standard.id },
      certifyingBody: { id: body.id },
    },
    {
      day: today,
      channel: 'CREDENTIAL',
      count: 2,
      standard: { id: standard.id },
      certifyingBody: { id: body.id },
    },
  ];
  // Flushed every 5 s: the counts appear without anyone forcing a write.
  const counted = await eventually(async () => {
    const { verificationCounts } = await client.ok(
      COUNTS,
      { b: body.id },
      body.certifier,
    );
    return verificationCounts.length === 2 ? verificationCounts : null;
  }, 20_000);
  expect(counted).toEqual(expect.arrayContaining(expected));

  // Admins and the council see the same; across bodies by standard too.
  for (const caller of [admin, council]) {
    expect(
      (await client.ok(COUNTS, { b: body.id }, caller)).verificationCounts,
    ).toEqual(expect.arrayContaining(expected));
  }
  const byStandard = (
    await client.ok(COUNTS, { s: standard.id, from: today, to: today }, council)
  ).verificationCounts;
  expect(byStandard).toHaveLength(3);
  expect(byStandard).toContainEqual(
    expect.objectContaining({
      channel: 'CODE',
      count: 1,
      certifyingBody: { id: otherBody.id },
    }),
  );

  // Nothing personal is stored: the documents hold a day, two ids, a channel, a count.
  const docs = await service.stores.verificationCounts.model.collection
    .find({})
    .toArray();
  for (const doc of docs) {
    expect(Object.keys(doc).sort()).toEqual(
      [
        '_id',
        'certifyingBodyId',
        'channel',
        'count',
        'day',
        'standardId',
      ].sort(),
    );
    const text = JSON.stringify(doc);
    for (const secret of [mine.code, mine.person.id, mine.person.curp])
      expect(text).not.toContain(secret);
  }
});

it('refuses the counts to the public, to another body’s staff, and a standard’s counts across bodies to a body’s staff', async () => {
  const refusals: [Record<string, string>, AsIdentity, string[]][] = [
    [{ b: body.id }, publicCaller, ['UNAUTHENTICATED', 'FORBIDDEN']],
    [{ b: body.id }, otherBody.certifier, ['FORBIDDEN']],
    [{ s: standard.id }, body.certifier, ['FORBIDDEN']],
  ];
  for (const [variables, caller, codes] of refusals) {
    const res = await client.request(COUNTS, variables, caller);
    expect(codes).toContain(extensionsOf(res)?.['code']);
  }
  const noFilter = await client.request(COUNTS, {}, admin);
  expect(extensionsOf(noFilter)).toMatchObject({ code: 'BAD_USER_INPUT' });
  const tooLong = await client.request(
    COUNTS,
    { b: body.id, from: '2024-01-01', to: '2025-06-01' },
    admin,
  );
  expect(extensionsOf(tooLong)).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'from',
  });
});

// The public check a partner app makes names the standard's code, title and
// level: certification answers them from its projection (@provides), so the
// gateway asks standards nothing. Projections written before the level was
// kept get it on the next start, from a replay of the standards topic.
const VERIFY_STANDARD = `query ($c: String!) { verifyCertificate(code: $c) { standard { id code title level } } }`;

it('answers the standard’s code, title and level with the verification, and fills the level of an older projection on the next start', async () => {
  const { code } = await issued(body);
  const expected = {
    id: standard.id,
    code: standard.code,
    title:
      'Impartición de cursos de formación del capital humano de manera presencial grupal',
    level: 3,
  };
  const verified = await client.ok(VERIFY_STANDARD, { c: code }, publicCaller);
  expect(verified.verifyCertificate.standard).toEqual(expected);

  // A projection as an earlier release wrote it: no level.
  await service.stores.projections.standards.collection.updateOne(
    { _id: standard.id } as never,
    { $unset: { level: '' } },
  );
  expect(await service.stores.projections.lacksLevels()).toBe(true);
  await service.stop();

  ({ service, client } = await restartCertification(infra));
  await eventually(
    async () => !(await service.stores.projections.lacksLevels()),
  );
  const again = await client.ok(VERIFY_STANDARD, { c: code }, publicCaller);
  expect(again.verifyCertificate.standard).toEqual(expected);
});
