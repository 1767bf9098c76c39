import { v7 as uuidv7 } from 'uuid';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
} from '@conecta/service-kit/errors';
import {
  MAX_IMPORT_BATCH,
  MAX_REPORTED_PROBLEMS,
  assertValidBatch,
  checkHistoricalRecords,
  checkHistoricalReferences,
  historicalDemand,
  importBatchInput,
  parseHistoricalRecords,
  type ImportProblem,
  type IndexedRecord,
} from '../../src/domain/history';
import { assertImporter } from '../../src/domain/permissions';
import { draftProject } from '../../src/domain/project';
import { NOW, agreementMother, historyMother } from '../fixtures/mothers';

const parse = (...records: unknown[]) => parseHistoricalRecords(records);

/** The records of a batch that passed their shape checks. */
function valid(...records: unknown[]): IndexedRecord[] {
  const { valid, problems } = parse(...records);
  expect(problems).toEqual([]);
  return valid;
}

const only = (problems: ImportProblem[]) =>
  problems.map(({ field, reason }) => ({ field, reason }));

const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
};

describe('a historical demand record', () => {
  it('becomes a closed request with its historical dates, no project and its provenance', () => {
    const [parsed] = valid(historyMother.record({ reference: 'RD-2021-0042' }));
    const demand = historicalDemand(parsed!.record, {
      id: uuidv7(),
      source: historyMother.source,
      importedBy: 'admin-1',
      importedAt: NOW,
    });
    expect(demand).toMatchObject({
      status: 'FULFILLED',
      projectId: null,
      cancellationReason: null,
      requestedAt: new Date('2021-03-15T17:00:00.000Z'),
      neededBy: new Date('2021-09-30T00:00:00.000Z'),
      target: { kind: 'CREDENTIAL' },
      provenance: {
        source: historyMother.source,
        reference: 'RD-2021-0042',
        importedBy: 'admin-1',
        importedAt: NOW,
        // Closed on its needed-by day unless the register says when.
        closedAt: new Date('2021-09-30T00:00:00.000Z'),
      },
    });
  });

  it('is closed now when its needed-by day is still ahead, or when the register says', () => {
    const [ahead, dated] = valid(
      historyMother.record({
        requestedAt: new Date('2026-02-01T10:00:00.000Z'),
        neededBy: new Date('2026-06-30T00:00:00.000Z'),
        status: 'CANCELLED',
      }),
      historyMother.record({
        closedAt: new Date('2021-08-01T12:00:00.000Z'),
      }),
    );
    const ctx = { source: 'X', importedBy: 'admin-1', importedAt: NOW };
    const cancelled = historicalDemand(ahead!.record, { ...ctx, id: uuidv7() });
    expect(cancelled.provenance.closedAt).toEqual(NOW);
    expect(cancelled.cancellationReason).toBe('Recorded as cancelled in X');
    expect(
      historicalDemand(dated!.record, { ...ctx, id: uuidv7() }).provenance
        .closedAt,
    ).toEqual(new Date('2021-08-01T12:00:00.000Z'));
  });

  it('may have a needed-by date in the past, as history does', () => {
    expect(checkHistoricalRecords(valid(historyMother.record()), NOW)).toEqual(
      [],
    );
  });
});

