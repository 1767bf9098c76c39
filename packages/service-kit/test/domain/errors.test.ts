import { z } from 'zod';
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  UnreachableCaseError,
  isDomainError,
  parseInput,
} from '../../src/index';
import * as pureErrors from '../../src/errors';

const organizationInput = z.object({
  name: z.string().min(1, 'is required'),
  taxId: z
    .string()
    .refine((value) => /^[A-Z]{3,4}\d{6}[A-Z\d]{3}$/.test(value), {
      message: 'is not a valid RFC',
      params: { code: 'INVALID_RFC' },
    }),
  members: z.array(z.object({ side: z.enum(['EMPLOYER', 'LABOR']) })),
});

describe('parseInput', () => {
  it('returns the parsed value when the input is valid', () => {
    const input = { name: 'CANIETI', taxId: 'CAN850101AB1', members: [] };
    expect(parseInput(organizationInput, input)).toEqual(input);
  });

  it('lists every bad field path at once', () => {
    let error: InvalidInputError | undefined;
    try {
      parseInput(organizationInput, {
        name: '',
        taxId: 'nope',
        members: [{ side: 'EMPLOYER' }, { side: 'BOSS' }],
      });
    } catch (caught) {
      error = caught as InvalidInputError;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error?.kind).toBe('BAD_USER_INPUT');
    expect(error?.field).toBe('input.name');
    expect(error?.code).toBe('INVALID_RFC');
    expect(error?.fields.map((f) => f.field)).toEqual([
      'input.name',
      'input.taxId',
      'input.members[1].side',
    ]);
  });

  it('uses the given field prefix', () => {
    expect(() => parseInput(z.string().min(2), 'x', 'code')).toThrow(
      expect.objectContaining({ field: 'code' }),
    );
  });
});

describe('domain errors', () => {
  it('derives a stable code from the entity name', () => {
    const error = new NotFoundError('CompetencyStandard', 'cs-1');
    expect(error).toMatchObject({
      kind: 'NOT_FOUND',
      code: 'COMPETENCY_STANDARD_NOT_FOUND',
      message: 'CompetencyStandard cs-1 not found',
      name: 'NotFoundError',
    });
  });

  it('recognises a domain error from another copy of the package by its brand', () => {
    const copy = Object.assign(Object.create(null) as object, {
      [Symbol.for('conecta.service-kit.DomainError')]: true,
    });
    expect(isDomainError(copy)).toBe(true);
    expect(isDomainError(new Error('plain'))).toBe(false);
    expect(isDomainError(new ConflictError('X', 'y'))).toBe(true);
  });

  it('treats an unreachable case as a bug, not a domain error', () => {
    const error = new UnreachableCaseError('SOMETHING' as never);
    expect(isDomainError(error)).toBe(false);
    expect(error.message).toBe('Unreachable case: "SOMETHING"');
  });

  it('exposes the same classes through the pure errors entry', () => {
    expect(pureErrors.ConflictError).toBe(ConflictError);
  });
});
