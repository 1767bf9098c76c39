import {
  retrying,
  readEvents,
  type AsIdentity,
  type IsolatedInfra,
  type TestClient,
} from '@conecta/test-kit';
import { importedEvaluationId } from '../../src/domain/historical-import';
import type { CertificationService } from '../../src/server';
import { personMother } from '../fixtures/mothers';
import type { StandardFacts } from '../fixtures/network';
import { startCertification } from '../fixtures/service';
import { withApprovedProcedure } from '../fixtures/flows';
import { readWholeTopic } from '../fixtures/topic';

const admin: AsIdentity = { subject: 'admin-migracion', roles: ['admin'] };
const publicCaller: AsIdentity = {};

const IMPORT = `mutation ($input: ImportHistoricalCertificatesInput!) {
  importHistoricalCertificates(input: $input) {
    source imported alreadyImported peopleRegistered
    records {
      folio outcome
      certificate {
        id status issuedAt expiresAt verificationCode
        holder { id }
        provenance { source folio importedBy importedAt }
      }
    }
  }
}`;
const REGISTER_BODY = `mutation ($input: RegisterCertifyingBodyInput!) { registerCertifyingBody(input: $input) { id } }`;
const REQUEST = `mutation ($b: ID!, $s: ID!) { requestAccreditation(certifyingBodyId: $b, standardId: $s) { id } }`;
const ACTIVATE = `mutation ($id: ID!) { activateAccreditation(id: $id) { status } }`;
const REGISTER_PERSON = `mutation ($input: RegisterPersonInput!) { registerPerson(input: $input) { person { id } } }`;
const VERIFY = `query ($c: String!) { verifyCertificate(code: $c) { status standardCode issuerName holderInitials issuedAt expiresAt } }`;
const VERIFY_VC = `query ($jwt: String!) { verifyCredential(jwt: $jwt) { valid expired revoked signatureValid } }`;

const DAY_MS = 86_400_000;
/** The calendar date `days` before today (UTC), YYYY-MM-DD. */
const daysAgo = (days: number) =>
  new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10);

let infra: IsolatedInfra;
let service: CertificationService;
let client: TestClient;
let network: Awaited<ReturnType<typeof startCertification>>['network'];
let standard: StandardFacts;
let udgId: string;
let unionId: string;
let unionOrganizationId: string;
let folioSeq = 0;

/** A legacy record: a new person certified `issuedDaysAgo` days ago by UdeG, evaluated 10 days before. */
function record(
  issuedDaysAgo: number,
  overrides: Record<string, unknown> = {},
) {
  folioSeq += 1;
  const { email: _email, phone: _phone, ...person } = personMother.candidate();
  return {
    folio: `RENEC-${String(folioSeq).padStart(6, '0')}`,
    person,
    standardId: standard.id,
    certifyingBodyId: udgId,
    evaluatedOn: daysAgo(issuedDaysAgo + 10),
    issuedOn: daysAgo(issuedDaysAgo),
    ...overrides,
  };
}

const importAs = (
  as: AsIdentity,
  source: string,
  records: ReturnType<typeof record>[],
) => client.request(IMPORT, { input: { source, records } }, as);

async function importOk(source: string, records: ReturnType<typeof record>[]) {
  const res = await importAs(admin, source, records);
  expect(res.errors).toBeUndefined();
  return res.data.importHistoricalCertificates;
}

const certificatesOf = (source: string) =>
  service.stores.certificates.model.countDocuments({
    'provenance.source': source,
  });

