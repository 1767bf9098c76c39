/** A tool that is not on PATH, what it is for, and the variable that avoids it. */
export interface MissingTool {
  readonly tool: string;
  readonly neededFor: string;
  readonly envVar: 'KAFKA_BROKERS' | 'MONGODB_URI';
}

/**
 * A tool devstack needs to provision or run a server is missing. The message
 * names every missing tool and the ways around it; the CLI prints it and exits 2.
 */
export class MissingToolError extends Error {
  override readonly name = 'MissingToolError';
  constructor(readonly missing: readonly MissingTool[]) {
    const lines = missing.map(
      (m) =>
        `  - \`${m.tool}\` is not on PATH; it is needed for ${m.neededFor}.`,
    );
    const envVars = [...new Set(missing.map((m) => m.envVar))];
    super(
      [
        'cannot start the local infrastructure:',
        ...lines,
        'Either install the missing tool (Java 17+ and Maven for Kafka; Go 1.24+ for FerretDB, or a `mongod`),',
        `or set ${envVars.join(' / ')} to servers you run yourself (e.g. KAFKA_BROKERS=127.0.0.1:9092, MONGODB_URI=mongodb://127.0.0.1:27017),`,
        // docker-compose's replica set advertises its member as `mongo:27017`, a
        // name only containers resolve: from the host, connect to it directly.
        'or run `docker compose up -d mongo kafka` and point those variables at it (KAFKA_BROKERS=localhost:9092, MONGODB_URI=mongodb://127.0.0.1:27017/?directConnection=true).',
      ].join('\n'),
    );
  }
}

/** A server did not become ready in time, or exited while starting. */
export class ServerStartError extends Error {
  override readonly name = 'ServerStartError';
  constructor(
    readonly server: string,
    reason: string,
    readonly logPath: string,
    readonly logTail: string,
  ) {
    super(
      `${server} ${reason}.\nLast lines of ${logPath}:\n${logTail || '  (log is empty)'}`,
    );
  }
}
