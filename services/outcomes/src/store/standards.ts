import type { Connection } from 'mongoose';
import type { StandardView } from '../domain/usage';
import { readModel, type ReadDoc } from './collections';

/**
 * Standard versions as standards' events describe them. Each event sets its
 * own fields (`publishedAt`, `withdrawnAt`, `supersededAt`) to absolute values,
 * so effects are idempotent and their order does not matter.
 */
export function createStandardViews(connection: Connection) {
  const { model, collection } = readModel(
    connection,
    'StandardView',
    'standards',
  );
  const set = async (id: string, fields: Record<string, unknown>) => {
    await collection.updateOne({ _id: id }, { $set: fields }, { upsert: true });
  };
  return {
    model,
    published: (
      id: string,
      fields: {
        code: string;
        title: string;
        sectorId: string;
        publishedAt: Date;
      },
    ) => set(id, fields),
    withdrawn: (id: string, withdrawnAt: Date) => set(id, { withdrawnAt }),
    superseded: (id: string, supersededAt: Date) => set(id, { supersededAt }),
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
