import { randomBytes } from 'node:crypto';
import type { Collection } from 'mongodb';
import { Schema, type Connection } from 'mongoose';
import {
  isDuplicateKeyError,
  type EventEnvelope,
  type OutboxWriter,
} from '@conecta/events';
import type { Logger } from '@conecta/service-kit';
import {
  ConflictError,
  UnreachableCaseError,
} from '@conecta/service-kit/errors';
import {
  holdsValidKey,
  type Certificate,
  type CertificateEntry,
} from '../domain/certificate';
import {
  FIRST_STATUS_LIST,
  messageStatuses,
  statusEntriesOf,
  suspensionEntryOf,
  type StatusListEntry,
  type StatusListRef,
} from '../domain/status-slots';
import { createCertificateCounts } from './certificate-counts';

export interface CertificateDoc extends Omit<Certificate, 'id' | 'statusList'> {
  _id: string;
  /**
   * Written on every certificate since lists were numbered; absent on those
   * stored before, which are in list 1 (read as {@link FIRST_STATUS_LIST}).
   */
  statusList?: number;
  /**
   * `${personId}:${standardId}` while the certificate may be VALID, and
   * `released:${id}` once revoked or found expired: a unique index on it keeps
   * at most one VALID certificate per person and standard, even under
   * concurrency, without partial indexes (FerretDB has none).
   */
  validKey: string;
  /**
   * The list whose revocation entry this certificate sets: written with the
   * revocation, absent before. An equality its index serves, so reading one
   * list's set entries costs what the list has set, not the registry's size
   * (FerretDB pushes down no `$ne`; see statusListEntries).
   */
  revokedInList?: number | null;
  /** The same for the suspension (and message) entry: set while suspended, null after. */
  suspendedInList?: number | null;
}

const certificateSchema = new Schema<CertificateDoc>(
  {
    _id: { type: String, required: true },
    personId: { type: String, required: true, index: true },
    standardId: { type: String, required: true, index: true },
    certifyingBodyId: { type: String, required: true, index: true },
    // The evaluation centre an independent body certified for; absent on
    // certificates stored before (read as the certifying body).
    evaluatingBodyId: { type: String, default: null },
    // One certificate per evaluation.
    evaluationId: { type: String, required: true, unique: true },
    certifierSubject: { type: String, required: true },
    issuedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true, index: true },
    revokedAt: { type: Date, default: null },
    revocationReason: { type: String, default: null },
    // Absent on certificates never suspended (read as null).
    suspendedAt: { type: Date, default: null },
    suspensionReason: { type: String, default: null },
    verificationCode: { type: String, required: true, unique: true },
    // Not required: certificates stored before lists were numbered lack it (list 1).
    statusList: { type: Number },
    // Not unique alone (each list has its own index 5), and not indexed alone:
    // the (list, index) pair's index below serves the check of list 1 against
    // certificates stored before lists were numbered (see
    // unnumberedIndexesAmong). One index fewer to write per certificate, by
    // each import and again by the relay's settling of its outbox.
    statusListIndex: { type: Number, required: true },
    validKey: { type: String, required: true, unique: true },
    // Only on imported certificates: source, folio, importedBy, importedAt.
    provenance: { type: Schema.Types.Mixed, default: undefined },
    // Set only on the entries a list sets (CertificateDoc): absent otherwise.
    revokedInList: { type: Number, default: undefined },
    suspendedInList: { type: Number, default: undefined },
  },
  { versionKey: false },
);
// One certificate per entry of each list. It also serves lookups by index
// alone: FerretDB's GIN index over the pair answers a condition on either
// field, and MongoDB reads `statusList: { $exists: false }` as the bounds
// [null, null] of its first field.
certificateSchema.index(
  { statusList: 1, statusListIndex: 1 },
  { unique: true },
);
// The revoked entries of one list (credentialStatusList, verifyCredential),
// and its suspended ones (its suspension list, derived from it): equalities.
certificateSchema.index({ revokedInList: 1 });
certificateSchema.index({ suspendedInList: 1 });

