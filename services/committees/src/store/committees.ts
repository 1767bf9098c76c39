import { Schema, type Connection, type FilterQuery } from 'mongoose';
import type { EventEnvelope, OutboxWriter } from '@conecta/events';
import { legacyAgendaItemId } from '@conecta/events/contracts';
import { ConflictError } from '@conecta/service-kit/errors';
import type { StateCode } from '@conecta/mexico';
import type {
  AgendaItem,
  AgendaVersion,
  Committee,
  CommitteeMember,
  CommitteeScope,
  CommitteeStatus,
  WorkingGroupExpert,
} from '../domain/committee';

/**
 * One revision of a committee: the whole committee as it stood after one change,
 * with that change's events in its outbox. Revisions are only ever INSERTED; the
 * outbox relay is the only writer after that. See `createCommitteeStore`.
 */
export interface CommitteeRevisionDoc {
  /** `${committeeId}:${revision}`: unique, so two changes of one revision cannot both land. */
  _id: string;
  committeeId: string;
  revision: number;
  name: string;
  sectorId: string;
  scope: CommitteeScope;
  states: StateCode[];
  status: CommitteeStatus;
  proposedByOrganizationId: string | null;
  members: CommitteeMember[];
  chairOrganizationId: string | null;
  experts: WorkingGroupExpert[];
  agendas: StoredAgendaVersion[];
  proposedAt: Date;
  installedAt: Date | null;
  dissolvedAt: Date | null;
  dissolutionReason: string | null;
  recordedAt: Date;
}

