import { z } from 'zod';
import { ConflictError } from '@conecta/service-kit/errors';
import { stateMachine } from './common';
import type { Agreement } from './catalog';
import type { Cohort } from './cohort';

export const ENROLLMENT_STATUSES = [
  'ENROLLED',
  'COMPLETED',
  'DROPPED',
] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

/** ENROLLED → COMPLETED | DROPPED. */
export const enrollmentLifecycle = stateMachine<EnrollmentStatus>(
  'enrollment',
  { ENROLLED: ['COMPLETED', 'DROPPED'], COMPLETED: [], DROPPED: [] },
  'INVALID_ENROLLMENT_TRANSITION',
);

/** A person in a cohort. */
export interface Enrollment {
  id: string;
  cohortId: string;
  personId: string;
  status: EnrollmentStatus;
  /** Percentage of sessions attended, 0–100; null until recorded. */
  attendancePercent: number | null;
  voucherIssuedAt: Date | null;
  voucherUsedAt: Date | null;
  /** Vendor exam result; null until recorded. */
  examPassed: boolean | null;
  enrolledAt: Date;
  completedAt: Date | null;
  droppedAt: Date | null;
  dropReason: string | null;
}

export const enrollInput = z.object({
  cohortId: z.uuid(),
  personId: z.uuid(),
});

export const attendanceInput = z.object({
  enrollmentId: z.uuid(),
  attendancePercent: z
    .number()
    .int()
    .min(0, 'must be between 0 and 100')
    .max(100, 'must be between 0 and 100'),
});

export const dropInput = z.object({
  enrollmentId: z.uuid(),
  reason: z.string().trim().min(1, 'must not be empty').max(2_000),
});

export const examInput = z.object({
  enrollmentId: z.uuid(),
  passed: z.boolean(),
});

export function enroll(
  cohort: Cohort,
  personId: string,
  ctx: { id: string; now: Date },
): Enrollment {
  return {
    id: ctx.id,
    cohortId: cohort.id,
    personId,
    status: 'ENROLLED',
    attendancePercent: null,
    voucherIssuedAt: null,
    voucherUsedAt: null,
    examPassed: null,
    enrolledAt: ctx.now,
    completedAt: null,
    droppedAt: null,
    dropReason: null,
  };
}

function assertActive(e: Enrollment): void {
  if (e.status === 'DROPPED')
    throw new ConflictError(
      'ENROLLMENT_DROPPED',
      'The participant dropped out of this cohort',
    );
}

export function recordAttendance(e: Enrollment, percent: number): Enrollment {
  if (e.status !== 'ENROLLED')
    throw new ConflictError(
      'ENROLLMENT_NOT_ACTIVE',
      `Attendance is recorded while ENROLLED, not ${e.status}`,
    );
  return { ...e, attendancePercent: percent };
}

/** A cohort finishes its participants once it runs (or ran). */
export function completeEnrollment(
  e: Enrollment,
  cohort: Cohort,
  now: Date,
): Enrollment {
  enrollmentLifecycle.assert(e.status, 'COMPLETED');
  if (cohort.status !== 'RUNNING' && cohort.status !== 'COMPLETED')
    throw new ConflictError(
      'COHORT_NOT_STARTED',
      'A participant completes a cohort that is RUNNING or COMPLETED',
    );
  return { ...e, status: 'COMPLETED', completedAt: now };
}

export function dropEnrollment(
  e: Enrollment,
  reason: string,
  now: Date,
): Enrollment {
  enrollmentLifecycle.assert(e.status, 'DROPPED');
  return { ...e, status: 'DROPPED', droppedAt: now, dropReason: reason };
}

/** @throws CONFLICT `NO_VOUCHERS` (agreement has none) or `VOUCHER_ALREADY_ISSUED`. */
export function issueVoucher(
  e: Enrollment,
  agreement: Agreement,
  now: Date,
): Enrollment {
  assertActive(e);
  if (agreement.examVouchersPerParticipant === 0)
    throw new ConflictError(
      'NO_VOUCHERS',
      'The agreement of this cohort includes no exam vouchers',
    );
  if (e.voucherIssuedAt)
    throw new ConflictError(
      'VOUCHER_ALREADY_ISSUED',
      'This participant already has an exam voucher',
    );
  return { ...e, voucherIssuedAt: now };
}

/** @throws CONFLICT `VOUCHER_NOT_ISSUED` or `VOUCHER_ALREADY_USED`. */
export function useVoucher(e: Enrollment, now: Date): Enrollment {
  assertActive(e);
  if (!e.voucherIssuedAt)
    throw new ConflictError(
      'VOUCHER_NOT_ISSUED',
      'No exam voucher was issued to this participant',
    );
  if (e.voucherUsedAt)
    throw new ConflictError(
      'VOUCHER_ALREADY_USED',
      'The exam voucher was already used',
    );
  return { ...e, voucherUsedAt: now };
}

/** Records the vendor exam result (a retake may turn a fail into a pass, never back). */
export function recordVendorExam(e: Enrollment, passed: boolean): Enrollment {
  assertActive(e);
  if (e.examPassed === true && !passed)
    throw new ConflictError(
      'EXAM_ALREADY_PASSED',
      'The vendor exam was already recorded as passed',
    );
  return { ...e, examPassed: passed };
}

/** Whether the enrollment holds a seat (dropping frees it). */
export const holdsSeat = (e: Enrollment): boolean => e.status !== 'DROPPED';