function toCertificate(doc: CertificateDoc): Certificate {
  return {
    id: doc._id,
    personId: doc.personId,
    standardId: doc.standardId,
    certifyingBodyId: doc.certifyingBodyId,
    evaluatingBodyId: doc.evaluatingBodyId ?? null,
    evaluationId: doc.evaluationId,
    certifierSubject: doc.certifierSubject,
    issuedAt: doc.issuedAt,
    expiresAt: doc.expiresAt,
    revokedAt: doc.revokedAt ?? null,
    revocationReason: doc.revocationReason ?? null,
    suspendedAt: doc.suspendedAt ?? null,
    suspensionReason: doc.suspensionReason ?? null,
    verificationCode: doc.verificationCode,
    statusList: doc.statusList ?? FIRST_STATUS_LIST,
    statusListIndex: doc.statusListIndex,
    provenance: doc.provenance ?? null,
  };
}

/** How many of `certificates` are not revoked, per standard: what their writes add to the counters. */
function unrevokedPerStandard(
  certificates: readonly Pick<Certificate, 'standardId' | 'revokedAt'>[],
): Map<string, number> {
  const added = new Map<string, number>();
  for (const c of certificates)
    if (!c.revokedAt)
      added.set(c.standardId, (added.get(c.standardId) ?? 0) + 1);
  return added;
}

const validKeyOf = (c: Pick<Certificate, 'personId' | 'standardId'>) =>
  `${c.personId}:${c.standardId}`;
const released = (id: string) => `released:${id}`;

// Rounds of a bulk import: a round only sends again the few whose random code
// or status entry clashed (an entry only clashes with one placed outside the
// counter), so a handful suffice.
const MAX_IMPORT_ROUNDS = 8;
// Reservations in list 1 skip the entries of certificates stored before lists
// were numbered; each round reserves again only for those, so the rounds
// shrink geometrically unless list 1 is nearly all taken by them.
const MAX_RESERVATION_ROUNDS = 64;

/** The counter of status-list positions handed out to every certificate (one document). */
interface StatusSlotsDoc {
  _id: string;
  /** Positions handed out so far; the next reservation starts here. */
  next: number;
  /** The deployment's permutation key: positions → entries (domain/status-slots). */
  key: string;
}
// Named when there was one list; kept so a deployment's counter and key carry
// on. It counts positions across every list.
const STATUS_SLOTS_ID = 'status-list-1';

/** A range of status-list positions reserved for one import. */
export interface ReservedSlots {
  /** The first reserved position; the range is [start, start + count). */
  start: number;
  count: number;
  key: string;
}

/** What a bulk import of certificates did, certificate by certificate. */
export interface ImportedCertificates {
  inserted: Certificate[];
  /** Certificates of the same evaluations written meanwhile (the same folios imported at the same time). */
  existing: Certificate[];
  /** Refused: the person got a VALID certificate for the standard meanwhile. */
  conflicting: Certificate[];
}

export interface CertificateStoreOptions {
  /** Standard ids in id order after `after` (the standards projection), for the counts' reconciliation. */
  standardIdsAfter: (after: string, limit: number) => Promise<string[]>;
  logger: Logger;
}

/**
 * Certificates, with the invariants held by unique indexes, and their counts
 * per standard (`counts`), changed right after every certificate write.
 */
