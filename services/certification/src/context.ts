import type { RequestContextArgs } from '@conecta/service-kit';
import type { CredentialIssuer } from './credentials/issuer';
import type { CertificationEvents } from './events/publish';
import type { AccessLogWriter, Loaders, Stores } from './store';

/** The rules' settings from config. */
export interface CertificationSettings {
  /** An evaluation older than this cannot be certified. */
  evaluationMaxAgeMonths: number;
  /** Largest window of the expiry reminder query. */
  expiryReminderMaxDays: number;
  /** Days a body's staff read a person's data after the relationship's last activity. */
  personalDataAccessDays: number;
}

/** What every resolver receives: who asks, and the service's stores and events. */
export interface Context extends RequestContextArgs {
  stores: Stores;
  /** Per-request DataLoaders: entity references are batched (N → 1 query). */
  loaders: Loaders;
  /** The request's access-log writer: staff and admin reads of personal data, batched. */
  accessLog: AccessLogWriter;
  events: CertificationEvents;
  issuer: CredentialIssuer;
  settings: CertificationSettings;
}
