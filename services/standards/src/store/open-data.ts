import {
  createOpenDataExport,
  type Logger,
  type OpenDataExport,
} from '@conecta/service-kit';
import { standardsFiles, type OpenStandard } from '../domain/open-data';
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

/** The standards slice: standards.csv and standards.jsonld. */
export function createStandardsOpenData(
  stores: Pick<Stores, 'standards' | 'committees'>,
  options: { baseUrl: string; minIntervalMs: number; logger: Logger },
): OpenDataExport {
  return createOpenDataExport({
    build: async () =>
      standardsFiles(await openStandards(stores), options.baseUrl),
    minIntervalMs: options.minIntervalMs,
    logger: options.logger,
  });
}