export function createCertificateStore(
  connection: Connection,
  outbox: OutboxWriter,
  { standardIdsAfter, logger }: CertificateStoreOptions,
) {
  const model = connection.model<CertificateDoc>(
    'Certificate',
    certificateSchema,
    'certificates',
  );
  const counts = createCertificateCounts(connection, {
    // Equality on the standardId index; revokedAt: null also matches a missing field.
    countUnrevoked: (standardId) =>
      model.countDocuments({ standardId, revokedAt: null }),
    standardIdsAfter,
    logger,
  });

  // A mongoose model so the collection is usable before the connection opens.
  const slots = connection.model<StatusSlotsDoc>(
    'StatusListSlots',
    new Schema<StatusSlotsDoc>(
      { _id: String, next: Number, key: String },
      { versionKey: false },
    ),
    'status_list_slots',
  ).collection as unknown as Collection<StatusSlotsDoc>;

  // The deployment's permutation key never changes once drawn: read once.
  let statusKey: string | undefined;
  const store = {
    model,

    /**
     * Gives the certificates revoked or suspended before `revokedInList` /
     * `suspendedInList` were written the list their entry sets (list 1 for
     * those stored before lists were numbered), so statusListEntries reads
     * them too. Once per database: a marker in `store_migrations` records it,
     * so later starts skip the scan. Run before serving (prepare); idempotent
     * if two instances run it at once. Answers how many it updated.
     */
    async backfillStatusEntries(): Promise<number> {
      const markers = connection.collection<{ _id: string; at: Date }>(
        'store_migrations',
      );
      const marker = 'certificates.status-entries-in-list';
      if (await markers.findOne({ _id: marker })) return 0;
      const pending = await model
        .find(
          {
            $or: [
              { revokedAt: { $ne: null }, revokedInList: { $exists: false } },
              {
                suspendedAt: { $ne: null },
                suspendedInList: { $exists: false },
              },
            ],
          },
          { statusList: 1, revokedAt: 1, suspendedAt: 1 },
        )
        .lean<
          Pick<
            CertificateDoc,
            '_id' | 'statusList' | 'revokedAt' | 'suspendedAt'
          >[]
        >();
      if (pending.length > 0)
        await model.bulkWrite(
          pending.map((doc) => {
            const list = doc.statusList ?? FIRST_STATUS_LIST;
            return {
              updateOne: {
                filter: { _id: doc._id },
                update: {
                  $set: doc.revokedAt
                    ? { revokedInList: list }
                    : { suspendedInList: list },
                },
              },
            };
          }),
        );
      try {
        await markers.insertOne({ _id: marker, at: new Date() });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      if (pending.length > 0)
        logger.info(
          { updated: pending.length },
          'certificates: status entries written for earlier revocations and suspensions',
        );
      return pending.length;
    },
    /** Certificates not revoked per standard: read, changed, reconciled (README: Certificate counts). */
    counts,

    /**
     * The VALID certificate of a person for a standard, if any. One found
     * expired has its key released on the way, so a new one can be issued.
     */
    async findValid(
      personId: string,
      standardId: string,
      now: Date,
    ): Promise<Certificate | null> {
      const validKey = validKeyOf({ personId, standardId });
      const doc = await model.findOne({ validKey }).lean<CertificateDoc>();
      if (!doc) return null;
      if (doc.expiresAt.getTime() > now.getTime() && !doc.revokedAt) {
        return toCertificate(doc);
      }
      await outbox.update(
        model.collection,
        { _id: doc._id, validKey },
        { $set: { validKey: released(doc._id) } },
        [],
      );
      return null;
    },

    async findByEvaluation(evaluationId: string): Promise<Certificate | null> {
      const doc = await model.findOne({ evaluationId }).lean<CertificateDoc>();
      return doc ? toCertificate(doc) : null;
    },

    /**
     * Inserts an issued certificate with its events. A unique-index clash on
     * the person+standard or the evaluation is a CONFLICT (someone issued
     * meanwhile); a clash on the random code or the status entry returns
     * `'collision'` so the caller draws new ones.
     */
    async insert(
      certificate: Certificate,
      events: EventEnvelope[],
    ): Promise<'inserted' | 'collision'> {
      const { id, ...fields } = certificate;
      try {
        await counts.changing([certificate.standardId], async () => {
          await outbox.insert(
            model.collection,
            { _id: id, ...fields, validKey: validKeyOf(certificate) },
            events,
          );
          await counts.add(unrevokedPerStandard([certificate]));
        });
        return 'inserted';
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        if (await store.findByEvaluation(certificate.evaluationId)) {
          throw new ConflictError(
            'EVALUATION_ALREADY_CERTIFIED',
            'This evaluation already has a certificate',
          );
        }
        if (
          await store.findValid(
            certificate.personId,
            certificate.standardId,
            certificate.issuedAt,
          )
        ) {
          throw new ConflictError(
            'CERTIFICATE_ALREADY_VALID',
            'The person already holds a VALID certificate for this standard',
          );
        }
        return 'collision';
      }
    },

    /**
     * Writes a revocation with its events only if not revoked meanwhile, then
     * takes it off its standard's count.
     *
     * @throws ConflictError CERTIFICATE_ALREADY_REVOKED
     */
    async revoke(
      certificate: Certificate,
      events: EventEnvelope[],
    ): Promise<void> {
      await counts.changing([certificate.standardId], async () => {
        const result = await outbox.update(
          model.collection,
          { _id: certificate.id, revokedAt: null },
          {
            $set: {
              revokedAt: certificate.revokedAt,
              revocationReason: certificate.revocationReason,
              revokedInList: certificate.statusList,
              // A revocation ends a suspension: the one final status.
              suspendedAt: null,
              suspensionReason: null,
              suspendedInList: null,
              validKey: released(certificate.id),
            },
          },
          events,
        );
        if (result.matchedCount === 0) {
          throw new ConflictError(
            'CERTIFICATE_ALREADY_REVOKED',
            'The certificate is already revoked; revocation is permanent',
          );
        }
        await counts.add(new Map([[certificate.standardId, -1]]));
      });
    },

    /**
     * Writes a suspension (or, `previous` being the suspension's date, a
     * reinstatement) with its events, only if the certificate is still as it
     * was read: not revoked, and suspended as it was. Its count does not
     * change (a suspended certificate is not revoked).
     *
     * @throws ConflictError CONCURRENT_MODIFICATION when it changed meanwhile
     */
    async setSuspension(
      certificate: Certificate,
      previous: Date | null,
      events: EventEnvelope[],
    ): Promise<void> {
      const result = await outbox.update(
        model.collection,
        { _id: certificate.id, revokedAt: null, suspendedAt: previous },
        {
          $set: {
            suspendedAt: certificate.suspendedAt,
            suspensionReason: certificate.suspensionReason,
            suspendedInList: certificate.suspendedAt
              ? certificate.statusList
              : null,
          },
        },
        events,
      );
      if (result.matchedCount === 0) {
        throw new ConflictError(
          'CONCURRENT_MODIFICATION',
          'The certificate changed meanwhile: read it again and retry',
        );
      }
    },

    async findByIds(ids: readonly string[]): Promise<Certificate[]> {
      const docs = await model
        .find({ _id: { $in: ids } })
        .lean<CertificateDoc[]>();
      return docs.map(toCertificate);
    },

    /** The certificates of the evaluations among `evaluationIds`, in one query. */
    async findByEvaluationIds(
      evaluationIds: readonly string[],
    ): Promise<Certificate[]> {
      const docs = await model
        .find({ evaluationId: { $in: evaluationIds } })
        .lean<CertificateDoc[]>();
      return docs.map(toCertificate);
    },

    /** Which of the `${personId}:${standardId}` keys have a certificate VALID at `now`, in one query. */
    async validKeysAt(
      keys: readonly string[],
      now: Date,
    ): Promise<Set<string>> {
      if (keys.length === 0) return new Set();
      const docs = await model
        .find({ validKey: { $in: keys } })
        .lean<CertificateDoc[]>();
      return new Set(
        docs
          .filter((d) => holdsValidKey(toCertificate(d), now))
          .map((d) => d.validKey),
      );
    },

    /**
     * The certificates holding the `${personId}:${standardId}` keys among
     * `validKeys` (with their key: VALID, or not yet released), in one
     * equality (`$in`) query on the unique `validKey` index; none when
     * `validKeys` is empty.
     */
    async findKeyHolders(
      validKeys: readonly string[],
    ): Promise<{ certificate: Certificate; validKey: string }[]> {
      if (validKeys.length === 0) return [];
      const docs = await model
        .find({ validKey: { $in: [...validKeys] } })
        .lean<CertificateDoc[]>();
      return docs.map((doc) => ({
        certificate: toCertificate(doc),
        validKey: doc.validKey,
      }));
    },

    /**
     * How many status-list positions have been handed out so far (one read by
     * `_id`): the lists in use are those they fall in.
     */
    async statusPositionsReserved(): Promise<number> {
      const doc = await slots.findOne({ _id: STATUS_SLOTS_ID });
      return doc?.next ?? 0;
    },

    /**
     * Reserves `count` status-list positions in one atomic `$inc` (upsert; the
     * first reservation draws the deployment's permutation key), so
     * concurrent reservations get disjoint ranges.
     */
    async reserveStatusSlots(count: number): Promise<ReservedSlots> {
      const doc = await slots.findOneAndUpdate(
        { _id: STATUS_SLOTS_ID },
        {
          $inc: { next: count },
          $setOnInsert: { key: randomBytes(32).toString('base64url') },
        },
        { upsert: true, returnDocument: 'after' },
      );
      if (!doc) throw new Error('The status-list counter was not written');
      return { start: doc.next - count, count, key: doc.key };
    },

    /**
     * `count` status-list entries, each in the list its position falls in
     * (the range may span lists): one reservation, plus, while the counter is
     * in list 1, one `$in` read of the indexes held there by certificates
     * stored before lists were numbered. Those have no `statusList`, so the
     * unique (list, index) index cannot see them (FerretDB, like MongoDB,
     * indexes the missing field as distinct from 1); they are never written
     * any more, so a read is enough, and a taken entry is replaced by a new
     * reservation. Entries of numbered certificates are left to that index.
     */
    async reserveStatusEntries(count: number): Promise<StatusListEntry[]> {
      const free: StatusListEntry[] = [];
      for (let round = 1; free.length < count; round += 1) {
        if (round > MAX_RESERVATION_ROUNDS) {
          throw new Error('Could not reserve free status-list entries');
        }
        const entries = statusEntriesOf(
          await store.reserveStatusSlots(count - free.length),
        );
        const taken = await store.unnumberedIndexesAmong(
          entries
            .filter((e) => e.statusList === FIRST_STATUS_LIST)
            .map((e) => e.statusListIndex),
        );
        free.push(
          ...entries.filter(
            (e) =>
              e.statusList !== FIRST_STATUS_LIST ||
              !taken.has(e.statusListIndex),
          ),
        );
      }
      return free;
    },

    /**
     * Which of `indexes` (of list 1) certificates stored before lists were
     * numbered hold: one `$in` query served by the (list, index) index, none
     * when `indexes` is empty.
     */
    async unnumberedIndexesAmong(
      indexes: readonly number[],
    ): Promise<Set<number>> {
      if (indexes.length === 0) return new Set();
      const docs = await model
        .find(
          {
            statusListIndex: { $in: [...indexes] },
            statusList: { $exists: false },
          },
          { statusListIndex: 1 },
        )
        .lean<Pick<CertificateDoc, 'statusListIndex'>[]>();
      return new Set(docs.map((d) => d.statusListIndex));
    },

    /**
     * Releases the person+standard keys of certificates no longer VALID at
     * `now` (as `findValid` does one by one), so new VALID ones can take them:
     * one unordered `bulkWrite` whatever their number. Each update only
     * matches while the key is unchanged, and touches no outbox field.
     */
    async releaseKeys(
      holders: readonly { certificate: Certificate; validKey: string }[],
      now: Date,
    ): Promise<void> {
      const stale = holders.filter(
        ({ certificate, validKey }) =>
          !validKey.startsWith('released:') && !holdsValidKey(certificate, now),
      );
      if (stale.length === 0) return;
      await model.collection.bulkWrite(
        stale.map(({ certificate, validKey }) => ({
          updateOne: {
            filter: { _id: certificate.id as never, validKey },
            update: { $set: { validKey: released(certificate.id) } },
          },
        })),
        { ordered: false },
      );
    },

    /**
     * Writes imported certificates, each with its events, in bulk: one
     * unordered `insertMany` per round. A certificate a unique index refuses is
     * `existing` when its evaluation got one meanwhile (the same folio imported
     * at the same moment), `conflicting` when its person got a VALID one for the
     * standard meanwhile, and otherwise drew a taken code or status entry: it is
     * given new ones by `redraw` (one call per round) and sent in the next round. Keys of expired
     * holders must have been released first ({@link releaseKeys}). Each round's
     * insert is followed by one `bulkWrite` adding what it inserted to the
     * standards' counts.
     */
    async insertImported(
      items: readonly { certificate: Certificate; events: EventEnvelope[] }[],
      redraw: (count: number) => Promise<CertificateEntry[]>,
      now: Date,
    ): Promise<ImportedCertificates> {
      const keyOf = (c: Certificate) =>
        holdsValidKey(c, now) ? validKeyOf(c) : released(c.id);
      const outcome: ImportedCertificates = {
        inserted: [],
        existing: [],
        conflicting: [],
      };
      return counts.changing(
        items.map(({ certificate }) => certificate.standardId),
        async () => {
          await insertRounds();
          return outcome;
        },
      );

      async function insertRounds(): Promise<void> {
        let pending = [...items];
        for (let round = 1; pending.length > 0; round += 1) {
          if (round > MAX_IMPORT_ROUNDS) {
            throw new Error(
              'Could not draw free verification codes and status entries',
            );
          }
          const refused = await outbox.insertMany(
            model.collection,
            pending.map(({ certificate, events }) => {
              const { id, ...fields } = certificate;
              return {
                doc: { _id: id, ...fields, validKey: keyOf(certificate) },
                events,
              };
            }),
          );
          const inserted = pending
            .filter((_, i) => !refused.has(i))
            .map(({ certificate }) => certificate);
          outcome.inserted.push(...inserted);
          await counts.add(unrevokedPerStandard(inserted));
          const retry = pending.filter((_, i) => refused.has(i));
          pending = [];
          if (retry.length === 0) break;
          const meanwhile = new Map(
            (
              await store.findByEvaluationIds(
                retry.map(({ certificate }) => certificate.evaluationId),
              )
            ).map((c) => [c.evaluationId, c]),
          );
          const heldNow = await store.validKeysAt(
            retry.map(({ certificate }) => validKeyOf(certificate)),
            now,
          );
          const redo: typeof retry = [];
          for (const item of retry) {
            const { certificate } = item;
            const existing = meanwhile.get(certificate.evaluationId);
            if (existing) outcome.existing.push(existing);
            else if (
              keyOf(certificate) !== released(certificate.id) &&
              heldNow.has(validKeyOf(certificate))
            )
              outcome.conflicting.push(certificate);
            else redo.push(item);
          }
          // The rest took a code or a status entry someone else holds (an entry
          // written outside the counter): new ones.
          const fresh = redo.length > 0 ? await redraw(redo.length) : [];
          pending = redo.map((item, i) => ({
            ...item,
            certificate: { ...item.certificate, ...fresh[i]! },
          }));
        }
      }
    },

    async findByCode(code: string): Promise<Certificate | null> {
      const doc = await model
        .findOne({ verificationCode: code })
        .lean<CertificateDoc>();
      return doc ? toCertificate(doc) : null;
    },

    /** A person's certificates, newest first. */
    /** Every certificate of the people among `personIds`, newest first, in one query. */
    async findByPersons(personIds: readonly string[]): Promise<Certificate[]> {
      const docs = await model
        .find({ personId: { $in: personIds } })
        .sort({ issuedAt: -1 })
        .lean<CertificateDoc[]>();
      return docs.map(toCertificate);
    },

    /** Unrevoked certificates expiring in (now, until], soonest first, of a body or a person. */
    async findExpiring(
      owner: { certifyingBodyId: string } | { personId: string },
      now: Date,
      until: Date,
    ): Promise<Certificate[]> {
      const docs = await model
        .find({
          ...owner,
          revokedAt: null,
          expiresAt: { $gt: now, $lte: until },
        })
        .sort({ expiresAt: 1 })
        .lean<CertificateDoc[]>();
      return docs.map(toCertificate);
    },

    /**
     * Certificates not revoked per standard, for the standards among
     * `standardIds` (absent: 0): ONE `find` by `_id` on the counters, whatever
     * the number of standards or certificates. Only while no reconciliation
     * has ever finished on this database (a deployment upgraded to counters,
     * at its first start) are they counted from the certificates, as before.
     */
    async countByStandards(
      standardIds: readonly string[],
    ): Promise<Map<string, number>> {
      const counted = await counts.read(standardIds);
      if (counted) return counted;
      // One accumulator per $group: what FerretDB supports. Reads every
      // unrevoked certificate of these standards.
      const rows = await model.aggregate<{ _id: string; count: number }>([
        { $match: { standardId: { $in: [...standardIds] }, revokedAt: null } },
        { $group: { _id: '$standardId', count: { $sum: 1 } } },
      ]);
      return new Map(rows.map((row) => [row._id, row.count]));
    },

    /**
     * The deployment's status-list permutation key (drawn with the first
     * reservation, or here when none was made yet), read once per process:
     * it maps a certificate's revocation entry to its suspension entry.
     */
    async statusKey(): Promise<string> {
      if (statusKey) return statusKey;
      const doc = await slots.findOneAndUpdate(
        { _id: STATUS_SLOTS_ID },
        {
          $setOnInsert: { next: 0, key: randomBytes(32).toString('base64url') },
        },
        { upsert: true, returnDocument: 'after' },
      );
      if (!doc) throw new Error('The status-list counter was not written');
      statusKey = doc.key;
      return statusKey;
    },

    /**
     * The set entries of one list, index → value, and when the latest of
     * them was set (null when none is): what its status list credential
     * says, and its date, so the same entries always give the same
     * document. A revocation list sets (1) its revoked certificates; a
     * suspension list its suspended ones, at their derived indexes; a
     * message list both, at their revocation indexes, 2 for revoked and 1
     * for suspended (revoked wins). Each read is one equality on the list
     * an entry sets (`revokedInList`, `suspendedInList`), on its own index.
     * List 1 also has the certificates stored before lists were numbered.
     */
    async statusListEntries({ purpose, list }: StatusListRef): Promise<{
      statuses: Map<number, number>;
      lastSetAt: Date | null;
    }> {
      let lastSetAt: Date | null = null;
      /** The revocation indexes of the list's revoked or suspended certificates. */
      const setIn = async (state: 'revoked' | 'suspended') => {
        const field = state === 'revoked' ? 'revokedAt' : 'suspendedAt';
        const docs = await model
          .find(
            {
              [state === 'revoked' ? 'revokedInList' : 'suspendedInList']: list,
            },
            { statusListIndex: 1, [field]: 1 },
          )
          .lean<
            Pick<
              CertificateDoc,
              'statusListIndex' | 'revokedAt' | 'suspendedAt'
            >[]
          >();
        return docs.map((doc) => {
          const setAt = doc[field];
          if (setAt && (!lastSetAt || setAt > lastSetAt)) lastSetAt = setAt;
          return doc.statusListIndex;
        });
      };
      const ones = (indexes: number[]) =>
        new Map(indexes.map((index) => [index, 1]));
      switch (purpose) {
        case 'revocation':
          return { statuses: ones(await setIn('revoked')), lastSetAt };
        case 'suspension': {
          const [indexes, key] = await Promise.all([
            setIn('suspended'),
            store.statusKey(),
          ]);
          const statuses = ones(
            indexes.map(
              (statusListIndex) =>
                suspensionEntryOf({ statusList: list, statusListIndex }, key)
                  .statusListIndex,
            ),
          );
          return { statuses, lastSetAt };
        }
        case 'message': {
          const [revoked, suspended] = await Promise.all([
            setIn('revoked'),
            setIn('suspended'),
          ]);
          return { statuses: messageStatuses(revoked, suspended), lastSetAt };
        }
        default:
          throw new UnreachableCaseError(purpose);
      }
    },
  };
  return store;
}

export type CertificateStore = ReturnType<typeof createCertificateStore>;
