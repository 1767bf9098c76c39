/**
 * Calendar arithmetic in UTC. Adding months or years keeps the day of month, and
 * clamps it to the last day when the target month is shorter (29 Feb + 1 year →
 * 28 Feb), so a certificate never expires in the wrong month.
 */
export function addMonths(date: Date, months: number): Date {
  const target = new Date(date.getTime());
  const day = date.getUTCDate();
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target;
}

/** `date` plus whole years (see {@link addMonths} for short months). */
export function addYears(date: Date, years: number): Date {
  return addMonths(date, years * 12);
}

const DAY_MS = 86_400_000;

/** `date` plus whole days. */
export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}
