// The one test harness of Conecta. Every API test uses it the same way:
// isolatedInfra() for its own database and topics, createTestClient() to call a
// subgraph as the gateway would, readEvents() to see what reached Kafka, and
// startSubgraph() to run a service under test with all of that wired.
export {
  isolatedInfra,
  launchService,
  mongoUriWithDatabase,
} from '@conecta/devstack';
export type {
  IsolatedInfra,
  LaunchedService,
  LaunchServiceOptions,
} from '@conecta/devstack';
export { createTestClient } from './graphql-client';
export type { AsIdentity, GraphQLResponse, TestClient } from './graphql-client';
export {
  TEST_IDENTITY_SECRET,
  startSubgraph,
  subgraphTestEnv,
} from './start-subgraph';
export type { PublishableEvent, StartedSubgraph } from './start-subgraph';
export { eventually, retrying } from './eventually';
export { commandsBetween, requestCommandsAt } from './request-commands';
export { readEvents } from './read-events';
export type { ObservedEvent, ReadEventsOptions } from './read-events';
export { validCurp } from './curp';
export {
  APPROVE_PROCEDURE,
  DRAFT_PROCEDURE,
  SUBMIT_PROCEDURE,
  approvedProcedure,
  procedureDocument,
} from './evaluation-procedure';
export { companyRfc, withWrongDigit } from './rfc';
export {
  COMPOSE_FILE,
  ComposeVariableError,
  DOCKERFILE,
  composeImage,
  composeService,
  composeServiceNames,
  composeVariables,
  ENV_EXAMPLE_FILE,
  freshComposeEnv,
} from './compose-file';
export { CEASN, CETERMS, CTDL_CONTEXT, expandCtdl, parseCsv } from './ctdl';
