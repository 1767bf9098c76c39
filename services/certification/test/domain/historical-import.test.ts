import { domainExtensions } from '@conecta/service-kit';
import { certificateStatus } from '../../src/domain/certificate';
import {
  HistoricalImportRejectedError,
  LEGACY_CERTIFIER,
  LEGACY_EVALUATOR,
  MAX_IMPORT_BATCH,
  importedEvaluationId,
  importerOf,
  parseImportInput,
  planHistoricalImport,
  validKeysToCheck,
  withStatusEntries,
  type HistoricalRecordInput,
  type ImportContext,
  type ImportLookups,
} from '../../src/domain/historical-import';
import {
  certificateMother,
  historicalRecordMother,
  standardMother,
} from '../fixtures/mothers';

const SOURCE = 'RENEC 2019–2025 migration';
const { standardId: STANDARD, bodyId: BODY } = historicalRecordMother;
const ACCREDITATION_KEY = `${BODY}:${STANDARD}`;
const UNKNOWN_BODY = '01950000-0000-7000-8000-00000000b0ff';
const now = new Date('2026-03-10T15:00:00.000Z');

function context(overrides: Partial<ImportContext> = {}): ImportContext {
  let seq = 0;
  return {
    now,
    importedBy: 'admin-1',
    evaluationMaxAgeMonths: 6,
    newId: () => `00000000-0000-7000-8000-${String(++seq).padStart(12, '0')}`,
    ...overrides,
  };
}

function plan(
  records: HistoricalRecordInput[],
  lookups: ImportLookups = historicalRecordMother.lookups(),
  ctx: ImportContext = context(),
) {
  const decided = planHistoricalImport(
    { source: SOURCE, records },
    lookups,
    ctx,
  );
  return withStatusEntries(
    decided,
    decided.certificates.map((_, i) => ({
      verificationCode: `CODE${String(i).padStart(22, '0')}`,
      statusList: 1,
      statusListIndex: i,
    })),
  );
}

function problemsOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(HistoricalImportRejectedError);
    return (error as HistoricalImportRejectedError).problems.map(
      ({ field, reason }) => ({ field, reason }),
    );
  }
  throw new Error('expected the batch to be refused');
}

describe('the shape of a batch', () => {
  it('accepts a batch and normalises CURPs and folios as registration does', () => {
    const record = historicalRecordMother.record({ folio: '  F-1 ' });
    const input = parseImportInput({
      source: ` ${SOURCE} `,
      records: [
        {
          ...record,
          person: { ...record.person, curp: record.person.curp.toLowerCase() },
        },
      ],
    });
    expect(input.source).toBe(SOURCE);
    expect(input.records[0]).toMatchObject({
      folio: 'F-1',
      person: { curp: record.person.curp },
    });
  });

  it('names every bad field with its reason: CURP, calendar date, repeated folio', () => {
    const good = historicalRecordMother.record({ folio: 'F-1' });
    const problems = problemsOf(() =>
      parseImportInput({
        source: SOURCE,
        records: [
          good,
          historicalRecordMother.record({
            // A wrong check digit.
            person: {
              ...good.person,
              curp: `${good.person.curp.slice(0, 17)}${(Number(good.person.curp.slice(17)) + 1) % 10}`,
            },
          }),
          historicalRecordMother.record({ issuedOn: '2021-02-30' }),
        ],
      }),
    );
    expect(problems).toEqual([
      { field: 'input.records[1].person.curp', reason: 'INVALID_CURP' },
      { field: 'input.records[2].issuedOn', reason: 'INVALID_INPUT' },
    ]);
    expect(
      problemsOf(() =>
        parseImportInput({
          source: SOURCE,
          records: [good, historicalRecordMother.record({ folio: 'F-1' })],
        }),
      ),
    ).toEqual([{ field: 'input.records[1].folio', reason: 'DUPLICATE_FOLIO' }]);
  });

  it(`takes at most ${MAX_IMPORT_BATCH} records and at least one`, () => {
    const many = Array.from({ length: MAX_IMPORT_BATCH + 1 }, () =>
      historicalRecordMother.record(),
    );
    expect(
      problemsOf(() => parseImportInput({ source: SOURCE, records: many })),
    ).toEqual([{ field: 'input.records', reason: 'INVALID_INPUT' }]);
    expect(
      problemsOf(() => parseImportInput({ source: SOURCE, records: [] })),
    ).toEqual([{ field: 'input.records', reason: 'INVALID_INPUT' }]);
  });
});

