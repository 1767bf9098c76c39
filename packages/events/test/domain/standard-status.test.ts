import { v7 as uuidv7 } from 'uuid';
import {
  StandardPublishedV1,
  StandardRejectedV1,
  StandardSupersededV1,
  StandardWithdrawnV1,
  dispatcher,
  newEvent,
  standardStatusHandlers,
  type KnownEvent,
  type StandardStatusChange,
} from '../../src';

// What the projections of standards in certification, committees and
// training learn from a standard's public lifecycle, said once.

const standard = () => ({
  id: uuidv7(),
  code: 'EC0217',
  version: 2,
  committeeId: uuidv7(),
  sectorId: uuidv7(),
  level: 3,
});

const published = (ref = standard()) =>
  newEvent(StandardPublishedV1, {
    subject: ref.id,
    data: {
      ...ref,
      title: 'Impartición de cursos de formación del capital humano',
      certificateValidityYears: 3,
      reviewIntervalYears: 5,
      gazetteDate: '2026-03-02',
      gazetteReference: 'DOF 02/03/2026',
      publishedAt: '2026-03-02T15:00:00.000Z',
    },
  });

/** A projection that records what each event told it. */
function recorder() {
  const seen: {
    type: string;
    id: string;
    change: Omit<StandardStatusChange, 'event'>;
  }[] = [];
  const handle = dispatcher<KnownEvent>(
    standardStatusHandlers(async ({ event, status, changedAt }) => {
      seen.push({
        type: event.type,
        id: event.data.id,
        change: { status, changedAt },
      });
    }),
  );
  return { seen, handle };
}

describe("a standard's projected status", () => {
  it('is PUBLISHED, WITHDRAWN or SUPERSEDED from the fact, dated by its own date', async () => {
    const { seen, handle } = recorder();
    const ref = standard();
    await handle(published(ref));
    await handle(
      newEvent(StandardWithdrawnV1, {
        subject: ref.id,
        data: {
          ...ref,
          reason: 'Sustituido por una norma sectorial',
          withdrawnAt: '2027-01-10T09:30:00.000Z',
        },
      }),
    );
    await handle(
      newEvent(StandardSupersededV1, {
        subject: ref.id,
        data: {
          ...ref,
          supersededBy: uuidv7(),
          supersededAt: '2027-06-01T12:00:00.000Z',
        },
      }),
    );
    expect(seen).toEqual([
      {
        type: 'standards.StandardPublished',
        id: ref.id,
        change: { status: 'PUBLISHED', changedAt: '2026-03-02T15:00:00.000Z' },
      },
      {
        type: 'standards.StandardWithdrawn',
        id: ref.id,
        change: { status: 'WITHDRAWN', changedAt: '2027-01-10T09:30:00.000Z' },
      },
      {
        type: 'standards.StandardSuperseded',
        id: ref.id,
        change: {
          status: 'SUPERSEDED',
          changedAt: '2027-06-01T12:00:00.000Z',
        },
      },
    ]);
  });

  it('is not changed by the other events of the standard (a council rejection)', async () => {
    const { seen, handle } = recorder();
    const ref = standard();
    await handle(
      newEvent(StandardRejectedV1, {
        subject: ref.id,
        data: { ...ref, tally: { inFavor: 1, against: 5, abstentions: 0 } },
      }),
    );
    expect(seen).toEqual([]);
  });
});
