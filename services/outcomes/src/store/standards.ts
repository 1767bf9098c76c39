import type { Connection } from 'mongoose';
import type { StandardView } from '../domain/usage';
import type { ViewSet } from '../events/plan';
import { readModel, setViews, type ReadDoc } from './collections';

/**
 * Standard versions as standards' events describe them. Each event sets its
 * own fields (`publishedAt`, `withdrawnAt`, `supersededAt`) to absolute values,
 * so effects are idempotent and their order does not matter.
 */
export function createStandardViews(connection: Connection, suffix = '') {
  const { model, collection } = readModel(
    connection,
    'StandardView',
    'standards',
    suffix,
  );
  return {
    model,
    setMany: (views: readonly ViewSet[]) => setViews(collection, views),
    async all(): Promise<StandardView[]> {
      const docs = await model.find({}).lean<ReadDoc[]>();
      return docs.map(toView);
    },
  };
}

function toView(doc: ReadDoc): StandardView {
  const ends = [doc.withdrawnAt, doc.supersededAt].filter(
    (d): d is Date => d instanceof Date,
  );
  return {
    id: doc._id,
    code: typeof doc.code === 'string' ? doc.code : '',
    title: typeof doc.title === 'string' ? doc.title : '',
    sectorId: typeof doc.sectorId === 'string' ? doc.sectorId : null,
    publishedAt: doc.publishedAt instanceof Date ? doc.publishedAt : null,
    endedAt:
      ends.length === 0
        ? null
        : new Date(Math.min(...ends.map((d) => d.getTime()))),
  };
}

export type StandardViews = ReturnType<typeof createStandardViews>;
