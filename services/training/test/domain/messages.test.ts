import { join } from 'node:path';
import { localizeError, type DomainError } from '@conecta/service-kit/errors';
import {
  codesWithoutMessage,
  describeMissing,
  thrownReasonCodes,
} from '@conecta/service-kit/message-coverage';
import { changeCapacity, startCohort } from '../../src/domain/cohort';
import { dropEnrollment } from '../../src/domain/enrollment';
import { trainingMessages } from '../../src/domain/messages';
import {
  NOW,
  agreementMother,
  cohortMother,
  enrollmentMother,
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

const agreement = agreementMother.seventyOff({
  kind: 'STANDARD',
  id: '0190a5b0-0000-7000-8000-000000000217',
});

describe('Spanish error messages', () => {
  it('has a Spanish message for every reason code src/ throws', () => {
    const thrown = thrownReasonCodes(SRC);
    // The scan reads this service's throw sites; a scan that found nothing
    // would make the check below vacuous.
    expect(thrown.length).toBeGreaterThan(90);
    const missing = codesWithoutMessage(thrown, trainingMessages);
    if (missing.length > 0) {
      throw new Error(
        describeMissing(missing, 'services/training/src/domain/messages.ts'),
      );
    }
  });

  it('keeps the minimum and the head count of a cohort that cannot start', () => {
    const cohort = cohortMother.scheduled(agreement, { enrolled: 4 });
    const error = thrownBy(() => startCohort(cohort, agreement));
    expect(error.code).toBe('BELOW_MINIMUM_COHORT');
    expect(localizeError(error, 'es', trainingMessages).message).toBe(
      'El convenio necesita al menos 10 participantes; hay 4 inscritos',
    );
  });

  it('keeps the statuses of a refused move and the people a capacity must hold', () => {
    const completed = cohortMother.scheduled(agreement, {
      status: 'COMPLETED',
    });
    expect(
      localizeError(
        thrownBy(() => startCohort(completed, agreement)),
        'es',
        trainingMessages,
      ).message,
    ).toBe('Un grupo en estado COMPLETED no puede pasar a RUNNING');
    const full = cohortMother.scheduled(agreement, { enrolled: 25 });
    expect(
      localizeError(
        thrownBy(() => changeCapacity(full, 20)),
        'es',
        trainingMessages,
      ).message,
    ).toBe('no debe ser menor que las 25 personas inscritas');
  });

  it('says "An enrollment" in English and "Una inscripción" in Spanish for a refused move', () => {
    const running = cohortMother.scheduled(agreement, { status: 'RUNNING' });
    const dropped = enrollmentMother.enrolled(running, { status: 'DROPPED' });
    const error = thrownBy(() => dropEnrollment(dropped, 'moved away', NOW));
    expect(error.code).toBe('INVALID_ENROLLMENT_TRANSITION');
    expect(error.message).toBe(
      'An enrollment in status DROPPED cannot become DROPPED',
    );
    expect(localizeError(error, 'es', trainingMessages).message).toBe(
      'Una inscripción en estado DROPPED no puede pasar a DROPPED',
    );
  });
});
