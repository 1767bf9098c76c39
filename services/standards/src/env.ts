import { loadConfigOrExit } from '@conecta/service-kit';

/**
 * standards needs only the variables every subgraph has (service-kit's
 * `baseConfig`: PORT, MONGODB_URI, KAFKA_BROKERS, …). Its own would go here.
 */
export const standardsConfig = {};

/** Parses process.env once; every bad variable is reported together, then exit 1. */
export function readConfig() {
  return loadConfigOrExit(standardsConfig);
}
