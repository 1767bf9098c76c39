import { Schema, type Connection } from 'mongoose';
import type { EventEnvelope, OutboxWriter } from '@conecta/events';
import { ConflictError } from '@conecta/service-kit/errors';
import type { Evaluation } from '../domain/evaluation';

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
    // The accepted candidacy it was recorded under (none on imported or older ones).
    candidacyId: { type: String, default: null, index: true },
    // Only on imported evaluations: source, folio, importedBy, importedAt.
    provenance: { type: Schema.Types.Mixed, default: undefined },
    // The procedure version followed (absent on older and imported ones).
    procedureVersion: { type: Number, default: null },
    // The independent body asked to certify it, if any.
    certificationRequest: {
      type: {
        _id: false,
        certifyingBodyId: String,
        requestedBy: String,
        requestedAt: Date,
      },
      default: null,
    },
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
    candidacyId: doc.candidacyId ?? null,
    provenance: doc.provenance ?? null,
    procedureVersion: doc.procedureVersion ?? null,
    certificationRequest: doc.certificationRequest
      ? {
          certifyingBodyId: doc.certificationRequest.certifyingBodyId,
          requestedBy: doc.certificationRequest.requestedBy,
          requestedAt: doc.certificationRequest.requestedAt,
        }
      : null,
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
      await outbox.insertMany(
        model.collection,
        evaluations.map(({ evaluation: { id, ...fields }, events }) => ({
          doc: { _id: id, ...fields },
          events,
        })),
      );
    },

    /**
     * Records a certification request (the evaluation is otherwise immutable),
     * conditional on the request read before (a race between two requests
     * leaves one).
     *
     * @throws ConflictError CONCURRENT_MODIFICATION when it changed meanwhile
     */
    async setCertificationRequest(
      evaluation: Evaluation,
      previousBodyId: string | null,
      events: EventEnvelope[],
    ): Promise<void> {
      const result = await outbox.update(
        model.collection,
        {
          _id: evaluation.id,
          ...(previousBodyId === null
            ? { certificationRequest: null }
            : { 'certificationRequest.certifyingBodyId': previousBodyId }),
        },
        { $set: { certificationRequest: evaluation.certificationRequest } },
        events,
      );
      if (result.matchedCount === 0) {
        throw new ConflictError(
          'CONCURRENT_MODIFICATION',
          'The evaluation changed meanwhile; read it again and retry',
        );
      }
    },

    async findByIds(ids: readonly string[]): Promise<Evaluation[]> {
      const docs = await model
        .find({ _id: { $in: ids } })
        .lean<EvaluationDoc[]>();
      return docs.map(toEvaluation);
    },

    /** The evaluations recorded under the candidacies among `candidacyIds` (id, candidacy, when), in one query. */
    async recordedUnder(
      candidacyIds: readonly string[],
    ): Promise<{ id: string; candidacyId: string; recordedAt: Date }[]> {
      const docs = await model
        .find(
          { candidacyId: { $in: candidacyIds } },
          { candidacyId: 1, recordedAt: 1 },
        )
        .lean<Pick<EvaluationDoc, '_id' | 'candidacyId' | 'recordedAt'>[]>();
      return docs.map((d) => ({
        id: d._id,
        candidacyId: d.candidacyId as string,
        recordedAt: d.recordedAt,
      }));
    },
  };
}

export type EvaluationStore = ReturnType<typeof createEvaluationStore>;
