import type { Collection, Document } from 'mongodb';
import { Schema, type Connection } from 'mongoose';
import {
  ProviderSurveyScoreChangedV1,
  isDuplicateKeyError,
  newEvent,
  type OutboxWriter,
} from '@conecta/events';
import {
  releaseChanged,
  releasedProviderScore,
  type ReleasedProviderScore,
  type SurveyWeights,
} from '../domain/survey';
import type { SurveyStore } from './surveys';

/** The release last published for a provider, with its revision. */
export interface ProviderScoreDoc extends ReleasedProviderScore {
  _id: string;
  revision: number;
  changedAt: Date;
}

/** How the release is computed: outcomes' weights and suppression threshold. */
export interface ReleasePolicy {
  weights: SurveyWeights;
  threshold: number;
}

// Each round re-reads the surveys; one racing writer wins per round, and the
// loser finds the winner's release (normally the same) on its next read.
const ATTEMPTS = 5;

/**
 * Each provider's survey score as last released (issue 17), and its
 * `outcomes.ProviderSurveyScoreChanged` events: one document per provider
 * (`provider_survey_scores`, outcomes' own state, kept across rebuilds),
 * written with its event in ONE document write (the outbox), conditional on
 * the revision read. The release is always recomputed from every survey of
 * the provider (never incremented), so a refresh is idempotent and repairs
 * a refresh a crash cut off.
 */
export function createProviderScoreStore(
  connection: Connection,
  outbox: OutboxWriter,
  surveys: SurveyStore,
) {
  const schema = new Schema<ProviderScoreDoc>(
    {
      _id: { type: String, required: true },
      revision: Number,
      responses: Number,
      score: Number,
      changedAt: Date,
    },
    { versionKey: false },
  );
  const model = connection.model<ProviderScoreDoc>(
    'ProviderSurveyScore',
    schema,
    'provider_survey_scores',
  );
  const collection = model.collection as unknown as Collection<Document>;

  /**
   * Publishes the provider's release if it differs from the last one.
   *
   * @returns the new revision, or null when the release had not changed
   * @throws Error when every attempt lost to a concurrent refresh
   */
  async function refresh(
    providerId: string,
    policy: ReleasePolicy,
    now: Date = new Date(),
  ): Promise<number | null> {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      const next = releasedProviderScore(
        await surveys.about('providerId', providerId),
        policy.weights,
        policy.threshold,
      );
      const last = await model
        .findById(providerId, { revision: 1, responses: 1, score: 1 })
        .lean<ProviderScoreDoc>();
      if (!releaseChanged(last, next)) return null;
      const revision = (last?.revision ?? 0) + 1;
      const state = { revision, ...next, changedAt: now };
      const event = newEvent(ProviderSurveyScoreChangedV1, {
        subject: providerId,
        occurredAt: now,
        data: { providerId, ...state, changedAt: now.toISOString() },
      });
      if (!last) {
        try {
          await outbox.insert(collection, { _id: providerId, ...state }, [
            event,
          ]);
          return revision;
        } catch (error) {
          // A concurrent refresh inserted it first: read it and compare again.
          if (isDuplicateKeyError(error)) continue;
          throw error;
        }
      }
      const written = await outbox.update(
        collection,
        { _id: providerId, revision: last.revision },
        { $set: state },
        [event],
      );
      if (written.matchedCount === 1) return revision;
    }
    throw new Error(
      `provider ${providerId}: survey score still changing after ${ATTEMPTS} attempts`,
    );
  }

  return {
    model,
    collection,
    refresh,
    /**
     * Refreshes every provider some survey rates (at start: repairs a
     * refresh a crash cut off, and publishes what a change of the weights or
     * the threshold changed).
     *
     * @returns how many providers' releases changed
     */
    async refreshAll(policy: ReleasePolicy): Promise<number> {
      let changed = 0;
      for (const providerId of await surveys.providers())
        if ((await refresh(providerId, policy)) !== null) changed += 1;
      return changed;
    },
  };
}

export type ProviderScoreStore = ReturnType<typeof createProviderScoreStore>;
