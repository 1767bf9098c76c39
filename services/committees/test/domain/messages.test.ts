import { join } from 'node:path';
import { localizeError, ConflictError } from '@conecta/service-kit/errors';
import {
  codesWithoutMessage,
  describeMissing,
  thrownReasonCodes,
} from '@conecta/service-kit/message-coverage';
import { committeesMessages } from '../../src/domain/messages';

const SRC = join(__dirname, '..', '..', 'src');

describe('Spanish error messages', () => {
  it('has a Spanish message for every reason code src/ throws', () => {
    const thrown = thrownReasonCodes(SRC);
    // The scan reads this service's throw sites; a scan that found nothing
    // would make the check below vacuous.
    expect(thrown.length).toBeGreaterThan(30);
    const missing = codesWithoutMessage(thrown, committeesMessages);
    if (missing.length > 0) {
      throw new Error(
        describeMissing(missing, 'services/committees/src/domain/messages.ts'),
      );
    }
  });

  it('keeps the values the English message names', () => {
    const error = new ConflictError(
      'COMMITTEE_NOT_INSTALLED',
      'Committee 0190-aa is PROPOSED: only an installed committee may do this',
    );
    expect(localizeError(error, 'es', committeesMessages).message).toBe(
      'El comité 0190-aa está en estado PROPOSED: solo un comité instalado puede hacer esto',
    );
  });
});