const revisionSchema = new Schema<CommitteeRevisionDoc>(
  {
    _id: { type: String, required: true },
    committeeId: { type: String, required: true, index: true },
    revision: { type: Number, required: true },
    name: { type: String, required: true },
    sectorId: { type: String, required: true, index: true },
    scope: { type: String, required: true },
    states: { type: [String], default: [] },
    status: { type: String, required: true },
    proposedByOrganizationId: { type: String, default: null },
    // Subdocuments are read lean and written whole by the driver; mongoose only reads them.
    members: { type: Schema.Types.Mixed, default: [] },
    chairOrganizationId: { type: String, default: null },
    experts: { type: Schema.Types.Mixed, default: [] },
    agendas: { type: Schema.Types.Mixed, default: [] },
    proposedAt: { type: Date, required: true },
    installedAt: { type: Date, default: null },
    dissolvedAt: { type: Date, default: null },
    dissolutionReason: { type: String, default: null },
    recordedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
// A double-submitted proposal must not create two committees; competing
// committees of one sector have different names. Names never change, so
// checking the first revision (0) is enough.
revisionSchema.index({ sectorId: 1, name: 1, revision: 1 }, { unique: true });
// "Committees this organization sits on" (candidates; current membership is re-checked).
revisionSchema.index({ 'members.organizationId': 1 });

const revisionId = (committeeId: string, revision: number) =>
  `${committeeId}:${revision}`;

/** An agenda version as stored: items written before ids existed have none. */
type StoredAgendaVersion = Omit<AgendaVersion, 'items'> & {
  items: (Omit<AgendaItem, 'id'> & { id?: string })[];
};

/**
 * Versions stored before items had ids get the id every consumer of their old
 * events derives too (`legacyAgendaItemId`); nothing is rewritten.
 */
function withItemIds(
  committeeId: string,
  agendas: StoredAgendaVersion[],
): AgendaVersion[] {
  return agendas.map((agenda) => ({
    ...agenda,
    items: agenda.items.map((item) => ({
      ...item,
      id: item.id ?? legacyAgendaItemId(committeeId, item),
    })),
  }));
}

function toCommittee(doc: CommitteeRevisionDoc): Committee {
  return {
    id: doc.committeeId,
    name: doc.name,
    sectorId: doc.sectorId,
    scope: doc.scope,
    states: doc.states ?? [],
    status: doc.status,
    proposedByOrganizationId: doc.proposedByOrganizationId ?? null,
    members: doc.members ?? [],
    chairOrganizationId: doc.chairOrganizationId ?? null,
    experts: doc.experts ?? [],
    agendas: withItemIds(doc.committeeId, doc.agendas ?? []),
    proposedAt: doc.proposedAt,
    installedAt: doc.installedAt ?? null,
    dissolvedAt: doc.dissolvedAt ?? null,
    dissolutionReason: doc.dissolutionReason ?? null,
    revision: doc.revision,
  };
}

function toDoc(committee: Committee, now: Date): CommitteeRevisionDoc {
  const { id, revision, ...fields } = committee;
  return {
    _id: revisionId(id, revision),
    committeeId: id,
    revision,
    ...fields,
    recordedAt: now,
  };
}

export interface CommitteeListFilter {
  sectorId?: string | null;
  status?: CommitteeStatus | null;
  state?: StateCode | null;
}

/**
 * Committees in MongoDB as an append-only list of revisions (collection
 * `committee_revisions`); the current committee is its highest revision.
 *
 * Why not one document updated in place: on FerretDB 1.x an update is a
 * read-modify-replace without a lock, and the outbox relay writes the same
 * document (its `$pullAll`), so a command landing while the relay settles was
 * silently lost (seen in the API tests). Inserting each change as a new
 * document — state and events together, one atomic write — leaves every
 * document with one writer at a time, and the unique `_id`
 * (`committeeId:revision`) turns two concurrent changes of the same revision
 * into a CONFLICT instead of a lost update.
 */
export function createCommitteeStore(
  connection: Connection,
  outbox: OutboxWriter,
) {
  const model = connection.model<CommitteeRevisionDoc>(
    'CommitteeRevision',
    revisionSchema,
    'committee_revisions',
  );

  /** The current revision of every committee with a revision matching `match`, oldest committee first. */
  async function current(
    match: FilterQuery<CommitteeRevisionDoc>,
  ): Promise<Committee[]> {
    // Revision numbers only (a light projection), the highest kept per committee:
    // FerretDB implements neither $max in $group nor $lookup.
    const revisions = await model
      .find(match, { committeeId: 1, revision: 1 })
      .lean<Pick<CommitteeRevisionDoc, '_id' | 'committeeId' | 'revision'>[]>();
    const latest = new Map<string, number>();
    for (const { committeeId, revision } of revisions) {
      latest.set(
        committeeId,
        Math.max(latest.get(committeeId) ?? -1, revision),
      );
    }
    const heads = [...latest].map(([id, revision]) => ({ _id: id, revision }));
    if (heads.length === 0) return [];
    const docs = await model
      .find({ _id: { $in: heads.map((h) => revisionId(h._id, h.revision)) } })
      .sort({ committeeId: 1 })
      .lean<CommitteeRevisionDoc[]>();
    return docs.map(toCommittee);
  }

  return {
    model,

    /** Inserts a new committee (revision 0) and its events in one document write (outbox). */
    async insert(committee: Committee, events: EventEnvelope[]): Promise<void> {
      await outbox.insert(
        model.collection,
        toDoc({ ...committee, revision: 0 }, new Date()),
        events,
        () =>
          new ConflictError(
            'COMMITTEE_NAME_TAKEN',
            `The sector already has a committee named "${committee.name}"`,
            'input.name',
          ),
      );
    },

    /**
     * Records `after` as the revision following `before`, with its events, in
     * ONE document insert. If another change took that revision meanwhile, the
     * unique `_id` refuses it: CONFLICT `COMMITTEE_CHANGED_CONCURRENTLY`, and
     * nothing is written.
     *
     * @returns the committee as stored (revision + 1)
     */
    async update(
      before: Committee,
      after: Committee,
      events: EventEnvelope[],
    ): Promise<Committee> {
      const next = { ...after, id: before.id, revision: before.revision + 1 };
      await outbox.insert(
        model.collection,
        toDoc(next, new Date()),
        events,
        () =>
          new ConflictError(
            'COMMITTEE_CHANGED_CONCURRENTLY',
            'The committee changed while this request was processed: read it again and retry',
          ),
      );
      return next;
    },

    /** Fresh read of the current committee, for commands (not the request cache). */
    async findById(id: string): Promise<Committee | null> {
      const doc = await model
        .findOne({ committeeId: id })
        .sort({ revision: -1 })
        .lean<CommitteeRevisionDoc>();
      return doc ? toCommittee(doc) : null;
    },

    /** Every committee among `ids`, as it stands now. */
    findByIds: (ids: readonly string[]) =>
      current({ committeeId: { $in: [...ids] } }),

    /** Every committee of these sectors, oldest first. */
    findBySectorIds: (sectorIds: readonly string[]) =>
      current({ sectorId: { $in: [...sectorIds] } }),

    /** Every committee one of these organizations sits on NOW. */
    async findByMemberOrganizationIds(
      organizationIds: readonly string[],
    ): Promise<Committee[]> {
      const wanted = new Set(organizationIds);
      const candidates = await current({
        'members.organizationId': { $in: [...organizationIds] },
      });
      return candidates.filter((c) =>
        c.members.some((m) => wanted.has(m.organizationId)),
      );
    },

    /** Committees matching the filter, oldest first (UUID v7 ids sort by creation). */
    async list(filter: CommitteeListFilter): Promise<Committee[]> {
      // sector, scope and states never change: match them on every revision;
      // status changes, so it is checked on the current one.
      const query: FilterQuery<CommitteeRevisionDoc> = {};
      if (filter.sectorId) query.sectorId = filter.sectorId;
      if (filter.state) {
        // A NATIONAL committee works in every state.
        query.$or = [{ scope: 'NATIONAL' }, { states: filter.state }];
      }
      const committees = await current(query);
      return filter.status
        ? committees.filter((c) => c.status === filter.status)
        : committees;
    },
  };
}

export type CommitteeStore = ReturnType<typeof createCommitteeStore>;
