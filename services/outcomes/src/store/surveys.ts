import type { Collection } from 'mongodb';
import { Schema, type Connection } from 'mongoose';
import type { EmployerSurvey, SurveySubjects } from '../domain/survey';
import type { ReadModelDocument } from './collections';

/** A survey as stored. */
export interface SurveyDoc extends Omit<EmployerSurvey, 'id'> {
  _id: string;
}

/**
 * Employer surveys: outcomes' own state, one document each (never updated, so
 * FerretDB's non-atomic updates cannot lose a response). Averages are computed
 * at read time as sum ÷ count in memory.
 */
export function createSurveyStore(connection: Connection) {
  const schema = new Schema<SurveyDoc>(
    {
      _id: { type: String, required: true },
      employerId: String,
      cohortId: { type: String, default: null, index: true },
      providerId: { type: String, default: null, index: true },
      standardId: { type: String, default: null, index: true },
      credentialId: { type: String, default: null, index: true },
      ratings: [{ _id: false, factor: String, score: Number }],
      submittedAt: Date,
    },
    { versionKey: false },
  );
  const model = connection.model<SurveyDoc>(
    'EmployerSurvey',
    schema,
    'employer_surveys',
  );
  const collection =
    model.collection as unknown as Collection<ReadModelDocument>;
  return {
    model,
    async insert(survey: EmployerSurvey): Promise<void> {
      const { id, ...rest } = survey;
      await collection.insertOne({ _id: id, ...rest });
    },
    /** Every survey about `id` as the given subject. */
    async about(
      subject: keyof SurveySubjects,
      id: string,
    ): Promise<EmployerSurvey[]> {
      const docs = await model.find({ [subject]: id }).lean<SurveyDoc[]>();
      return docs.map(({ _id, ...rest }) => ({ id: _id, ...rest }));
    },
    /** The providers some survey rates (the ids, each once). */
    async providers(): Promise<string[]> {
      const docs = await model
        .find({ providerId: { $ne: null } }, { providerId: 1 })
        .lean<Array<Pick<SurveyDoc, 'providerId'>>>();
      return [
        ...new Set(docs.flatMap((d) => (d.providerId ? [d.providerId] : []))),
      ];
    },
  };
}

export type SurveyStore = ReturnType<typeof createSurveyStore>;
