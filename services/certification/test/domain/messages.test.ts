import { join } from 'node:path';
import { parseInput } from '@conecta/service-kit';
import {
  hasMessage,
  localizeError,
  type DomainError,
} from '@conecta/service-kit/errors';
import {
  codesWithoutMessage,
  describeMissing,
  thrownReasonCodes,
} from '@conecta/service-kit/message-coverage';
import {
  requireActiveScope,
  suspendAccreditation,
} from '../../src/domain/accreditation';
import {
  parseImportInput,
  planHistoricalImport,
} from '../../src/domain/historical-import';
import { certificationMessages } from '../../src/domain/messages';
import { registerPersonInput } from '../../src/domain/person';
import {
  accreditationMother,
  historicalRecordMother,
  personMother,
} from '../fixtures/mothers';

const SRC = join(__dirname, '..', '..', 'src');

/** The error `act` throws (it must throw one). */
function thrownBy(act: () => unknown): DomainError {
  try {
    act();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a refusal');
}

const spanish = (error: DomainError) =>
  localizeError(error, 'es', certificationMessages);

describe('Spanish error messages', () => {
  it('has a Spanish message for every reason code src/ throws', () => {
    const thrown = thrownReasonCodes(SRC);
    // The scan reads this service's throw sites; a scan that found nothing
    // would make the check below vacuous.
    expect(thrown.length).toBeGreaterThan(90);
    const missing = codesWithoutMessage(thrown, certificationMessages);
    if (missing.length > 0) {
      throw new Error(
        describeMissing(
          missing,
          'services/certification/src/domain/messages.ts',
        ),
      );
    }
  });

  it('keeps both statuses of a refused accreditation move', () => {
    const error = thrownBy(() =>
      suspendAccreditation(
        accreditationMother.pending(),
        'Auditoría con hallazgos',
        new Date(),
      ),
    );
    expect(error.code).toBe('ACCREDITATION_TRANSITION_NOT_ALLOWED');
    expect(spanish(error).message).toBe(
      'Una acreditación en estado PENDING no puede pasar a SUSPENDED',
    );
  });

  it('says which scope an accreditation lacks, under either code of the family', () => {
    const centre = thrownBy(() =>
      requireActiveScope(accreditationMother.evaluationOnly(), 'CERTIFICATION'),
    );
    const certifier = thrownBy(() =>
      requireActiveScope(accreditationMother.certificationOnly(), 'EVALUATION'),
    );
    expect([centre.code, certifier.code]).toEqual([
      'NOT_ACCREDITED_FOR_CERTIFICATION',
      'NOT_ACCREDITED_FOR_EVALUATION',
    ]);
    expect(hasMessage(certificationMessages, centre.code)).toBe(true);
    expect(spanish(centre).message).toBe(
      'El organismo está acreditado para evaluar con base en esta norma, no para certificarla: sus evaluaciones las certifica un organismo independiente acreditado para certificar',
    );
    expect(spanish(certifier).message).toBe(
      'El organismo está acreditado para certificar esta norma, no para evaluar con base en ella',
    );
  });

  it('reads every field of a bad registration, not only the CURP that names the refusal', () => {
    const error = thrownBy(() =>
      parseInput(
        registerPersonInput,
        personMother.candidate({ curp: 'HEGG560427MVZRRL05', email: 'nope' }),
      ),
    );
    expect(error.code).toBe('INVALID_CURP');
    expect(spanish(error).fields).toEqual([
      {
        field: 'input.curp',
        message:
          'no es una CURP válida (18 caracteres: iniciales, fecha de nacimiento, sexo, estado, consonantes, dígito verificador)',
      },
      {
        field: 'input.email',
        message: 'debe ser una dirección de correo electrónico',
      },
    ]);
  });

  it('counts the problems of a refused import and keeps each record’s dates and fields', () => {
    const { record, lookups } = historicalRecordMother;
    const error = thrownBy(() =>
      planHistoricalImport(
        {
          source: 'RENEC 2019–2025',
          records: [
            record({ evaluatedOn: '2021-01-10', issuedOn: '2022-03-15' }),
            record({
              certifyingBodyId: '01950000-0000-7000-8000-00000000b0ff',
            }),
          ],
        },
        lookups(),
        {
          now: new Date('2026-03-10T15:00:00.000Z'),
          importedBy: 'admin-1',
          evaluationMaxAgeMonths: 6,
          newId: () => '00000000-0000-7000-8000-000000000001',
        },
      ),
    );
    expect(error.code).toBe('EVALUATION_TOO_OLD');
    expect(spanish(error)).toEqual({
      message:
        '2 problemas en el lote; no se importó nada. El primero: input.records[0].evaluatedOn debe ser como máximo 6 meses anterior a issuedOn (2022-03-15)',
      fields: [
        {
          field: 'input.records[0].evaluatedOn',
          message:
            'debe ser como máximo 6 meses anterior a issuedOn (2022-03-15)',
        },
        {
          field: 'input.records[1].certifyingBodyId',
          message: 'no es un organismo certificador registrado',
        },
      ],
    });
  });

  it('reads the shape problems of an import batch, zod’s own English included', () => {
    const error = thrownBy(() =>
      parseImportInput({
        source: 'RENEC',
        records: [
          historicalRecordMother.record({ folio: 'F-1', standardId: 'x' }),
          historicalRecordMother.record({ folio: 'F-1' }),
        ],
      }),
    );
    expect(spanish(error)).toEqual({
      message:
        '2 problemas en el lote; no se importó nada. El primero: input.records[0].standardId no es un UUID válido',
      fields: [
        {
          field: 'input.records[0].standardId',
          message: 'no es un UUID válido',
        },
        {
          field: 'input.records[1].folio',
          message: 'repite el folio de records[0]',
        },
      ],
    });
  });
});
