import { loadConfigOrExit } from '@conecta/service-kit';

/**
 * committees needs only the variables every subgraph has (service-kit's
 * `baseConfig`: PORT, MONGODB_URI, KAFKA_BROKERS, …). Its own would go here.
 */
export const committeesConfig = {};

/** Parses process.env once; every bad variable is reported together, then exit 1. */
export function readConfig() {
  return loadConfigOrExit(committeesConfig);
}
