import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';

/** What one test file gets: the shared servers, with names nobody else uses. */
export interface IsolatedInfra {
  /** The shared server's URI with `dbName` as its database. */
  readonly mongoUri: string;
  /** `t_<label>_<random>`: unique per call. */
  readonly dbName: string;
  readonly kafkaBrokers: string[];
  /** `t<random>.`: prefix every topic name with it. */
  readonly topicPrefix: string;
  /** `g<random>.`: prefix every consumer group id with it. */
  readonly groupIdPrefix: string;
  /** Drops the database. Call it in afterAll, after closing your own clients. */
  cleanup(): Promise<void>;
}

/**
 * Returns `uri` with its database (the path) set to `dbName`, keeping hosts,
 * credentials and query string. When credentials are present and no
 * `authSource` is given, the original database (or `admin`) is kept as
 * `authSource`, since the driver would otherwise authenticate against `dbName`.
 */
export function mongoUriWithDatabase(uri: string, dbName: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/)([^/?]*)(\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!match) throw new Error(`not a MongoDB connection string: ${uri}`);
  const [, scheme, authority, path = '', query = ''] = match;
  const params = new URLSearchParams(query.slice(1));
  if (authority.includes('@') && !params.has('authSource')) {
    const original = decodeURIComponent(path.slice(1));
    params.set('authSource', original === '' ? 'admin' : original);
  }
  const search = params.toString();
  return `${scheme}${authority}/${encodeURIComponent(dbName)}${search ? `?${search}` : ''}`;
}

function random(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/**
 * Isolation for one test file on the shared servers: its own database
 * (`t_<label>_<8 hex>`; the label is reduced to `[A-Za-z0-9_]`, 30 chars, to fit
 * the 63-byte database name limit) and unique topic and group-id prefixes.
 * Reads `MONGODB_URI` and `KAFKA_BROKERS`, which the devstack Jest global setup
 * sets; throws if they are missing.
 */
export function isolatedInfra(
  label: string,
  env: NodeJS.ProcessEnv = process.env,
): IsolatedInfra {
  const baseUri = env.MONGODB_URI?.trim();
  const brokers = env.KAFKA_BROKERS?.trim();
  if (!baseUri || !brokers) {
    throw new Error(
      'isolatedInfra: MONGODB_URI and KAFKA_BROKERS are not set. Add ' +
        "`globalSetup: require.resolve('@conecta/devstack/jest-global-setup')` to jest.config.js, " +
        'or run `npm run infra:up` and export them.',
    );
  }
  const safeLabel =
    label.replace(/[^A-Za-z0-9_]+/g, '_').slice(0, 30) || 'test';
  const dbName = `t_${safeLabel}_${random(4)}`;
  const mongoUri = mongoUriWithDatabase(baseUri, dbName);
  return {
    mongoUri,
    dbName,
    kafkaBrokers: brokers
      .split(',')
      .map((b) => b.trim())
      .filter((b) => b !== ''),
    topicPrefix: `t${random(4)}.`,
    groupIdPrefix: `g${random(4)}.`,
    cleanup: async () => {
      const client = new MongoClient(mongoUri, {
        serverSelectionTimeoutMS: 5_000,
      });
      try {
        await client.connect();
        await client.db(dbName).dropDatabase();
      } finally {
        await client.close();
      }
    },
  };
}
