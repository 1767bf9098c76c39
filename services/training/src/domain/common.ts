import { z } from 'zod';
import type { TARGET_KINDS } from '@conecta/events/contracts';
import {
  InvalidInputError,
  stateMachine as sharedStateMachine,
  type StateMachine,
} from '@conecta/service-kit/errors';

/** What a demand, agreement or cohort is for. */
export type TargetKind = (typeof TARGET_KINDS)[number];

/** A competency standard or a vendor credential, by id. */
export interface Target {
  kind: TargetKind;
  id: string;
}

/** `{ standardId }` or `{ credentialId }`: exactly one. */
export const targetInput = z
  .object({
    standardId: z.uuid().nullish(),
    credentialId: z.uuid().nullish(),
  })
  .refine((t) => Boolean(t.standardId) !== Boolean(t.credentialId), {
    message: 'give exactly one of standardId or credentialId',
    params: { code: 'TARGET_REQUIRED' },
  })
  .transform((t): Target =>
    t.standardId
      ? { kind: 'STANDARD', id: t.standardId }
      : { kind: 'CREDENTIAL', id: t.credentialId ?? '' },
  );

export const sameTarget = (a: Target, b: Target): boolean =>
  a.kind === b.kind && a.id === b.id;

/**
 * A target as one string, `STANDARD:<id>` or `CREDENTIAL:<id>`: what an
 * agreement is looked up by (stored top-level and indexed, README: Decisions).
 */
export const targetKey = (target: Target): string =>
  `${target.kind}:${target.id}`;

/**
 * A rate in basis points, 0–`max`, refused with a stable `code` above it; the
 * message names the limit (and `what` it is, e.g. "the vendor discount cap").
 */
export function bpsField(max: number, code: string, what?: string) {
  return z
    .number()
    .int('must be an integer number of basis points')
    .min(0, 'must not be negative')
    .refine((v) => v <= max, {
      message: `must be at most ${max} basis points (${max / 100}%)${what ? `, ${what}` : ''}`,
      params: { code },
    });
}

/** Midnight UTC of `now`'s calendar day: dates compare against "today". */
export function startOfDayUtc(now: Date): Date {
  return new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()),
  );
}

/** `YYYY-MM-DD` of a date (UTC). */
export const isoDay = (date: Date): string => date.toISOString().slice(0, 10);

/** @throws InvalidInputError `DATE_IN_PAST` unless `date` is after today. */
export function assertFuture(date: Date, now: Date, field: string): void {
  if (date.getTime() <= startOfDayUtc(now).getTime())
    throw new InvalidInputError(field, 'must be a future date', 'DATE_IN_PAST');
}

/** @throws InvalidInputError `DATES_REVERSED` when `end` is before `start`. */
export function assertOrdered(
  start: Date,
  end: Date,
  field: string,
  startField: string,
): void {
  if (end.getTime() < start.getTime())
    throw new InvalidInputError(
      field,
      `must not be before ${startField}`,
      'DATES_REVERSED',
    );
}

/**
 * A lifecycle whose refused moves all answer CONFLICT `code` ("A cohort in
 * status COMPLETED cannot become RUNNING", "An enrollment in status DROPPED
 * cannot become COMPLETED"): service-kit's state machine.
 */
export function stateMachine<S extends string>(
  entity: string,
  moves: Readonly<Record<S, readonly S[]>>,
  code: string,
): StateMachine<S> {
  // "An enrollment", "A cohort": the article English spelling asks for.
  const article = /^[aeiou]/i.test(entity) ? 'An' : 'A';
  return sharedStateMachine(moves, (from, to) => ({
    code,
    message: `${article} ${entity} in status ${from} cannot become ${to}`,
  }));
}