describe('planning an import', () => {
  it('creates the person, a COMPETENT legacy evaluation and a certificate dated by the registry, with provenance', () => {
    const record = historicalRecordMother.record({
      evaluatedOn: '2025-11-20',
      issuedOn: '2025-12-01',
    });
    const result = plan([record]);
    expect(result.people).toHaveLength(1);
    const [person] = result.people;
    expect(person).toMatchObject({
      curp: record.person.curp,
      givenNames: record.person.givenNames,
      registeredAt: now,
    });
    const provenance = {
      source: SOURCE,
      folio: record.folio,
      importedBy: 'admin-1',
      importedAt: now,
    };
    expect(result.evaluations).toEqual([
      expect.objectContaining({
        id: importedEvaluationId(SOURCE, record.folio),
        candidateId: person!.id,
        evaluatorSubject: LEGACY_EVALUATOR,
        result: 'COMPETENT',
        evaluatedAt: new Date('2025-11-20T12:00:00.000Z'),
        provenance,
      }),
    ]);
    const [certificate] = result.certificates;
    expect(certificate).toMatchObject({
      personId: person!.id,
      standardId: STANDARD,
      certifyingBodyId: BODY,
      evaluationId: importedEvaluationId(SOURCE, record.folio),
      certifierSubject: LEGACY_CERTIFIER,
      // Noon UTC: the same calendar day in every Mexican time zone.
      issuedAt: new Date('2025-12-01T12:00:00.000Z'),
      // The standard's 3 years of validity.
      expiresAt: new Date('2028-12-01T12:00:00.000Z'),
      revokedAt: null,
      provenance,
    });
    expect(certificateStatus(certificate!, now)).toBe('VALID');
    expect(result.results).toEqual([
      { folio: record.folio, outcome: 'IMPORTED', certificate },
    ]);
  });

  it('gives an old certificate an expiry in the past, so it verifies EXPIRED', () => {
    const [certificate] = plan([
      historicalRecordMother.record({
        evaluatedOn: '2020-02-20',
        issuedOn: '2020-02-29',
      }),
    ]).certificates;
    expect(certificate!.expiresAt).toEqual(
      new Date('2023-02-28T12:00:00.000Z'),
    );
    expect(certificateStatus(certificate!, now)).toBe('EXPIRED');
  });

  it('registers a new CURP once, and uses the registered person for a known CURP', () => {
    const OTHER_STANDARD = '01950000-0000-7000-8000-00000000c002';
    const a = historicalRecordMother.record();
    const b = historicalRecordMother.record();
    const registered = {
      id: 'person-known',
      ...b.person,
      givenNames: 'Nombre Registrado',
      registeredAt: new Date('2024-01-01T00:00:00.000Z'),
    };
    const result = plan(
      [
        a,
        { ...a, folio: 'F-2', standardId: OTHER_STANDARD },
        { ...b, person: { ...b.person, givenNames: 'Otro Nombre' } },
      ],
      historicalRecordMother.lookups({
        standards: new Map([
          [STANDARD, standardMother.published({ id: STANDARD })],
          [OTHER_STANDARD, standardMother.published({ id: OTHER_STANDARD })],
        ]),
        accreditations: new Map([
          [ACCREDITATION_KEY, historicalRecordMother.accreditation()],
          [
            `${BODY}:${OTHER_STANDARD}`,
            historicalRecordMother.accreditation({
              standardId: OTHER_STANDARD,
            }),
          ],
        ]),
        peopleByCurp: new Map([[registered.curp, registered]]),
      }),
    );
    expect(result.people.map((p) => p.curp)).toEqual([a.person.curp]);
    expect(result.certificates.map((c) => c.personId)).toEqual([
      result.people[0]!.id,
      result.people[0]!.id,
      'person-known',
    ]);
  });

  it('reports a folio already imported from the source as ALREADY_IMPORTED and writes nothing for it, whatever the record says now', () => {
    const record = historicalRecordMother.record({ issuedOn: '2099-01-01' });
    const existing = certificateMother.issued({
      evaluationId: importedEvaluationId(SOURCE, record.folio),
    });
    const result = plan(
      [record],
      historicalRecordMother.lookups({
        importedByEvaluationId: new Map([[existing.evaluationId, existing]]),
      }),
    );
    expect(result).toEqual({
      people: [],
      evaluations: [],
      certificates: [],
      results: [
        {
          folio: record.folio,
          outcome: 'ALREADY_IMPORTED',
          certificate: existing,
        },
      ],
    });
  });

  it('derives the evaluation id from source and folio, so each folio is imported once per source', () => {
    expect(importedEvaluationId(SOURCE, 'F-1')).toBe(
      importedEvaluationId(SOURCE, 'F-1'),
    );
    expect(importedEvaluationId(SOURCE, 'F-1')).not.toBe(
      importedEvaluationId('Otro registro', 'F-1'),
    );
    expect(importedEvaluationId(SOURCE, 'F-1')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});

describe('the rules of an import, each with its reason and field', () => {
  it('refuses an issue date today or later, an evaluation after the issue or too long before it', () => {
    expect(
      problemsOf(() =>
        plan([
          historicalRecordMother.record({
            evaluatedOn: '2026-03-01',
            issuedOn: '2026-03-10',
          }),
          historicalRecordMother.record({
            evaluatedOn: '2022-03-16',
            issuedOn: '2022-03-15',
          }),
          historicalRecordMother.record({
            evaluatedOn: '2021-09-14',
            issuedOn: '2022-03-15',
          }),
        ]),
      ),
    ).toEqual([
      { field: 'input.records[0].issuedOn', reason: 'ISSUED_NOT_IN_PAST' },
      {
        field: 'input.records[1].evaluatedOn',
        reason: 'EVALUATED_AFTER_ISSUE',
      },
      { field: 'input.records[2].evaluatedOn', reason: 'EVALUATION_TOO_OLD' },
    ]);
    // Exactly six months before the issue is still in time.
    expect(
      plan([
        historicalRecordMother.record({
          evaluatedOn: '2021-09-15',
          issuedOn: '2022-03-15',
        }),
      ]).certificates,
    ).toHaveLength(1);
  });

  it('refuses an unknown standard, and dates before its gazette publication', () => {
    expect(
      problemsOf(() =>
        plan([
          historicalRecordMother.record({
            standardId: '01950000-0000-7000-8000-00000000c0ff',
          }),
          historicalRecordMother.record({
            evaluatedOn: '2019-05-20',
            issuedOn: '2019-06-10',
          }),
          historicalRecordMother.record({
            evaluatedOn: '2019-05-20',
            issuedOn: '2019-05-31',
          }),
        ]),
      ),
    ).toEqual([
      { field: 'input.records[0].standardId', reason: 'UNKNOWN_STANDARD' },
      {
        field: 'input.records[0].certifyingBodyId',
        reason: 'BODY_NOT_ACCREDITED',
      },
      {
        field: 'input.records[1].evaluatedOn',
        reason: 'EVALUATED_BEFORE_GAZETTE',
      },
      {
        field: 'input.records[2].evaluatedOn',
        reason: 'EVALUATED_BEFORE_GAZETTE',
      },
      { field: 'input.records[2].issuedOn', reason: 'ISSUED_BEFORE_GAZETTE' },
    ]);
  });

  it('accepts withdrawn and superseded standards, and skips the gazette rule when the date is unknown', () => {
    for (const status of ['WITHDRAWN', 'SUPERSEDED'] as const) {
      const standard = standardMother.published({
        id: STANDARD,
        status,
        gazetteDate: null,
      });
      expect(
        plan(
          [
            historicalRecordMother.record({
              evaluatedOn: '2010-01-05',
              issuedOn: '2010-01-10',
            }),
          ],
          historicalRecordMother.lookups({
            standards: new Map([[standard.id, standard]]),
          }),
        ).certificates,
      ).toHaveLength(1);
    }
  });

  it('treats a standard whose publication certification has not seen as unknown', () => {
    const partial = standardMother.published({
      id: STANDARD,
      status: 'WITHDRAWN',
      certificateValidityYears: 0,
    });
    expect(
      problemsOf(() =>
        plan(
          [historicalRecordMother.record()],
          historicalRecordMother.lookups({
            standards: new Map([[partial.id, partial]]),
          }),
        ),
      ),
    ).toEqual([
      { field: 'input.records[0].standardId', reason: 'UNKNOWN_STANDARD' },
    ]);
  });

  it('requires a registered body that held an active accreditation for the standard: ACTIVE, SUSPENDED or REVOKED after being active', () => {
    const withAccreditation = (
      accreditation: ReturnType<typeof historicalRecordMother.accreditation>,
    ) =>
      historicalRecordMother.lookups({
        accreditations: new Map([[ACCREDITATION_KEY, accreditation]]),
      });
    const activated = new Date('2026-02-02T00:00:00.000Z');
    for (const status of ['ACTIVE', 'SUSPENDED', 'REVOKED'] as const) {
      expect(
        plan(
          [historicalRecordMother.record()],
          withAccreditation(
            historicalRecordMother.accreditation({
              status,
              activatedAt: activated,
            }),
          ),
        ).certificates,
      ).toHaveLength(1);
    }
    expect(
      problemsOf(() =>
        plan(
          [
            historicalRecordMother.record(),
            historicalRecordMother.record({ certifyingBodyId: UNKNOWN_BODY }),
          ],
          withAccreditation(
            historicalRecordMother.accreditation({
              status: 'REVOKED',
              activatedAt: null,
            }),
          ),
        ),
      ),
    ).toEqual([
      {
        field: 'input.records[0].certifyingBodyId',
        reason: 'BODY_NOT_ACCREDITED',
      },
      {
        field: 'input.records[1].certifyingBodyId',
        reason: 'UNKNOWN_CERTIFYING_BODY',
      },
    ]);
    expect(
      problemsOf(() =>
        plan(
          [historicalRecordMother.record()],
          withAccreditation(
            historicalRecordMother.accreditation({
              status: 'PENDING',
              activatedAt: null,
            }),
          ),
        ),
      ),
    ).toEqual([
      {
        field: 'input.records[0].certifyingBodyId',
        reason: 'BODY_NOT_ACCREDITED',
      },
    ]);
  });

  it('does not take an evaluation centre (accredited to evaluate only) as the issuer of a legacy certificate', () => {
    expect(
      problemsOf(() =>
        plan(
          [historicalRecordMother.record()],
          historicalRecordMother.lookups({
            accreditations: new Map([
              [
                ACCREDITATION_KEY,
                historicalRecordMother.accreditation({
                  scopes: ['EVALUATION'],
                }),
              ],
            ]),
          }),
        ),
      ),
    ).toEqual([
      {
        field: 'input.records[0].certifyingBodyId',
        reason: 'BODY_NOT_ACCREDITED',
      },
    ]);
  });

  it('never makes two certificates VALID today for one person and standard, while expired ones may repeat', () => {
    const record = historicalRecordMother.record({
      evaluatedOn: '2025-06-01',
      issuedOn: '2025-06-10',
    });
    const known = {
      id: 'person-known',
      ...record.person,
      registeredAt: new Date('2024-01-01T00:00:00.000Z'),
    };
    const peopleByCurp = new Map([[known.curp, known]]);
    expect(
      validKeysToCheck({ source: SOURCE, records: [record] }, peopleByCurp),
    ).toEqual([`person-known:${STANDARD}`]);
    expect(
      problemsOf(() =>
        plan(
          [record],
          historicalRecordMother.lookups({
            peopleByCurp,
            validNow: new Set([`person-known:${STANDARD}`]),
          }),
        ),
      ),
    ).toEqual([
      {
        field: 'input.records[0].issuedOn',
        reason: 'CERTIFICATE_ALREADY_VALID',
      },
    ]);
    expect(
      problemsOf(() =>
        plan([record, { ...record, folio: 'F-again', issuedOn: '2025-07-01' }]),
      ),
    ).toEqual([
      {
        field: 'input.records[1].issuedOn',
        reason: 'CERTIFICATE_ALREADY_VALID',
      },
    ]);
    // Certified in 2019 and again in 2022: both expired today, both kept.
    expect(
      plan([
        { ...record, evaluatedOn: '2019-07-01', issuedOn: '2019-07-02' },
        {
          ...record,
          folio: 'F-renewal',
          evaluatedOn: '2022-07-01',
          issuedOn: '2022-07-02',
        },
      ]).certificates,
    ).toHaveLength(2);
  });

  it('reports every problem of the batch at once, the first as field and reason', () => {
    try {
      plan([
        historicalRecordMother.record(),
        historicalRecordMother.record({
          evaluatedOn: '2029-12-20',
          issuedOn: '2030-01-01',
        }),
        historicalRecordMother.record({ certifyingBodyId: UNKNOWN_BODY }),
      ]);
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(HistoricalImportRejectedError);
      expect(
        domainExtensions(error as HistoricalImportRejectedError),
      ).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'ISSUED_NOT_IN_PAST',
        field: 'input.records[1].issuedOn',
        problems: [
          {
            field: 'input.records[1].issuedOn',
            reason: 'ISSUED_NOT_IN_PAST',
            message: 'must be before today',
          },
          {
            field: 'input.records[2].certifyingBodyId',
            reason: 'UNKNOWN_CERTIFYING_BODY',
            message: expect.any(String),
          },
        ],
      });
    }
  });
});

describe('who imports', () => {
  it('names the admin in the audit trail, and refuses an identity that names nobody', () => {
    expect(
      importerOf({ roles: ['admin'], subject: 'admin-7', issuedAt: 0 }),
    ).toBe('admin-7');
    expect(() => importerOf({ roles: ['admin'], issuedAt: 0 })).toThrow(
      expect.objectContaining({ kind: 'UNAUTHENTICATED' }),
    );
  });
});
