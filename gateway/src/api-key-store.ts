import { createHash, randomBytes } from 'node:crypto';
import { MongoClient, type Collection } from 'mongodb';
import { v7 as uuidv7 } from 'uuid';
import type { Role } from '@conecta/service-kit';

/** A partner app's key as stored: never the key itself, only its SHA-256. */
export interface ApiKeyRecord {
  id: string;
  /** What the key is for, e.g. "Universidad de Guadalajara — tablero de demanda". */
  name: string;
  /** The organization that owns the key; forwarded as the caller's organization. */
  organizationId: string;
  roles: Role[];
  /** Requests per minute this key may make. */
  rateLimitPerMinute: number;
  /** The first characters of the key, so an owner can tell keys apart. */
  prefix: string;
  createdAt: string;
  revokedAt?: string;
}

interface ApiKeyDocument extends Omit<ApiKeyRecord, 'id'> {
  _id: string;
  /** SHA-256 (hex) of the whole key. */
  hash: string;
}

export interface IssueApiKeyInput {
  name: string;
  organizationId: string;
  roles: Role[];
  rateLimitPerMinute: number;
}

export interface ApiKeyStoreOptions {
  /** MongoDB URI with the gateway's database (e.g. conecta_gateway). */
  uri: string;
  /** How long a verified key is cached in memory (revocation latency); default 30 s. */
  cacheMs?: number;
  /** Collection name; defaults to `api_keys`. */
  collection?: string;
}

/** Roles an API key may not carry: admins are people, accountable by name. */
export const ROLES_NOT_FOR_API_KEYS: readonly Role[] = ['admin'];

const KEY_PREFIX = 'cnk_';
// 32 random bytes: 256 bits, as strong as the HMAC keys; base64url keeps it header-safe.
const KEY_BYTES = 32;
// Enough of the key to recognise it in a list, far too little to guess the rest.
const VISIBLE_PREFIX_CHARS = KEY_PREFIX.length + 6;
// A verified key is cached so a partner's burst does not hit MongoDB per request.
const DEFAULT_CACHE_MS = 30_000;

/**
 * Why SHA-256 and not scrypt: an API key is 256 random bits, not a password a
 * person chose. Nobody can enumerate 2^256 candidates however fast the hash, so
 * a deliberately slow KDF buys nothing, while it would cost tens of
 * milliseconds of CPU on every partner request (and hand an attacker a cheap way
 * to burn the gateway's CPU with bogus keys). A fast digest also lets MongoDB
 * find the key by an indexed equality lookup.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

function toRecord({ _id, hash: _hash, ...rest }: ApiKeyDocument): ApiKeyRecord {
  return { id: _id, ...rest };
}

/**
 * Partner API keys in the gateway's MongoDB collection. `start()` connects and
 * creates the unique index on the hash; `verify(key)` is what each request uses
 * (cached for `cacheMs`); `issue`/`revoke`/`list` serve the CLI.
 */
export function createApiKeyStore({
  uri,
  cacheMs = DEFAULT_CACHE_MS,
  collection: collectionName = 'api_keys',
}: ApiKeyStoreOptions) {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
  const keys: Collection<ApiKeyDocument> = client
    .db()
    .collection<ApiKeyDocument>(collectionName);
  const cache = new Map<
    string,
    { record: ApiKeyRecord | undefined; until: number }
  >();

  return {
    async start(): Promise<void> {
      await client.connect();
      await keys.createIndex({ hash: 1 }, { unique: true });
    },
    async stop(): Promise<void> {
      await client.close();
    },
    async readiness(): Promise<void> {
      await client.db().command({ ping: 1 });
    },

    /** Creates a key; the plain key is returned once and never stored. */
    async issue(
      input: IssueApiKeyInput,
    ): Promise<{ key: string; record: ApiKeyRecord }> {
      const forbidden = input.roles.filter((r) =>
        ROLES_NOT_FOR_API_KEYS.includes(r),
      );
      if (forbidden.length > 0)
        throw new Error(`API keys may not carry: ${forbidden.join(', ')}`);
      if (input.roles.length === 0)
        throw new Error('An API key needs at least one role');
      const key = `${KEY_PREFIX}${randomBytes(KEY_BYTES).toString('base64url')}`;
      const document: ApiKeyDocument = {
        _id: uuidv7(),
        hash: hashApiKey(key),
        prefix: key.slice(0, VISIBLE_PREFIX_CHARS),
        name: input.name,
        organizationId: input.organizationId,
        roles: input.roles,
        rateLimitPerMinute: input.rateLimitPerMinute,
        createdAt: new Date().toISOString(),
      };
      await keys.insertOne(document);
      return { key, record: toRecord(document) };
    },

    /** Revokes a key by id; undefined when there is no such key. */
    async revoke(id: string): Promise<ApiKeyRecord | undefined> {
      const revokedAt = new Date().toISOString();
      await keys.updateOne(
        { _id: id, revokedAt: { $exists: false } },
        { $set: { revokedAt } },
      );
      const document = await keys.findOne({ _id: id });
      cache.clear();
      return document ? toRecord(document) : undefined;
    },

    async list(
      filter: { organizationId?: string; includeRevoked?: boolean } = {},
    ): Promise<ApiKeyRecord[]> {
      const documents = await keys
        .find({
          ...(filter.organizationId
            ? { organizationId: filter.organizationId }
            : {}),
          ...(filter.includeRevoked ? {} : { revokedAt: { $exists: false } }),
        })
        .sort({ createdAt: 1 })
        .toArray();
      return documents.map(toRecord);
    },

    /** The active key's record, or undefined (unknown or revoked). */
    async verify(key: string): Promise<ApiKeyRecord | undefined> {
      if (!key.startsWith(KEY_PREFIX)) return undefined;
      const hash = hashApiKey(key);
      const now = Date.now();
      const cached = cache.get(hash);
      if (cached && cached.until > now) return cached.record;
      const document = await keys.findOne({
        hash,
        revokedAt: { $exists: false },
      });
      const record = document ? toRecord(document) : undefined;
      // Only known keys are cached: random bogus keys must not grow the map.
      if (record && cacheMs > 0)
        cache.set(hash, { record, until: now + cacheMs });
      return record;
    },
  };
}

export type ApiKeyStore = ReturnType<typeof createApiKeyStore>;
