import { checkHistory, HistoryTruncatedError } from '../../src/domain/history';
import { partitionStartMother as starts } from '../fixtures/mothers';

describe('source history', () => {
  it('is complete when every partition still starts at offset 0', () => {
    expect(
      checkHistory([
        starts.intact('conecta.training.events', 0),
        starts.intact('conecta.training.events', 1),
        starts.intact('conecta.standards.events', 0),
      ]),
    ).toEqual({ complete: true, truncated: [] });
  });

  it('is complete when no topic exists yet (nothing was ever written, nothing lost)', () => {
    expect(checkHistory([])).toEqual({ complete: true, truncated: [] });
  });

  it('names every partition whose earliest offset is above 0, by topic then partition, and only those', () => {
    const check = checkHistory([
      starts.truncated(40, 'conecta.training.events', 2),
      starts.intact('conecta.training.events', 1),
      starts.truncated(1, 'conecta.certification.events', 0),
      starts.truncated(7, 'conecta.training.events', 0),
      starts.intact('conecta.standards.events', 0),
    ]);
    expect(check).toEqual({
      complete: false,
      truncated: [
        starts.truncated(1, 'conecta.certification.events', 0),
        starts.truncated(7, 'conecta.training.events', 0),
        starts.truncated(40, 'conecta.training.events', 2),
      ],
    });
  });

  it('counts a partition emptied by retention as truncated (its records are gone, not absent)', () => {
    // Low and high watermark both at 12: no record left, twelve deleted.
    expect(checkHistory([starts.truncated(12)]).complete).toBe(false);
  });

  it('refuses a rebuild with a CONFLICT of reason HISTORY_TRUNCATED that names each partition, its earliest offset and what to do', () => {
    const truncated = [
      starts.truncated(7, 'conecta.training.events', 0),
      starts.truncated(40, 'conecta.training.events', 2),
    ];
    const error = new HistoryTruncatedError(truncated);
    expect(error.kind).toBe('CONFLICT');
    expect(error.code).toBe('HISTORY_TRUNCATED');
    expect(error.details).toEqual({ truncated });
    expect(error.message).toContain(
      'conecta.training.events partition 0 from offset 7',
    );
    expect(error.message).toContain(
      'conecta.training.events partition 2 from offset 40',
    );
    expect(error.message).toMatch(/2 partitions/);
    expect(error.message).toMatch(/restore the topics from a backup/i);
    expect(error.message).toMatch(/never fell behind retention/);
  });
});
