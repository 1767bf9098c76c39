import type { Connection } from 'mongoose';
import { Schema } from 'mongoose';
import type { Collection } from 'mongodb';
import { ConflictError } from '@conecta/service-kit/errors';
import type { ProgramGoal } from '../domain/goal';
import type { ReadModelDocument } from './collections';

/** A goal as stored. */
export interface GoalDoc extends Omit<ProgramGoal, 'id'> {
  _id: string;
}

// E11000: a goal with this id exists.
const DUPLICATE_KEY = 11_000;

/** Program goals: outcomes' own state. No other service needs them, so they publish no events. */
export function createGoalStore(connection: Connection) {
  const schema = new Schema<GoalDoc>(
    {
      _id: { type: String, required: true },
      name: String,
      metric: String,
      target: Number,
      startsOn: Date,
      deadline: Date,
      state: { type: String, default: null },
      sectorId: { type: String, default: null },
      createdAt: Date,
    },
    { versionKey: false },
  );
  const model = connection.model<GoalDoc>(
    'ProgramGoal',
    schema,
    'program_goals',
  );
  const collection =
    model.collection as unknown as Collection<ReadModelDocument>;
  const toGoal = ({ _id, ...rest }: GoalDoc): ProgramGoal => ({
    id: _id,
    ...rest,
  });
  return {
    model,
    async insert(goal: ProgramGoal): Promise<void> {
      const { id, ...rest } = goal;
      try {
        await collection.insertOne({ _id: id, ...rest });
      } catch (error) {
        if ((error as { code?: number }).code === DUPLICATE_KEY)
          throw new ConflictError('GOAL_EXISTS', 'The goal exists');
        throw error;
      }
    },
    async all(): Promise<ProgramGoal[]> {
      const docs = await model.find({}).sort({ deadline: 1 }).lean<GoalDoc[]>();
      return docs.map(toGoal);
    },
    async findByIds(ids: readonly string[]): Promise<ProgramGoal[]> {
      const docs = await model
        .find({ _id: { $in: [...ids] } })
        .lean<GoalDoc[]>();
      return docs.map(toGoal);
    },
  };
}

export type GoalStore = ReturnType<typeof createGoalStore>;
