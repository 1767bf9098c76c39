import type { Enrollment } from '../domain/enrollment';
import type { Stored } from '../store/aggregate';
import type { Context } from '../context';
import { loadFresh, scopeOf, type Change } from './load';

// What the commands on one participant's progress share (attendance,
// vouchers, vendor exam, completion, drop-out): the enrollment read fresh
// with where it happens, and its one write. Their `authorize` is
// domain/permissions' assertRecordsProgress (brokers and the cohort's
// provider). Steps on one enrollment touch different fields, so a step that
// lost the race runs again (runCommand) on the winner's state, whose rules
// then decide: a voucher issued twice is refused the second time.

/** An enrollment, fresh, with its cohort, agreement, provider and venue. */
export type EnrollmentInScope = { enrollment: Stored<Enrollment> } & Awaited<
  ReturnType<typeof scopeOf>
>;

/**
 * The enrollment a progress command changes; `field` names its argument
 * (for `ENROLLMENT_NOT_FOUND` and for a lost race's CONFLICT).
 */
export async function loadInScope(
  ctx: Pick<Context, 'stores' | 'loaders'>,
  enrollmentId: string,
  field: string,
): Promise<EnrollmentInScope> {
  const enrollment = await loadFresh(
    ctx.stores.enrollments,
    enrollmentId,
    field,
    'Enrollment',
  );
  return { enrollment, ...(await scopeOf(ctx, enrollment)) };
}

/**
 * The `save` step of a progress command: the next state with its event,
 * while the enrollment is at the version read; CONFLICT
 * `ENROLLMENT_CHANGED_CONCURRENTLY` naming `field` otherwise.
 */
export function saveProgress(
  { stores }: Pick<Context, 'stores'>,
  { enrollment }: EnrollmentInScope,
  { next, events }: Change<Enrollment>,
  field: string,
): Promise<Stored<Enrollment>> {
  return stores.enrollments.save(enrollment, next, events, { field });
}
