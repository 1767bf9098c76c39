import { join } from 'node:path';
import { z } from 'zod';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  createFormatError,
  createLogger,
  defineMessages,
  from,
  localizeError,
  negotiateLanguage,
  parseInput,
} from '../../src/index';
import {
  codesWithoutMessage,
  describeMissing,
  thrownReasonCodes,
} from '../../src/message-coverage';

describe('negotiateLanguage', () => {
  it.each([
    [undefined, 'es'],
    ['', 'es'],
    ['es-MX', 'es'],
    ['es', 'es'],
    ['en', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['en-GB', 'en'],
    ['fr-FR', 'es'],
    ['fr, en;q=0.1', 'en'],
    ['en;q=0.5, es;q=0.9', 'es'],
    ['es;q=0, en;q=0.1', 'en'],
    ['*', 'es'],
  ])('answers %p in %p', (header, language) => {
    expect(negotiateLanguage(header)).toBe(language);
  });

  it('reads a header sent as several lines', () => {
    expect(negotiateLanguage(['fr', 'en-US'])).toBe('en');
  });
});

const catalogue = defineMessages({
  COMMITTEE_NOT_INSTALLED: from(
    'Committee {id} is {status}: only an installed committee may do this',
    'El comité {id} está en {status}: solo un comité instalado puede hacerlo',
  ),
  CHAIR_CANNOT_LEAVE: 'La presidencia no puede dejar el comité',
  DUPLICATE_STATE: [
    from('{state} is listed twice', '{state} aparece dos veces'),
    from('{state} is listed again', '{state} aparece de nuevo'),
  ],
  'STANDARD_NOT_*': from(
    'The standard is {actual}, not {status}',
    'La norma está en {actual}, no en {status}',
  ),
  NOT_ADMIN: ({ english }) =>
    english.includes('council') ? 'Solo administración o consejo' : undefined,
});

describe('localizeError', () => {
  it('answers English with the thrown message, unchanged', () => {
    const error = new ConflictError(
      'COMMITTEE_NOT_INSTALLED',
      'Committee c-1 is PROPOSED: only an installed committee may do this',
    );
    expect(localizeError(error, 'en', catalogue).message).toBe(error.message);
  });

  it('fills the Spanish message with the values of the English one', () => {
    const error = new ConflictError(
      'COMMITTEE_NOT_INSTALLED',
      'Committee c-1 is PROPOSED: only an installed committee may do this',
    );
    expect(localizeError(error, 'es', catalogue).message).toBe(
      'El comité c-1 está en PROPOSED: solo un comité instalado puede hacerlo',
    );
  });

  it('takes the first of several English forms that matches', () => {
    const error = new InvalidInputError(
      'input.states[1]',
      'MX-JAL is listed again',
      'DUPLICATE_STATE',
    );
    expect(localizeError(error, 'es', catalogue)).toEqual({
      message: 'MX-JAL aparece de nuevo',
      fields: [
        { field: 'input.states[1]', message: 'MX-JAL aparece de nuevo' },
      ],
    });
  });

  it('reads a family of codes (STANDARD_NOT_*)', () => {
    const error = new ConflictError(
      'STANDARD_NOT_DRAFT',
      'The standard is SUBMITTED, not DRAFT',
    );
    expect(localizeError(error, 'es', catalogue).message).toBe(
      'La norma está en SUBMITTED, no en DRAFT',
    );
  });

  it('translates each field of several problems and composes them as fromProblems does', () => {
    const error = InvalidInputError.fromProblems(
      [
        { field: 'input.states[1]', message: 'MX-JAL is listed twice' },
        { field: 'input.states[3]', message: 'MX-NLE is listed twice' },
      ],
      'DUPLICATE_STATE',
    );
    expect(localizeError(error, 'es', catalogue).message).toBe(
      'input.states[1]: MX-JAL aparece dos veces; input.states[3]: MX-NLE aparece dos veces',
    );
  });

  it("never gives one field's plain message to another field of the same refusal that has no reason of its own", () => {
    const error = InvalidInputError.fromProblems(
      [
        {
          field: 'input.curp',
          message: 'is not a valid CURP',
          reason: 'INVALID_CURP',
        },
        { field: 'input.email', message: 'must be an email address' },
      ],
      'INVALID_CURP',
    );
    const { fields } = localizeError(error, 'es', {
      INVALID_CURP: 'no es una CURP válida',
    });
    expect(fields![0]!.message).toBe('no es una CURP válida');
    expect(fields![1]!.message).not.toBe('no es una CURP válida');
    expect(fields![1]!.message).toContain('must be an email address');
  });

  it('falls back to the kind in Spanish with the English details when no entry reads the message', () => {
    const error = new ConflictError('SOMETHING_NEW', 'Seat 3 is taken');
    expect(localizeError(error, 'es', catalogue).message).toBe(
      'La solicitud choca con el estado actual (Seat 3 is taken)',
    );
    const notAdmin = new ForbiddenError('Only admins', 'NOT_ADMIN');
    expect(localizeError(notAdmin, 'es', catalogue).message).toBe(
      'No tiene permiso para hacer esto (Only admins)',
    );
  });

  it('names a missing entity in Spanish when the catalogue has no entry for it', () => {
    const error = new NotFoundError('Committee', 'c-9');
    expect(localizeError(error, 'es', {}).message).toBe(
      'No existe Committee c-9',
    );
  });

  it('refuses a Spanish template naming a value its English one lacks', () => {
    expect(() => from('Seat taken', 'El asiento {seat} está ocupado')).toThrow(
      /\{seat\}/,
    );
  });
});

describe('parseInput in Spanish', () => {
  const schema = z.object({
    name: z.string().min(3),
    states: z.array(z.string()).superRefine((states, ctx) => {
      states.forEach((state, index) => {
        if (states.indexOf(state) !== index) {
          ctx.addIssue({
            code: 'custom',
            path: [index],
            message: `${state} is listed twice`,
            params: { code: 'DUPLICATE_STATE' },
          });
        }
      });
    }),
    headcount: z.number().int().max(500, 'is more people than one cohort'),
    hours: z.number().max(40, 'must be at most 40'),
  });

  function refusal(): InvalidInputError {
    try {
      parseInput(schema, {
        name: 'ab',
        states: ['MX-JAL', 'MX-JAL'],
        headcount: 900,
        hours: 41,
      });
    } catch (error) {
      return error as InvalidInputError;
    }
    throw new Error('expected a refusal');
  }

  it('gives zod’s own problems zod’s Spanish, custom ones the catalogue’s, and keeps codes and fields', () => {
    const error = refusal();
    expect(error.code).toBe('DUPLICATE_STATE');
    const spanish = localizeError(error, 'es', catalogue);
    expect(spanish.fields).toEqual([
      {
        field: 'input.name',
        message:
          'Demasiado pequeño: se esperaba que texto tuviera >=3 caracteres',
      },
      { field: 'input.states[1]', message: 'MX-JAL aparece dos veces' },
      // A custom message no catalogue reads: zod's Spanish for the same check.
      {
        field: 'input.headcount',
        message: 'Demasiado grande: se esperaba que número fuera <=500',
      },
      // One every service writes: service-kit's generic phrases.
      { field: 'input.hours', message: 'debe ser como máximo 40' },
    ]);
    expect(localizeError(error, 'en', catalogue).fields).toEqual([
      {
        field: 'input.name',
        message: 'Too small: expected string to have >=3 characters',
      },
      { field: 'input.states[1]', message: 'MX-JAL is listed twice' },
      { field: 'input.headcount', message: 'is more people than one cohort' },
      { field: 'input.hours', message: 'must be at most 40' },
    ]);
  });
});

describe('formatError', () => {
  const logger = createLogger({ name: 'messages-test', level: 'silent' });
  const error = new ConflictError(
    'COMMITTEE_NOT_INSTALLED',
    'Committee c-1 is PROPOSED: only an installed committee may do this',
  );

  it.each([
    [
      'es',
      'El comité c-1 está en PROPOSED: solo un comité instalado puede hacerlo',
    ],
    [
      'en',
      'Committee c-1 is PROPOSED: only an installed committee may do this',
    ],
  ] as const)(
    'answers in the request’s language (%s), code and reason unchanged',
    (language, message) => {
      const format = createFormatError({
        logger,
        messages: catalogue,
        requestScope: () => ({ requestId: 'r-1', logger, language }),
      });
      expect(format({ message: error.message }, error)).toEqual({
        message,
        extensions: { code: 'CONFLICT', reason: 'COMMITTEE_NOT_INSTALLED' },
      });
    },
  );

  it('answers Spanish when the request stated no language', () => {
    const format = createFormatError({ logger, messages: catalogue });
    expect(format({ message: 'boom' }, new Error('boom')).message).toBe(
      'Error interno del servidor',
    );
  });
});

describe('message coverage', () => {
  it('finds the codes a source throws and names each one without a message, with its place and the file to add it to', () => {
    const src = join(__dirname, '..', 'fixtures', 'messages-src');
    const thrown = thrownReasonCodes(src);
    expect([...new Set(thrown.map((t) => t.code))].sort()).toEqual([
      'CHAIR_CANNOT_LEAVE',
      'COMMITTEE_NOT_FOUND',
      'COMMITTEE_NOT_INSTALLED',
      'DUPLICATE_STATE',
      'FORBIDDEN',
      'GADGET_NOT_FOUND',
      'INVALID_INPUT',
      'NOT_ADMIN',
      'ORGANIZATION_NOT_FOUND',
      'SEAT_TAKEN',
      'SECTOR_NOT_FOUND',
      'STANDARD_NOT_*',
    ]);
    const missing = codesWithoutMessage(thrown, catalogue);
    expect(missing.map((m) => m.code)).toEqual([
      'COMMITTEE_NOT_FOUND',
      'SEAT_TAKEN',
      'SECTOR_NOT_FOUND',
      'ORGANIZATION_NOT_FOUND',
      'GADGET_NOT_FOUND',
    ]);
    const report = describeMissing(missing, 'src/domain/messages.ts');
    expect(report).toContain('Add each to src/domain/messages.ts');
    expect(report).toMatch(
      /SEAT_TAKEN +\(thrown at messages-src\/rules\.ts:\d+\)/,
    );
  });
});
