import { Schema, type Connection } from 'mongoose';
import {
  isDuplicateKeyError,
  type EventEnvelope,
  type OutboxWriter,
} from '@conecta/events';
import { ConflictError } from '@conecta/service-kit/errors';
import type { Certificate } from '../domain/certificate';

export interface CertificateDoc extends Omit<Certificate, 'id'> {
  _id: string;
  /**
   * `${personId}:${standardId}` while the certificate may be VALID, and
   * `released:${id}` once revoked or found expired: a unique index on it keeps
   * at most one VALID certificate per person and standard, even under
   * concurrency, without partial indexes (FerretDB has none).
   */
  validKey: string;
}

const certificateSchema = new Schema<CertificateDoc>(
  {
    _id: { type: String, required: true },
    personId: { type: String, required: true, index: true },
    standardId: { type: String, required: true, index: true },
    certifyingBodyId: { type: String, required: true, index: true },
    // One certificate per evaluation.
    evaluationId: { type: String, required: true, unique: true },
    certifierSubject: { type: String, required: true },
    issuedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true, index: true },
    revokedAt: { type: Date, default: null },
    revocationReason: { type: String, default: null },
    verificationCode: { type: String, required: true, unique: true },
    statusListIndex: { type: Number, required: true, unique: true },
    validKey: { type: String, required: true, unique: true },
  },
  { versionKey: false },
);

function toCertificate(doc: CertificateDoc): Certificate {
  return {
    id: doc._id,
    personId: doc.personId,
    standardId: doc.standardId,
    certifyingBodyId: doc.certifyingBodyId,
    evaluationId: doc.evaluationId,
    certifierSubject: doc.certifierSubject,
    issuedAt: doc.issuedAt,
    expiresAt: doc.expiresAt,
    revokedAt: doc.revokedAt ?? null,
    revocationReason: doc.revocationReason ?? null,
    verificationCode: doc.verificationCode,
    statusListIndex: doc.statusListIndex,
  };
}

const validKeyOf = (c: Pick<Certificate, 'personId' | 'standardId'>) =>
  `${c.personId}:${c.standardId}`;
const released = (id: string) => `released:${id}`;

/** Certificates, with the invariants held by unique indexes. */
export function createCertificateStore(
  connection: Connection,
  outbox: OutboxWriter,
) {
  const model = connection.model<CertificateDoc>(
    'Certificate',
    certificateSchema,
    'certificates',
  );

  const store = {
    model,

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
     * meanwhile); a clash on the random code or status index returns
     * `'collision'` so the caller draws new ones.
     */
    async insert(
      certificate: Certificate,
      events: EventEnvelope[],
    ): Promise<'inserted' | 'collision'> {
      const { id, ...fields } = certificate;
      try {
        await outbox.insert(
          model.collection,
          { _id: id, ...fields, validKey: validKeyOf(certificate) },
          events,
        );
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
     * Writes a revocation with its events only if not revoked meanwhile.
     *
     * @throws ConflictError CERTIFICATE_ALREADY_REVOKED
     */
    async revoke(
      certificate: Certificate,
      events: EventEnvelope[],
    ): Promise<void> {
      const result = await outbox.update(
        model.collection,
        { _id: certificate.id, revokedAt: null },
        {
          $set: {
            revokedAt: certificate.revokedAt,
            revocationReason: certificate.revocationReason,
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
    },

    async findByIds(ids: readonly string[]): Promise<Certificate[]> {
      const docs = await model
        .find({ _id: { $in: ids } })
        .lean<CertificateDoc[]>();
      return docs.map(toCertificate);
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

    /** Unrevoked certificates per standard, for the standards among `standardIds`. */
    async countByStandards(
      standardIds: readonly string[],
    ): Promise<Map<string, number>> {
      // One accumulator per $group: what FerretDB supports.
      const rows = await model.aggregate<{ _id: string; count: number }>([
        { $match: { standardId: { $in: [...standardIds] }, revokedAt: null } },
        { $group: { _id: '$standardId', count: { $sum: 1 } } },
      ]);
      return new Map(rows.map((row) => [row._id, row.count]));
    },

    /** Status-list indexes of every revoked certificate. */
    async revokedStatusIndexes(): Promise<number[]> {
      const docs = await model
        .find({ revokedAt: { $ne: null } }, { statusListIndex: 1 })
        .lean<Pick<CertificateDoc, 'statusListIndex'>[]>();
      return docs.map((d) => d.statusListIndex);
    },
  };
  return store;
}

export type CertificateStore = ReturnType<typeof createCertificateStore>;
