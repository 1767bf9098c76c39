import { join } from 'node:path';
import { localizeError, ConflictError } from '@conecta/service-kit/errors';
import {
  codesWithoutMessage,
  describeMissing,
  thrownReasonCodes,
} from '@conecta/service-kit/message-coverage';
import { decide, COUNCIL_COMPOSITIONS } from '../../src/domain/council';
import { assertTransition } from '../../src/domain/lifecycle';
import { standardsMessages } from '../../src/domain/messages';

const SRC = join(__dirname, '..', '..', 'src');

/** The error `act` throws (it must throw one). */
function thrownBy(act: () => unknown): ConflictError {
  try {
    act();
  } catch (error) {
    return error as ConflictError;
  }
  throw new Error('expected a refusal');
}

describe('Spanish error messages', () => {
  it('has a Spanish message for every reason code src/ throws', () => {
    const thrown = thrownReasonCodes(SRC);
    // The scan reads this service's throw sites; a scan that found nothing
    // would make the check below vacuous.
    expect(thrown.length).toBeGreaterThan(20);
    const missing = codesWithoutMessage(thrown, standardsMessages);
    if (missing.length > 0) {
      throw new Error(
        describeMissing(missing, 'services/standards/src/domain/messages.ts'),
      );
    }
  });

  it('keeps the statuses of a refused move', () => {
    const error = thrownBy(() => assertTransition('DRAFT', 'PUBLISHED'));
    expect(error.code).toBe('STANDARD_NOT_APPROVED');
    expect(localizeError(error, 'es', standardsMessages).message).toBe(
      'Una norma en estado DRAFT no puede pasar a PUBLISHED: debe estar en APPROVED',
    );
  });

  it('keeps what a council vote without quorum still lacks', () => {
    const error = thrownBy(() =>
      decide([], COUNCIL_COMPOSITIONS['case-study']),
    );
    expect(localizeError(error, 'es', standardsMessages).message).toBe(
      'La votación necesita 7 votos emitidos y uno de cada sector; faltan 7 voto(s); sectores sin votar: GOVERNMENT, EMPLOYER, LABOR',
    );
  });

  it('names each failed automated check in Spanish', () => {
    const error = new ConflictError(
      'REVIEW_CHECKS_FAILED',
      'Automated checks failed: Element 2 "Atender al cliente" has knowledge; Level 7 is on the qualifications framework (1–5)',
    );
    expect(localizeError(error, 'es', standardsMessages).message).toBe(
      'Fallaron las verificaciones automáticas: El elemento 2 "Atender al cliente" tiene conocimientos; El nivel 7 está en el marco de cualificaciones (1–5)',
    );
  });
});