describe('validating a batch of history', () => {
  it('names every bad field of every record, not only the first', () => {
    const records = Array.from({ length: 10 }, () => historyMother.record());
    records[2] = historyMother.record({ state: 'MX-XYZ' });
    records[7] = historyMother.record({ headcount: 0 });
    const { valid: ok, problems } = parseHistoricalRecords(records);
    expect(ok.map((r) => r.index)).toEqual([0, 1, 3, 4, 5, 6, 8, 9]);
    expect(only(problems)).toEqual([
      { field: 'input.records[2].state', reason: 'INVALID_INPUT' },
      { field: 'input.records[7].headcount', reason: 'INVALID_INPUT' },
    ]);
  });

  it('refuses OPEN or AGGREGATED history: an imported record is closed', () => {
    const { problems } = parse(
      historyMother.record({ status: 'OPEN' }),
      historyMother.record({ status: 'AGGREGATED' }),
    );
    expect(only(problems)).toEqual([
      { field: 'input.records[0].status', reason: 'INVALID_INPUT' },
      { field: 'input.records[1].status', reason: 'INVALID_INPUT' },
    ]);
  });

  it('refuses a record with both or neither target', () => {
    const { problems } = parse(
      historyMother.record({ target: {} }),
      historyMother.record({
        target: { standardId: uuidv7(), credentialId: uuidv7() },
      }),
    );
    expect(only(problems)).toEqual([
      { field: 'input.records[0].target', reason: 'TARGET_REQUIRED' },
      { field: 'input.records[1].target', reason: 'TARGET_REQUIRED' },
    ]);
  });

  it('refuses a request date in the future or before 1995, and a needed-by date not after it', () => {
    const problems = checkHistoricalRecords(
      valid(
        historyMother.record({
          requestedAt: new Date(NOW.getTime() + 60_000),
          neededBy: new Date('2026-12-01T00:00:00.000Z'),
        }),
        historyMother.record({
          requestedAt: new Date('0219-05-01T00:00:00.000Z'),
        }),
        historyMother.record({
          requestedAt: new Date('2021-03-15T17:00:00.000Z'),
          neededBy: new Date('2021-03-15T00:00:00.000Z'),
        }),
      ),
      NOW,
    );
    expect(only(problems)).toEqual([
      { field: 'input.records[0].requestedAt', reason: 'DATE_IN_FUTURE' },
      { field: 'input.records[1].requestedAt', reason: 'DATE_TOO_EARLY' },
      { field: 'input.records[2].neededBy', reason: 'DATES_REVERSED' },
    ]);
  });

  it('refuses a closing date before the request or in the future', () => {
    const problems = checkHistoricalRecords(
      valid(
        historyMother.record({
          closedAt: new Date('2021-01-01T00:00:00.000Z'),
        }),
        historyMother.record({ closedAt: new Date(NOW.getTime() + 1) }),
      ),
      NOW,
    );
    expect(only(problems)).toEqual([
      { field: 'input.records[0].closedAt', reason: 'DATES_REVERSED' },
      { field: 'input.records[1].closedAt', reason: 'DATE_IN_FUTURE' },
    ]);
  });

  it('refuses a reference repeated within the batch, naming the repetition', () => {
    const problems = checkHistoricalRecords(
      valid(
        historyMother.record({ reference: 'RD-1' }),
        historyMother.record({ reference: 'RD-2' }),
        historyMother.record({ reference: 'RD-1' }),
      ),
      NOW,
    );
    expect(problems).toEqual([
      expect.objectContaining({
        field: 'input.records[2].reference',
        reason: 'DUPLICATE_REFERENCE',
        message: expect.stringContaining('input.records[0].reference'),
      }),
    ]);
  });

  it('refuses a cancellation reason on a fulfilled record', () => {
    const problems = checkHistoricalRecords(
      valid(historyMother.record({ cancellationReason: 'sin presupuesto' })),
      NOW,
    );
    expect(only(problems)).toEqual([
      {
        field: 'input.records[0].cancellationReason',
        reason: 'REASON_ONLY_WHEN_CANCELLED',
      },
    ]);
  });

  it('refuses requesters and targets training does not know', () => {
    const knownOrg = uuidv7();
    const knownStandard = uuidv7();
    const records = valid(
      historyMother.record({
        requesterId: knownOrg,
        target: { standardId: knownStandard },
      }),
      historyMother.record({ target: { standardId: uuidv7() } }),
      historyMother.record({ requesterId: knownOrg }),
    );
    const problems = checkHistoricalReferences(records, {
      organizations: new Set([knownOrg]),
      standards: new Set([knownStandard]),
      credentials: new Set(),
    });
    expect(only(problems)).toEqual([
      {
        field: 'input.records[1].requesterId',
        reason: 'ORGANIZATION_NOT_FOUND',
      },
      {
        field: 'input.records[1].target.standardId',
        reason: 'STANDARD_NOT_FOUND',
      },
      {
        field: 'input.records[2].target.credentialId',
        reason: 'CREDENTIAL_NOT_FOUND',
      },
    ]);
  });

  it('takes at most 500 records per batch', () => {
    const batch = (n: number) => ({
      source: historyMother.source,
      records: Array.from({ length: n }, () => ({})),
    });
    expect(importBatchInput.safeParse(batch(MAX_IMPORT_BATCH)).success).toBe(
      true,
    );
    const over = importBatchInput.safeParse(batch(MAX_IMPORT_BATCH + 1));
    expect(over.error?.issues[0]).toMatchObject({
      path: ['records'],
      params: { code: 'BATCH_TOO_LARGE' },
    });
    expect(importBatchInput.safeParse(batch(0)).success).toBe(false);
  });

  it('keys a source by its words: surrounding and repeated spaces do not make a new register', () => {
    const parsed = importBatchInput.parse({
      source: '  Registro de demanda   2019–2025 ',
      records: [{}],
    });
    expect(parsed.source).toBe(historyMother.source);
  });
});

