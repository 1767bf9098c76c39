import { setTimeout as sleep } from 'node:timers/promises';
import mongoose from 'mongoose';
import type { ConnectOptions, Connection } from 'mongoose';
import type { Logger } from 'pino';

export interface MongoOptions {
  /** `mongodb://` URI, including the database name. */
  uri: string;
  logger: Logger;
  /** Connection attempts before start() gives up; defaults to 10. */
  retries?: number;
  /** Delay before the second attempt, doubled each time up to 10 s; defaults to 500 ms. */
  retryDelayMs?: number;
  /** Extra driver options, merged over ours (`serverSelectionTimeoutMS: 5_000`). */
  connectOptions?: ConnectOptions;
}

export interface Mongo {
  /**
   * The service's own connection: register models on it
   * (`connection.model(...)`). Commands issued before start() are buffered.
   */
  connection: Connection;
  /** Connects, retrying with exponential backoff and logging each attempt. */
  start(): Promise<void>;
  /** Closes the connection; safe to call when not connected. */
  stop(): Promise<void>;
  /** Pings the server; throws if not connected or unreachable. */
  readiness(): Promise<void>;
}

// Caps the backoff so a long outage still retries at a steady pace.
const MAX_RETRY_DELAY_MS = 10_000;

/**
 * Creates a MongoDB connection with its own mongoose `Connection` (no global
 * mongoose singleton, so tests can run several side by side). Nothing connects
 * until `start()`.
 */
export function createMongo({
  uri,
  logger,
  retries = 10,
  retryDelayMs = 500,
  connectOptions,
}: MongoOptions): Mongo {
  const log = logger.child({ component: 'mongo' });
  // createConnection() without a URI returns an unopened connection: no I/O yet.
  const connection = mongoose.createConnection();
  const options: ConnectOptions = {
    // Fail an attempt in 5 s rather than the driver's 30 s, so retries log progress.
    serverSelectionTimeoutMS: 5_000,
    ...connectOptions,
  };

  async function start(): Promise<void> {
    const target = redactUri(uri);
    for (let attempt = 1; ; attempt += 1) {
      try {
        log.info({ attempt, uri: target }, 'connecting to MongoDB');
        await connection.openUri(uri, options);
        log.info({ attempt, db: connection.name }, 'connected to MongoDB');
        return;
      } catch (error) {
        if (attempt >= retries) {
          log.error({ err: error, attempt }, 'giving up connecting to MongoDB');
          throw error;
        }
        const delay = Math.min(
          retryDelayMs * 2 ** (attempt - 1),
          MAX_RETRY_DELAY_MS,
        );
        log.warn(
          { err: error, attempt, retryInMs: delay },
          'MongoDB connection attempt failed',
        );
        await sleep(delay);
      }
    }
  }

  async function stop(): Promise<void> {
    await connection.close();
    log.info('disconnected from MongoDB');
  }

  async function readiness(): Promise<void> {
    const db = connection.db;
    if (connection.readyState !== mongoose.ConnectionStates.connected || !db) {
      throw new Error('MongoDB is not connected');
    }
    await db.command({ ping: 1 });
  }

  return { connection, start, stop, readiness };
}

/** Hides the password in a URI before it is logged. */
function redactUri(uri: string): string {
  return uri.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

/**
 * One page of `query`'s documents in id order after `after` (lists ordered
 * by id: UUID v7, creation order; the cursor module's id cursors), with the
 * query's total: one count and one find of `first + 1` rows, the extra row
 * telling whether another page follows.
 */
export async function pageById<TDoc extends { _id: string }, T>(
  model: mongoose.Model<TDoc>,
  query: mongoose.FilterQuery<TDoc>,
  first: number,
  after: string | null | undefined,
  map: (doc: TDoc) => T,
): Promise<{ nodes: T[]; totalCount: number; hasNextPage: boolean }> {
  const totalCount = await model.countDocuments(query);
  const page = after ? { ...query, _id: { $gt: after } } : query;
  const docs = await model
    .find(page)
    .sort({ _id: 1 })
    .limit(first + 1)
    .lean<TDoc[]>();
  return {
    nodes: docs.slice(0, first).map(map),
    totalCount,
    hasNextPage: docs.length > first,
  };
}
