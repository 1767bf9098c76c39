import { join } from 'node:path';
import { parseInput } from '@conecta/service-kit';
import { localizeError, type DomainError } from '@conecta/service-kit/errors';
import {
  codesWithoutMessage,
  describeMissing,
  thrownReasonCodes,
} from '@conecta/service-kit/message-coverage';
import { partnersMessages } from '../../src/domain/messages';
import { createSubscriptionInput } from '../../src/domain/subscription';

const SRC = join(__dirname, '..', '..', 'src');

describe('Spanish error messages', () => {
  it('has a Spanish message for every reason code src/ throws', () => {
    const thrown = thrownReasonCodes(SRC);
    // The scan reads this service's throw sites; a scan that found nothing
    // would make the check below vacuous.
    expect(thrown.length).toBeGreaterThan(5);
    const missing = codesWithoutMessage(thrown, partnersMessages);
    if (missing.length > 0) {
      throw new Error(
        describeMissing(missing, 'services/partners/src/domain/messages.ts'),
      );
    }
  });

  it('says why a webhook URL is refused, field by field', () => {
    let refused: DomainError | undefined;
    try {
      parseInput(createSubscriptionInput(true), {
        url: 'http://rh.example.mx/hooks',
        kinds: [],
      });
    } catch (error) {
      refused = error as DomainError;
    }
    expect(refused?.code).toBe('WEBHOOK_URL_NOT_ALLOWED');
    expect(localizeError(refused!, 'es', partnersMessages)).toEqual({
      message:
        'input.url: debe usar https; input.kinds: debe indicar al menos un tipo',
      fields: [
        { field: 'input.url', message: 'debe usar https' },
        { field: 'input.kinds', message: 'debe indicar al menos un tipo' },
      ],
    });
  });
});
