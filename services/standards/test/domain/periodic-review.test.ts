import fc from 'fast-check';
import {
  dueForReview,
  markReviewDueAnnounced,
  periodicReviewStatus,
  reviewDueAt,
  reviewDueToAnnounce,
} from '../../src/domain/periodic-review';
import type { StandardStatus } from '../../src/domain/lifecycle';
import { publishedMother, standardMother } from '../fixtures/mothers';

const at = (iso: string) => new Date(iso);

describe('the periodic review of a published standard', () => {
  it.each([
    // gazette date, interval, now, expected
    ['2020-01-15', 5, '2025-01-14T23:59:59.999Z', 'CURRENT'],
    ['2020-01-15', 5, '2025-01-15T00:00:00.000Z', 'REVIEW_DUE'],
    ['2020-01-15', 5, '2026-12-06T12:00:00.000Z', 'REVIEW_DUE'],
    ['2024-02-29', 1, '2025-02-28T23:59:59.000Z', 'CURRENT'],
    ['2024-02-29', 1, '2025-03-01T00:00:00.000Z', 'REVIEW_DUE'],
    ['2026-01-15', 10, '2035-12-31T00:00:00.000Z', 'CURRENT'],
  ] as const)(
    'published %s, reviewed every %i years: at %s it is %s',
    (gazetteDate, years, now, expected) => {
      expect(
        periodicReviewStatus(publishedMother(gazetteDate, years), at(now)),
      ).toBe(expected);
    },
  );

  it('falls due on the gazette date plus the interval, at midnight UTC, whenever the publication was recorded', () => {
    const standard = publishedMother('2021-06-30', 3);
    expect(reviewDueAt(standard)).toEqual(at('2024-06-30T00:00:00.000Z'));
  });

  it.each<StandardStatus>([
    'DRAFT',
    'IN_COUNCIL_VOTE',
    'APPROVED',
    'WITHDRAWN',
    'SUPERSEDED',
  ])('has no review to fall due when %s', (status) => {
    const standard = {
      ...publishedMother('2015-01-01', 1),
      status,
    };
    expect(reviewDueAt(standard)).toBeNull();
    expect(periodicReviewStatus(standard, at('2026-12-06T00:00:00Z'))).toBe(
      null,
    );
  });

  it('lists the due standards only, the longest overdue first', () => {
    const now = at('2026-12-06T12:00:00.000Z');
    const recent = publishedMother('2025-05-01', 5, { code: 'EC0001' });
    const dueLater = publishedMother('2021-03-01', 5, { code: 'EC0002' });
    const dueFirst = publishedMother('2018-07-01', 3, { code: 'EC0003' });
    const draft = standardMother.inStatus('DRAFT', { code: 'EC0004' });
    expect(
      dueForReview([recent, dueLater, draft, dueFirst], now).map((s) => s.code),
    ).toEqual(['EC0003', 'EC0002']);
  });

  it('is due exactly when now is at or after the gazette date plus the interval', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: at('2000-01-01T00:00:00Z'),
          max: at('2030-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: -20 * 366, max: 20 * 366 }),
        (published, years, offsetDays) => {
          const gazetteDate = published.toISOString().slice(0, 10);
          const standard = publishedMother(gazetteDate, years);
          const due = reviewDueAt(standard)!;
          const now = new Date(due.getTime() + offsetDays * 86_400_000);
          expect(periodicReviewStatus(standard, now)).toBe(
            offsetDays >= 0 ? 'REVIEW_DUE' : 'CURRENT',
          );
          expect(due.getTime()).toBeGreaterThan(
            at(`${gazetteDate}T00:00:00Z`).getTime(),
          );
        },
      ),
    );
  });
});

describe('announcing that a review fell due', () => {
  const now = at('2026-12-06T12:00:00.000Z');

  it('announces a due standard once per due date', () => {
    const due = publishedMother('2020-01-15', 5);
    expect(reviewDueToAnnounce(due, now)).toBe(true);
    const announced = markReviewDueAnnounced(due);
    expect(announced).toMatchObject({
      status: 'PUBLISHED',
      reviewDueAnnounced: '2025-01-15T00:00:00.000Z',
      revision: due.revision + 1,
      updatedAt: due.updatedAt,
    });
    expect(reviewDueToAnnounce(announced, now)).toBe(false);
  });

  it.each([
    ['not yet due', publishedMother('2024-01-15', 5)],
    ['not published', standardMother.inStatus('WITHDRAWN')],
  ])('announces nothing for a standard %s', (_name, standard) => {
    expect(reviewDueToAnnounce(standard, now)).toBe(false);
  });
});
