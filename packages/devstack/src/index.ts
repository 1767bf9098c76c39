// The public API of @conecta/devstack: add exports here with intention.
export { ensureInfra, infraStatus, resetInfra, stopInfra } from './stack';
export type { InfraEndpoints, InfraOptions, ServerStatus } from './stack';
export { launchKafka } from './launch';
export type { KafkaHandle, LaunchKafkaOptions } from './launch';
export { isolatedInfra, mongoUriWithDatabase } from './isolated';
export type { IsolatedInfra } from './isolated';
export { MissingToolError, ServerStartError } from './errors';
export type { MissingTool } from './errors';
export { FERRETDB_VERSION, KAFKA_VERSION, readSettings } from './settings';
export { launchService } from './service-process';
export type { LaunchedService, LaunchServiceOptions } from './service-process';
export { BANNER_EXAMPLES } from './examples';
export { startSystem } from './system';
export { servedByIndex } from './explain';
export type { RunningSystem } from './system';
