import { Schema, type Connection } from 'mongoose';
import type { EventEnvelope, OutboxWriter } from '@conecta/events';
import type { Evaluation } from '../domain/evaluation';
import { insertManyWithOutbox } from './bulk';

export interface EvaluationDoc extends Omit<Evaluation, 'id'> {
  _id: string;
}

const evaluationSchema = new Schema<EvaluationDoc>(
  {
    _id: { type: String, required: true },
    candidateId: { type: String, required: true, index: true },
    standardId: { type: String, required: true },
    certifyingBodyId: { type: String, required: true, index: true },
    evaluatorSubject: { type: String, required: true },
    evidenceSummary: { type: String, required: true },
    result: { type: String, required: true },
    evaluatedAt: { type: Date, required: true },
    recordedAt: { type: Date, required: true },
    // Only on imported evaluations: source, folio, importedBy, importedAt.
    provenance: { type: Schema.Types.Mixed, default: undefined },
  },
  { versionKey: false },
);

function toEvaluation(doc: EvaluationDoc): Evaluation {
  return {
    id: doc._id,
    candidateId: doc.candidateId,
    standardId: doc.standardId,
    certifyingBodyId: doc.certifyingBodyId,
    evaluatorSubject: doc.evaluatorSubject,
    evidenceSummary: doc.evidenceSummary,
    result: doc.result,
    evaluatedAt: doc.evaluatedAt,
    recordedAt: doc.recordedAt,
    provenance: doc.provenance ?? null,
  };
}

/** Evaluations: immutable once recorded. */
export function createEvaluationStore(
  connection: Connection,
  outbox: OutboxWriter,
) {
  const model = connection.model<EvaluationDoc>(
    'Evaluation',
    evaluationSchema,
    'evaluations',
  );

  return {
    model,

    async insert(evaluation: Evaluation, events: EventEnvelope[]) {
      const { id, ...fields } = evaluation;
      await outbox.insert(model.collection, { _id: id, ...fields }, events);
    },

    /**
     * Inserts imported evaluations with their events in one bulk write. One
     * already there (same id: same source and folio, from an import that stopped
     * before its certificates or runs at the same time) is kept as it is.
     */
    async insertImported(
      evaluations: readonly {
        evaluation: Evaluation;
        events: EventEnvelope[];
      }[],
    ): Promise<void> {
      await insertManyWithOutbox(
        model.collection,
        evaluations.map(({ evaluation: { id, ...fields }, events }) => ({
          doc: { _id: id, ...fields },
          events,
        })),
      );
    },

    async findByIds(ids: readonly string[]): Promise<Evaluation[]> {
      const docs = await model
        .find({ _id: { $in: ids } })
        .lean<EvaluationDoc[]>();
      return docs.map(toEvaluation);
    },

    /** The bodies that evaluated `candidateId`, among `bodyIds`. */
    /** Which of `candidateIds` the body has evaluated, in one query. */
    async candidatesEvaluatedBy(
      bodyId: string,
      candidateIds: readonly string[],
    ): Promise<Set<string>> {
      const docs = await model
        .find(
          { certifyingBodyId: bodyId, candidateId: { $in: candidateIds } },
          { candidateId: 1 },
        )
        .lean<Pick<EvaluationDoc, 'candidateId'>[]>();
      return new Set(docs.map((d) => d.candidateId));
    },
  };
}

export type EvaluationStore = ReturnType<typeof createEvaluationStore>;
