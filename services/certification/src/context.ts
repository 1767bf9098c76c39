import type { Identity, Logger } from '@conecta/service-kit';
import type { CredentialIssuer } from './credentials/issuer';
import type { CertificationEvents } from './events/publish';
import type { Loaders, Stores } from './store';

/** The rules' settings from config. */
export interface CertificationSettings {
  /** An evaluation older than this cannot be certified. */
  evaluationMaxAgeMonths: number;
  /** Largest window of the expiry reminder query. */
  expiryReminderMaxDays: number;
}

/** What every resolver receives: who asks, and the service's stores and events. */
export interface Context {
  identity: Identity;
  requestId: string;
  logger: Logger;
  stores: Stores;
  /** Per-request DataLoaders: entity references are batched (N → 1 query). */
  loaders: Loaders;
  events: CertificationEvents;
  issuer: CredentialIssuer;
  settings: CertificationSettings;
}
