import type { Identity, Logger } from '@conecta/service-kit';
import type { DisclosurePolicy } from './domain/suppression';
import type { SurveyWeights } from './domain/survey';
import type { OutcomesFeed } from './events/feed';
import type { Loaders, Stores } from './store';

/** What every resolver receives: who asks, what they may see, and the read models. */
export interface Context {
  identity: Identity;
  requestId: string;
  logger: Logger;
  stores: Stores;
  /** Per-request DataLoaders: entity references are batched (N → 1 query). */
  loaders: Loaders;
  /** Small-group suppression for this caller (admins see every value). */
  disclosure: DisclosurePolicy;
  /** Weights of the employer-survey factors (SURVEY_WEIGHTS). */
  surveyWeights: SurveyWeights;
  /** The consumer feeding the read models: its lag and counters, and rebuilds. */
  feed: OutcomesFeed;
}
