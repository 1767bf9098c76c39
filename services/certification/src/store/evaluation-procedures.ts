import { Schema, type Connection } from 'mongoose';
import type { EventEnvelope, OutboxWriter } from '@conecta/events';
import { ConflictError } from '@conecta/service-kit/errors';
import type {
  EvaluationProcedure,
  EvaluationProcedureStatus,
} from '../domain/evaluation-procedure';
import { writeTransition } from './transition';

export interface EvaluationProcedureDoc extends Omit<
  EvaluationProcedure,
  'id'
> {
  _id: string;
  /** `${certifyingBodyId}:${version}`: one document per version of a body's procedure. */
  key: string;
}

const procedureSchema = new Schema<EvaluationProcedureDoc>(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true, unique: true },
    certifyingBodyId: { type: String, required: true, index: true },
    version: { type: Number, required: true },
    documentUrl: { type: String, required: true },
    documentSha256: { type: String, required: true },
    status: { type: String, required: true, index: true },
    draftedBy: { type: String, required: true },
    draftedAt: { type: Date, required: true },
    submittedAt: { type: Date, default: null },
    reviewedBy: { type: String, default: null },
    reviewedAt: { type: Date, default: null },
    rejectionReason: { type: String, default: null },
  },
  { versionKey: false },
);

function toProcedure(doc: EvaluationProcedureDoc): EvaluationProcedure {
  return {
    id: doc._id,
    certifyingBodyId: doc.certifyingBodyId,
    version: doc.version,
    documentUrl: doc.documentUrl,
    documentSha256: doc.documentSha256,
    status: doc.status,
    draftedBy: doc.draftedBy,
    draftedAt: doc.draftedAt,
    submittedAt: doc.submittedAt ?? null,
    reviewedBy: doc.reviewedBy ?? null,
    reviewedAt: doc.reviewedAt ?? null,
    rejectionReason: doc.rejectionReason ?? null,
  };
}

// Admins' review list: a national network has hundreds of bodies, and a body
// submits a version at a time; the list is bounded all the same.
const MAX_LISTED = 200;

/** Versions of the bodies' evaluation procedures (safeguard 2). */
export function createEvaluationProcedureStore(
  connection: Connection,
  outbox: OutboxWriter,
) {
  const model = connection.model<EvaluationProcedureDoc>(
    'EvaluationProcedure',
    procedureSchema,
    'evaluation_procedures',
  );

  return {
    model,

    /**
     * @throws ConflictError CONCURRENT_MODIFICATION when another draft of the
     *   body took the same version meanwhile (read again and retry)
     */
    async insert(
      procedure: EvaluationProcedure,
      events: EventEnvelope[],
    ): Promise<void> {
      const { id, ...fields } = procedure;
      await outbox.insert(
        model.collection,
        {
          _id: id,
          key: `${procedure.certifyingBodyId}:${procedure.version}`,
          ...fields,
        },
        events,
        () =>
          new ConflictError(
            'CONCURRENT_MODIFICATION',
            'Another version of the procedure was drafted meanwhile; read again and retry',
          ),
      );
    },

    /**
     * Writes a transition with its events only if the status is still `from`.
     *
     * @throws ConflictError CONCURRENT_MODIFICATION otherwise
     */
    async transition(
      next: EvaluationProcedure,
      from: EvaluationProcedureStatus,
      events: EventEnvelope[],
    ): Promise<void> {
      await writeTransition(outbox, model.collection, {
        id: next.id,
        from,
        set: {
          status: next.status,
          submittedAt: next.submittedAt,
          reviewedBy: next.reviewedBy,
          reviewedAt: next.reviewedAt,
          rejectionReason: next.rejectionReason,
        },
        events,
        what: 'procedure',
      });
    },

    async findByIds(ids: readonly string[]): Promise<EvaluationProcedure[]> {
      const docs = await model
        .find({ _id: { $in: ids } })
        .lean<EvaluationProcedureDoc[]>();
      return docs.map(toProcedure);
    },

    /** Every version of the procedures of the bodies among `bodyIds`, oldest first. */
    async findByBodyIds(
      bodyIds: readonly string[],
    ): Promise<EvaluationProcedure[]> {
      const docs = await model
        .find({ certifyingBodyId: { $in: bodyIds } })
        .sort({ version: 1 })
        .lean<EvaluationProcedureDoc[]>();
      return docs.map(toProcedure);
    },

    /** Versions waiting for an admin's review, oldest submission first. */
    async findSubmitted(): Promise<EvaluationProcedure[]> {
      const docs = await model
        .find({ status: 'SUBMITTED' })
        .sort({ submittedAt: 1 })
        .limit(MAX_LISTED)
        .lean<EvaluationProcedureDoc[]>();
      return docs.map(toProcedure);
    },
  };
}

export type EvaluationProcedureStore = ReturnType<
  typeof createEvaluationProcedureStore
>;
