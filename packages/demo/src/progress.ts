import { createHash } from 'node:crypto';
import { MongoClient, type Collection } from 'mongodb';
import {
  GraphQLRequestError,
  isMutation,
  type Actor,
  type GraphClient,
} from './graph-client';

// The demo load's progress record: every mutation the loader got an answer
// to, with that answer, and a completion mark written last. A load that was
// interrupted (Ctrl-C, crash, a failing step) is resumed by running the same
// seeded loader again: generation is deterministic, so it asks for the same
// mutations in the same order; those already answered are answered from the
// record instead of being sent twice, and the rest go to the gateway.

/**
 * One answered mutation, the attempts of one that were refused (`refused`),
 * or (`kind: 'complete'`) the completion mark.
 */
interface ProgressDoc {
  _id: string;
  run: string;
  kind: 'mutation' | 'refused' | 'complete';
  data?: unknown;
  /** For `refused`: the mutation's record id and how many attempts were refused. */
  mutation?: string;
  attempts?: number;
  /** For the completion mark: the first sector's id, to tell a stale record from the data it describes. */
  anchor?: string;
  at: Date;
}

/** The load was stopped on request (AbortSignal) between two mutations. */
export class DemoLoadInterrupted extends Error {
  constructor(readonly answered: number) {
    super(
      `demo load interrupted after ${answered} mutations; the next load resumes it`,
    );
    this.name = 'DemoLoadInterrupted';
  }
}

/** Where progress is kept: a MongoDB database of its own (its lifecycle is the data's). */
export interface DemoProgressOptions {
  /** e.g. mongodb://127.0.0.1:27017/conecta_demo */
  mongoUri: string;
}

/**
 * The key of a mutation in the record: its text and variables, with dates
 * blanked (records are dated relative to today, and a load may resume
 * another day), and the how-many-th such call it is. Keyed by content, not
 * by order, so concurrent calls answered in any order find their answer.
 */
function keyOf(query: string, variables: unknown): string {
  const text = JSON.stringify([query, variables]).replace(
    /\d{4}-\d{2}-\d{2}(T[0-9:.]+Z)?/g,
    'D',
  );
  return createHash('sha256').update(text).digest('base64url');
}

/** The progress of one (seed, scale) load. */
export async function openProgress(
  { mongoUri }: DemoProgressOptions,
  run: string,
) {
  const client = await MongoClient.connect(mongoUri);
  const collection: Collection<ProgressDoc> = client
    .db()
    .collection<ProgressDoc>('load_progress');
  const completion = await collection.findOne({ _id: `${run}:complete` });
  // A complete load is skipped, or forgotten when its data is gone, never
  // resumed: its answers are not read (at scale 100, every mutation of the
  // load: a start spent 17 s reading them to skip it).
  const docs = completion ? [] : await collection.find({ run }).toArray();
  const answers = new Map<string, unknown>();
  /** Attempts sent so far of each mutation (its refusals included). */
  const attempts = new Map<string, number>();
  for (const doc of docs) {
    if (doc.kind === 'refused')
      attempts.set(doc.mutation ?? '', doc.attempts ?? 0);
    else answers.set(doc._id, doc.data);
  }
  const seen = new Map<string, number>();
  let answered = 0;

  return {
    /** Whether a load recorded its completion, and for which first sector. */
    completion: completion ? { anchor: completion.anchor ?? '' } : null,
    /** Mutations answered by earlier loads of this run. */
    recorded: answers.size,

    /** Forgets this run (the data it describes is gone: databases reset). */
    async forget(): Promise<void> {
      await collection.deleteMany({ run });
      answers.clear();
    },

    /**
     * The loader's client, recording every answered mutation (queries always
     * go to the gateway). Stops before sending a new mutation once `signal`
     * is aborted, so what was sent is recorded.
     */
    wrap(graph: GraphClient, signal?: AbortSignal): GraphClient {
      return async (as: Actor, query: string, variables = {}) => {
        if (!isMutation(query)) return graph(as, query, variables);
        // Only answered calls count: a refused attempt that `whenProjected`
        // retries must not shift the numbering, or a resumed load, whose
        // first attempt may succeed, would look for its answer under the
        // wrong number and send the mutation twice.
        const base = keyOf(query, variables);
        const nth = (seen.get(base) ?? 0) + 1;
        seen.set(base, nth);
        const id = `${run}:${base}:${nth}`;
        if (answers.has(id)) return answers.get(id) as never;
        // A mutation the gateway answered but whose answer was not recorded
        // (a crash in between) is sent again by a resumed load: its
        // Idempotency-Key, the same in every load of this run, gets the
        // first answer back instead of running it twice. The services keep a
        // key's refusal too, so each attempt has its own key, and refused
        // attempts are counted in the record: a resumed load goes on from the
        // next attempt instead of being given an old refusal again (found
        // resuming a load refused by a rule the next version of the loader
        // satisfies: it was refused for ever).
        const attempt = (attempts.get(id) ?? 0) + 1;
        attempts.set(id, attempt);
        const idempotencyKey = createHash('sha256')
          .update(`${id}:${attempt}`)
          .digest('base64url');
        let data: never;
        try {
          if (signal?.aborted) throw new DemoLoadInterrupted(answered);
          data = await graph(as, query, variables, { idempotencyKey });
        } catch (error) {
          if (seen.get(base) === nth) seen.set(base, nth - 1);
          // Answered with a refusal: that key is spent. (No answer — a lost
          // connection, the gateway's timeout — may have run: its key is
          // kept for the retry, which gets the first attempt's answer.)
          if (error instanceof GraphQLRequestError && error.refused)
            await collection.updateOne(
              { _id: `${id}:refused` },
              {
                $set: {
                  run,
                  kind: 'refused',
                  mutation: id,
                  attempts: attempt,
                  at: new Date(),
                },
              },
              { upsert: true },
            );
          throw error;
        }
        await collection.insertOne({
          _id: id,
          run,
          kind: 'mutation',
          data,
          at: new Date(),
        });
        answers.set(id, data);
        answered += 1;
        return data;
      };
    },

    /** Writes the completion mark: the last write of a load. */
    async complete(anchor: string): Promise<void> {
      await collection.updateOne(
        { _id: `${run}:complete` },
        {
          $set: { run, kind: 'complete', anchor, at: new Date() },
        },
        { upsert: true },
      );
    },

    async close(): Promise<void> {
      await client.close();
    },
  };
}

export type DemoProgress = Awaited<ReturnType<typeof openProgress>>;