beforeAll(async () => {
  ({ infra, service, client, network } = await startCertification(
    'certification-import',
  ));

  const orgs = [
    await network.organization('Universidad de Guadalajara'),
    await network.organization('Sindicato Nacional de Telefonistas', 'MX-NLE'),
    await network.organization('CANIETI Occidente'),
  ];
  unionOrganizationId = orgs[1]!;
  // Gazetted in 2018: a legacy registry has certificates against it since then.
  standard = await network.publishedStandard({ gazetteDate: '2018-03-01' });
  await network.nominate(standard, orgs);
  const register = async (organizationId: string) =>
    (
      await retrying(() =>
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
      )
    ).registerCertifyingBody.id as string;
  udgId = await register(orgs[0]!);
  unionId = await register(orgs[1]!);
  const { requestAccreditation } = await retrying(() =>
    client.ok(REQUEST, { b: udgId, s: standard.id }, admin),
  );
  await withApprovedProcedure(client, udgId);
  await retrying(async () => {
    const res = await client.ok(
      ACTIVATE,
      { id: requestAccreditation.id },
      admin,
    );
    expect(res.activateAccreditation.status).toBe('ACTIVE');
  });
  // The union asked for an accreditation that never became active.
  await client.ok(REQUEST, { b: unionId, s: standard.id }, admin);
}, 120_000);

afterAll(async () => {
  await network?.stop();
  await service?.stop();
  await infra?.cleanup();
});