describe('refusing a bad batch', () => {
  const problem = (index: number, reason = 'INVALID_INPUT'): ImportProblem => ({
    index,
    field: `input.records[${index}].headcount`,
    message: 'must be at least 1',
    reason,
  });

  it('writes nothing and names the first bad field in batch order, listing every problem', () => {
    const error = thrown(() =>
      assertValidBatch([problem(9), problem(7, 'DATES_REVERSED'), problem(8)]),
    );
    expect(error).toBeInstanceOf(InvalidInputError);
    const invalid = error as InvalidInputError;
    expect(invalid.field).toBe('input.records[7].headcount');
    expect(invalid.code).toBe('DATES_REVERSED');
    expect(invalid.fields.map((f) => f.field)).toEqual([
      'input.records[7].headcount',
      'input.records[8].headcount',
      'input.records[9].headcount',
    ]);
    expect(invalid.message).toMatch(/nothing was written/);
  });

  it(`lists at most ${MAX_REPORTED_PROBLEMS} problems and says how many more there are`, () => {
    const error = thrown(() =>
      assertValidBatch(Array.from({ length: 120 }, (_, i) => problem(i))),
    ) as InvalidInputError;
    expect(error.fields).toHaveLength(MAX_REPORTED_PROBLEMS);
    expect(error.message).toMatch(/120 problem\(s\).*70 more not listed/);
  });

  it('accepts a batch with no problems', () => {
    expect(() => assertValidBatch([])).not.toThrow();
  });
});

describe('who imports history', () => {
  it('is an admin, recorded by subject; a broker, a partner or an admin without a subject is refused', () => {
    const at = { issuedAt: NOW.getTime() };
    expect(
      assertImporter({ subject: 'admin-1', roles: ['admin'], ...at }),
    ).toBe('admin-1');
    for (const identity of [
      { subject: 'broker-1', roles: ['broker' as const], ...at },
      { subject: 'app-1', roles: ['partner' as const], ...at },
    ]) {
      const error = thrown(() => assertImporter(identity));
      expect(error).toBeInstanceOf(ForbiddenError);
      expect((error as ForbiddenError).code).toBe('ADMIN_ONLY');
    }
    expect(
      (
        thrown(() =>
          assertImporter({ roles: ['admin'], ...at }),
        ) as ForbiddenError
      ).code,
    ).toBe('IMPORTER_UNIDENTIFIED');
  });
});

describe('imported history and the live brokerage', () => {
  it('is never aggregated into a project: a closed request is not OPEN', () => {
    const [parsed] = valid(historyMother.record());
    const target = parsed!.record.target;
    const imported = historicalDemand(parsed!.record, {
      id: uuidv7(),
      source: historyMother.source,
      importedBy: 'admin-1',
      importedAt: NOW,
    });
    const error = thrown(() =>
      draftProject(
        {
          name: 'Proyecto',
          fundName: 'Fondo',
          agreementId: uuidv7(),
          demandRequestIds: [imported.id],
          requestedFundShareBps: 5_000,
        },
        agreementMother.seventyOff(target),
        [imported],
        { id: uuidv7(), now: NOW, brokerMarkupBps: 500 },
      ),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).code).toBe('DEMAND_NOT_OPEN');
  });
});
