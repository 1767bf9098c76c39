import { join } from 'node:path';
import { localizeError, type DomainError } from '@conecta/service-kit/errors';
import {
  codesWithoutMessage,
  describeMissing,
  thrownReasonCodes,
} from '@conecta/service-kit/message-coverage';
import { HistoryTruncatedError } from '../../src/domain/history';
import { outcomesMessages } from '../../src/domain/messages';
import { alignedPeriods } from '../../src/domain/periods';

const SRC = join(__dirname, '..', '..', 'src');

describe('Spanish error messages', () => {
  it('has a Spanish message for every reason code src/ throws', () => {
    const thrown = thrownReasonCodes(SRC);
    // The scan reads this service's throw sites; a scan that found nothing
    // would make the check below vacuous.
    expect(thrown.length).toBeGreaterThan(5);
    const missing = codesWithoutMessage(thrown, outcomesMessages);
    if (missing.length > 0) {
      throw new Error(
        describeMissing(missing, 'services/outcomes/src/domain/messages.ts'),
      );
    }
  });

  it('names the period a span should start on', () => {
    let refused: DomainError | undefined;
    try {
      alignedPeriods(
        new Date('2025-02-15T00:00:00Z'),
        new Date('2025-06-30T00:00:00Z'),
        'QUARTER',
      );
    } catch (error) {
      refused = error as DomainError;
    }
    expect(refused?.code).toBe('PERIOD_NOT_ALIGNED');
    expect(localizeError(refused!, 'es', outcomesMessages).message).toBe(
      'from debe ser el primer día de un trimestre (p. ej., 2025-01-01)',
    );
  });

  it('keeps every truncated partition of a refused rebuild', () => {
    const error = new HistoryTruncatedError([
      { topic: 'conecta.training.events', partition: 2, earliestOffset: 1200 },
      { topic: 'conecta.training.events', partition: 5, earliestOffset: 40 },
    ]);
    const { message } = localizeError(error, 'es', outcomesMessages);
    expect(message).toMatch(
      /^Kafka ya no conserva el comienzo de 2 particiones de las que /,
    );
    expect(message).toContain(
      'Ahora comienzan: conecta.training.events partición 2 desde el offset 1200; conecta.training.events partición 5 desde el offset 40. Restaure los tópicos',
    );
  });
});