describe('importing a legacy registry', () => {
  it('imports certificates that verify publicly as VALID or EXPIRED by their dates, export as credentials and remind before expiry', async () => {
    const source = 'RENEC 2019–2025 migration';
    const known = personMother.candidate();
    const { registerPerson } = await client.ok(
      REGISTER_PERSON,
      { input: known },
      admin,
    );
    const records = [
      // Issued in 2019 with 3-year validity: long expired.
      record(0, { evaluatedOn: '2019-04-28', issuedOn: '2019-05-10' }),
      // Issued a month ago: valid for three more years.
      record(30),
      // A registered person whose certificate expires in about 60 days.
      record(3 * 365 - 60, {
        person: {
          curp: known.curp,
          givenNames: 'Otro',
          firstSurname: 'Nombre',
        },
      }),
    ];
    const result = await importOk(source, records);
    expect(result).toMatchObject({
      source,
      imported: 3,
      alreadyImported: 0,
      peopleRegistered: 2,
    });
    const [expired, valid, expiring] = result.records;
    expect(result.records.map((r: any) => [r.folio, r.outcome])).toEqual(
      records.map((r) => [r.folio, 'IMPORTED']),
    );
    expect(expired.certificate).toMatchObject({
      status: 'EXPIRED',
      issuedAt: '2019-05-10T12:00:00.000Z',
      expiresAt: '2022-05-10T12:00:00.000Z',
      provenance: {
        source,
        folio: records[0]!.folio,
        importedBy: 'admin-migracion',
        importedAt: expect.any(String),
      },
    });
    expect(valid.certificate.status).toBe('VALID');
    expect(expiring.certificate.holder.id).toBe(registerPerson.person.id);

    // Anyone verifies them with their codes, each with its own code.
    const codes = result.records.map(
      (r: any) => r.certificate.verificationCode,
    );
    expect(new Set(codes).size).toBe(3);
    const verified = await Promise.all(
      codes.map(
        async (c: string) =>
          (await client.ok(VERIFY, { c }, publicCaller)).verifyCertificate,
      ),
    );
    expect(verified.map((v: any) => v.status)).toEqual([
      'EXPIRED',
      'VALID',
      'VALID',
    ]);
    expect(verified[0]).toMatchObject({
      standardCode: standard.code,
      issuerName: 'Universidad de Guadalajara',
      issuedAt: '2019-05-10T12:00:00.000Z',
    });
    expect(verified[2].holderInitials).toBe('M.G.L.R.');

    // The audit trail is for admins: the public sees neither it nor the code.
    const seenByPublic = await client.ok(
      `query ($id: ID!) { certificate(id: $id) { status provenance { source } verificationCode } }`,
      { id: valid.certificate.id },
      publicCaller,
    );
    expect(seenByPublic.certificate).toEqual({
      status: 'VALID',
      provenance: null,
      verificationCode: null,
    });

    // Exported as a Verifiable Credential that verifies (or says it expired).
    const exported = async (id: string) =>
      (
        await client.ok(
          `query ($id: ID!) { exportCredential(certificateId: $id) { jwt } }`,
          { id },
          admin,
        )
      ).exportCredential.jwt;
    expect(
      (
        await client.ok(
          VERIFY_VC,
          { jwt: await exported(valid.certificate.id) },
          publicCaller,
        )
      ).verifyCredential,
    ).toEqual({
      valid: true,
      expired: false,
      revoked: false,
      signatureValid: true,
    });
    expect(
      (
        await client.ok(
          VERIFY_VC,
          { jwt: await exported(expired.certificate.id) },
          publicCaller,
        )
      ).verifyCredential,
    ).toMatchObject({ valid: false, expired: true, signatureValid: true });

    // Expiry reminders count it like any other certificate.
    const reminders = await client.ok(
      `query ($p: ID!) { expiringCertificates(withinDays: 90, personId: $p) { id } }`,
      { p: registerPerson.person.id },
      admin,
    );
    expect(reminders.expiringCertificates).toEqual([
      { id: expiring.certificate.id },
    ]);

    // The evaluation each one comes with, marked imported.
    const { evaluation } = await client.ok(
      `query ($id: ID!) { evaluation(id: $id) { result evaluatorSubject evaluatedAt provenance { folio } } }`,
      { id: importedEvaluationId(source, records[1]!.folio) },
      admin,
    );
    expect(evaluation).toEqual({
      result: 'COMPETENT',
      evaluatorSubject: 'legacy-import:evaluator',
      evaluatedAt: `${records[1]!.evaluatedOn}T12:00:00.000Z`,
      provenance: { folio: records[1]!.folio },
    });

    // CertificateIssued reached Kafka with the historical issue date, marked imported.
    const ids = new Set(result.records.map((r: any) => r.certificate.id));
    const issued = await readEvents({
      brokers: infra.kafkaBrokers,
      topic: `${infra.topicPrefix}conecta.certification.events`,
      until: (m) =>
        ids.has(m.key) && m.event.type === 'certification.CertificateIssued',
      count: 3,
    });
    const expiredEvent = issued.find((m) => m.key === expired.certificate.id);
    expect(expiredEvent?.event).toMatchObject({
      occurredAt: '2019-05-10T12:00:00.000Z',
      data: {
        issuedAt: '2019-05-10T12:00:00.000Z',
        expiresAt: '2022-05-10T12:00:00.000Z',
        evaluationId: importedEvaluationId(source, records[0]!.folio),
        imported: { source, reference: records[0]!.folio },
      },
    });
    expect(JSON.stringify(issued)).not.toContain(known.curp);
    // The two people it registered were announced as registration does.
    const newHolders = new Set([
      expired.certificate.holder.id,
      valid.certificate.holder.id,
    ]);
    await readEvents({
      brokers: infra.kafkaBrokers,
      topic: `${infra.topicPrefix}conecta.certification.events`,
      until: (m) =>
        newHolders.has(m.key) &&
        m.event.type === 'certification.PersonRegistered',
      count: 2,
    });
  });

  it('is idempotent: a batch sent again, even twice at once, reports ALREADY_IMPORTED and duplicates nothing', async () => {
    const source = 'Registro estatal de Jalisco 2020';
    const batch = [record(400), record(800), record(1_500)];
    const first = await importOk(source, batch);
    expect(first.imported).toBe(3);

    const again = await importOk(source, [...batch, record(20)]);
    expect(again).toMatchObject({
      imported: 1,
      alreadyImported: 3,
      peopleRegistered: 1,
    });
    expect(
      again.records.slice(0, 3).map((r: any) => [r.outcome, r.certificate.id]),
    ).toEqual(
      first.records.map((r: any) => ['ALREADY_IMPORTED', r.certificate.id]),
    );
    expect(await certificatesOf(source)).toBe(4);

    // Two admins sending the same new batch at the same moment.
    const raced = [record(100), record(200), record(300)];
    const [a, b] = await Promise.all([
      importOk(source, raced),
      importOk(source, raced),
    ]);
    expect(a.imported + b.imported).toBe(3);
    expect(a.records.map((r: any) => r.certificate.id)).toEqual(
      b.records.map((r: any) => r.certificate.id),
    );
    expect(await certificatesOf(source)).toBe(7);
    expect(
      await service.stores.people.model.countDocuments({
        curp: { $in: raced.map((r) => r.person.curp) },
      }),
    ).toBe(3);

    // Exactly one CertificateIssued per certificate reached Kafka.
    await service.relay.flush();
    const ids = new Set<string>([
      ...again.records.map((r: any) => r.certificate.id),
      ...a.records.map((r: any) => r.certificate.id),
    ]);
    const events = await readWholeTopic(
      infra.kafkaBrokers,
      `${infra.topicPrefix}conecta.certification.events`,
    );
    const issued = events.filter(
      (m) =>
        m.event.type === 'certification.CertificateIssued' && ids.has(m.key!),
    );
    expect(issued.map((m) => m.key).sort()).toEqual([...ids].sort());
  });

  it('refuses the whole batch when any record is bad, naming each field and reason, and writes nothing', async () => {
    const source = 'Registro con errores';
    const malformed = [record(100), record(200), record(300)];
    malformed[2]!.person.curp = `${malformed[2]!.person.curp.slice(0, 17)}${
      (Number(malformed[2]!.person.curp.slice(17)) + 1) % 10
    }`;
    const shape = await importAs(admin, source, malformed);
    expect(shape.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_CURP',
      field: 'input.records[2].person.curp',
    });

    const records = [
      record(100),
      record(0, { evaluatedOn: '2018-02-01', issuedOn: '2018-02-20' }),
      record(50),
      record(-3),
      record(60, { certifyingBodyId: unionId }),
    ];
    const res = await importAs(admin, source, records);
    expect(res.data).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'EVALUATED_BEFORE_GAZETTE',
      field: 'input.records[1].evaluatedOn',
      problems: [
        {
          field: 'input.records[1].evaluatedOn',
          reason: 'EVALUATED_BEFORE_GAZETTE',
          message: expect.any(String),
        },
        {
          field: 'input.records[1].issuedOn',
          reason: 'ISSUED_BEFORE_GAZETTE',
          message: expect.any(String),
        },
        {
          field: 'input.records[3].issuedOn',
          reason: 'ISSUED_NOT_IN_PAST',
          message: 'must be before today',
        },
        {
          field: 'input.records[4].certifyingBodyId',
          reason: 'BODY_NOT_ACCREDITED',
          message: expect.any(String),
        },
      ],
    });
    // Nothing written: no certificate, evaluation or person of the batch.
    expect(await certificatesOf(source)).toBe(0);
    expect(
      await service.stores.evaluations.model.countDocuments({
        _id: { $in: records.map((r) => importedEvaluationId(source, r.folio)) },
      }),
    ).toBe(0);
    expect(
      await service.stores.people.findByCurps([
        ...malformed.map((r) => r.person.curp),
        ...records.map((r) => r.person.curp),
      ]),
    ).toEqual([]);
  });

  it('lets only admins import: FORBIDDEN for staff and partners, UNAUTHENTICATED for anonymous callers', async () => {
    const batch = [record(100)];
    const staff = await importAs(
      {
        subject: 'ce-union',
        roles: ['certifier'],
        organizationId: unionOrganizationId,
      },
      'Registro del sindicato',
      batch,
    );
    expect(staff.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const partner = await importAs(
      { subject: 'app-1', roles: ['partner'] },
      'Registro del sindicato',
      batch,
    );
    expect(partner.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await importAs(
      publicCaller,
      'Registro del sindicato',
      batch,
    );
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await certificatesOf('Registro del sindicato')).toBe(0);
  });
});
