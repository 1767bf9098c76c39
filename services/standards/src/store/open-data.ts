import type { OpenStandard } from '../domain/open-data';
import type { Stores } from '.';

/** Every PUBLISHED standard version with its committee's name: what the slice is built from. */
export async function openStandards(
  stores: Pick<Stores, 'standards' | 'committees'>,
): Promise<OpenStandard[]> {
  const standards = await stores.standards.findPublished();
  const committees = await stores.committees.findByIds([
    ...new Set(standards.map((s) => s.committeeId)),
  ]);
  const names = new Map(committees.map((c) => [c.id, c.name]));
  return standards.map((standard) => ({
    standard,
    committeeName: names.get(standard.committeeId) ?? '',
  }));
}
