import { ensureInfra } from '../stack';

/**
 * Jest global setup for every package and service: brings the shared Kafka and
 * MongoDB up (or reuses them, or uses KAFKA_BROKERS / MONGODB_URI when set) and
 * exports MONGODB_URI and KAFKA_BROKERS so test workers, started after this,
 * see them. It does not stop the servers when the run ends: the next run reuses
 * them and starts in seconds; `npm run infra:down` stops them.
 */
// eslint-disable-next-line import-x/no-default-export -- Jest's globalSetup calls the module's default export.
export default async function globalSetup(): Promise<void> {
  const { mongoUri, kafkaBrokers } = await ensureInfra();
  process.env.MONGODB_URI = mongoUri;
  process.env.KAFKA_BROKERS = kafkaBrokers.join(',');
}
