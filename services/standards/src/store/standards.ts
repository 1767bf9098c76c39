import { Schema, type Connection, type FilterQuery } from 'mongoose';
import escapeStringRegexp from 'escape-string-regexp';
import {
  isDuplicateKeyError,
  type EventEnvelope,
  type OutboxWriter,
} from '@conecta/events';
import { pageById } from '@conecta/service-kit';
import { ConflictError } from '@conecta/service-kit/errors';
import {
  OPEN_STATUSES,
  PUBLIC_STATUSES,
  type StandardStatus,
} from '../domain/lifecycle';
import {
  foldForSearch,
  formatStandardCode,
  type CompetencyStandard,
  type StandardFilter,
} from '../domain/standard';

/**
 * A standard version as stored: the domain object with `_id` for `id`, plus
 * `titleFolded` (the title as the search compares it).
 */
export type StandardDoc = Omit<CompetencyStandard, 'id'> & {
  _id: string;
  titleFolded?: string;
};

const standardSchema = new Schema<StandardDoc>(
  {
    _id: { type: String, required: true },
    code: { type: String, required: true },
    version: { type: Number, required: true },
    committeeId: { type: String, required: true, index: true },
    sectorId: { type: String, required: true },
    level: { type: Number, required: true },
    status: { type: String, required: true, index: true },
    title: { type: String, required: true },
    revision: { type: Number, required: true },
  },
  // Writes go through the driver (outbox helpers); mongoose declares indexes and reads.
  { versionKey: false, strict: false },
);
// One document per code and version: this is what keeps two drafts from taking
// the same code, and two concurrent revisions from taking the same version.
standardSchema.index({ code: 1, version: 1 }, { unique: true });
// Competing standards and the sector/level search filters.
standardSchema.index({ sectorId: 1, level: 1 });

const COUNTERS_COLLECTION = 'counters';
const CODE_COUNTER_ID = 'standard-code';
// Concurrent drafts may read the same counter value on FerretDB (updates are not
// atomic there); the unique index refuses the second insert and we draw again.
const CODE_ATTEMPTS = 5;

/** Who may see what, resolved per caller before querying. */
export type Visibility =
  | { everything: true }
  | { everything: false; memberOfCommitteeIds: readonly string[] };

export interface StandardPage {
  nodes: CompetencyStandard[];
  totalCount: number;
  hasNextPage: boolean;
}

function toStandard(doc: StandardDoc): CompetencyStandard {
  const { _id, ...fields } = doc;
  const standard = { id: _id, ...fields } as CompetencyStandard &
    Record<string, unknown>;
  // Optional fields are stored absent; the outbox fields and the search key
  // are not domain state.
  for (const key of ['outbox', 'outboxPending', 'outboxLease', 'titleFolded'])
    delete standard[key];
  return standard;
}

function toDocFields(standard: CompetencyStandard): Omit<StandardDoc, '_id'> {
  const { id: _id, ...fields } = standard;
  // Absent optionals stay absent ($set of undefined would store null).
  return {
    ...(Object.fromEntries(
      Object.entries(fields).filter(([, value]) => value !== undefined),
    ) as Omit<StandardDoc, '_id'>),
    titleFolded: foldForSearch(standard.title),
  };
}

function visibilityQuery(visibility: Visibility): FilterQuery<StandardDoc> {
  if (visibility.everything) return {};
  return {
    $or: [
      { status: { $in: [...PUBLIC_STATUSES] } },
      { committeeId: { $in: [...visibility.memberOfCommitteeIds] } },
    ],
  };
}

/**
 * The status condition that stands for the whole visibility when the caller
 * sees only public versions (no committee of their own): one top-level
 * condition, so the store serves it and the sorted page from indexes
 * (FerretDB pushes down top-level equalities and `$in`, and the sort with
 * them; an `$or` under `$and` reads every version). Undefined when the caller
 * sees more than that: the general `$or` applies.
 */
function publicOnlyStatus(
  visibility: Visibility,
  status: StandardStatus | null | undefined,
): FilterQuery<StandardDoc>['status'] | undefined {
  if (visibility.everything || visibility.memberOfCommitteeIds.length > 0)
    return undefined;
  if (!status) return { $in: [...PUBLIC_STATUSES] };
  // A status the public cannot see matches nothing.
  return (PUBLIC_STATUSES as readonly string[]).includes(status)
    ? status
    : { $in: [] };
}

/** Competency standards in MongoDB: one document per version. */
export function createStandardStore(
  connection: Connection,
  outbox: OutboxWriter,
) {
  const model = connection.model<StandardDoc>(
    'CompetencyStandard',
    standardSchema,
    'standards',
  );
  const counters = connection.collection<{ _id: string; seq: number }>(
    COUNTERS_COLLECTION,
  );

  async function nextCode(): Promise<string> {
    const counter = await counters.findOneAndUpdate(
      { _id: CODE_COUNTER_ID },
      { $inc: { seq: 1 } },
      { upsert: true, returnDocument: 'after' },
    );
    return formatStandardCode(counter?.seq ?? 1);
  }

  return {
    model,

    /**
     * Inserts a new draft under a newly assigned code, with its events, in one
     * document write. `build` makes the draft and its events for a code; it is
     * called again with a fresh code if the first one was taken concurrently.
     */
    async insertNew(
      build: (code: string) => {
        standard: CompetencyStandard;
        events: EventEnvelope[];
      },
    ): Promise<CompetencyStandard> {
      for (let attempt = 1; ; attempt += 1) {
        const { standard, events } = build(await nextCode());
        try {
          await outbox.insert(
            model.collection,
            { _id: standard.id, ...toDocFields(standard) },
            events,
          );
          return standard;
        } catch (error) {
          if (!isDuplicateKeyError(error) || attempt >= CODE_ATTEMPTS)
            throw error;
        }
      }
    },

    /**
     * Inserts a revision (a new version of an existing code) with its events.
     *
     * @throws ConflictError `REVISION_IN_PROGRESS` when that version exists already
     */
    async insertRevision(
      standard: CompetencyStandard,
      events: EventEnvelope[],
    ): Promise<void> {
      await outbox.insert(
        model.collection,
        { _id: standard.id, ...toDocFields(standard) },
        events,
        () =>
          new ConflictError(
            'REVISION_IN_PROGRESS',
            `Version ${standard.version} of ${standard.code} already exists`,
          ),
      );
    },

    /**
     * Writes the new state of a standard and its events in ONE conditional
     * update: applied only if the stored document still has the status and
     * revision `next` was computed from (`previous`).
     *
     * @throws ConflictError `STANDARD_CHANGED_CONCURRENTLY` when it changed meanwhile
     */
    async save(
      previous: { id: string; status: StandardStatus; revision: number },
      next: CompetencyStandard,
      events: EventEnvelope[],
    ): Promise<void> {
      const result = await outbox.update(
        model.collection,
        {
          _id: previous.id,
          status: previous.status,
          revision: previous.revision,
        },
        { $set: toDocFields(next) },
        events,
      );
      if (result.matchedCount === 0)
        throw new ConflictError(
          'STANDARD_CHANGED_CONCURRENTLY',
          'The standard changed while this request was processed; read it again and retry',
        );
    },

    /** Every version among `ids`, in one query (order not guaranteed). */
    async findByIds(ids: readonly string[]): Promise<CompetencyStandard[]> {
      const docs = await model
        .find({ _id: { $in: ids } })
        .lean<StandardDoc[]>();
      return docs.map(toStandard);
    },

    /** Every version of a code, oldest first. */
    async findVersions(code: string): Promise<CompetencyStandard[]> {
      const docs = await model
        .find({ code })
        .sort({ version: 1 })
        .lean<StandardDoc[]>();
      return docs.map(toStandard);
    },

    /** Whether a version of `code` is still on its way to publication. */
    async hasOpenVersion(code: string): Promise<boolean> {
      return (
        (await model.countDocuments({
          code,
          status: { $in: [...OPEN_STATUSES] },
        })) > 0
      );
    },

    /** Every version owned by the committees, oldest first, in one query. */
    async findByCommittees(
      committeeIds: readonly string[],
    ): Promise<CompetencyStandard[]> {
      const docs = await model
        .find({ committeeId: { $in: committeeIds } })
        .sort({ _id: 1 })
        .lean<StandardDoc[]>();
      return docs.map(toStandard);
    },

    /**
     * Every PUBLISHED version, of one committee if given (candidates for the
     * periodic review; the due date is computed in the domain, since FerretDB
     * does not run date arithmetic in queries). Published versions are one
     * per code, so this is at most the catalogue.
     */
    async findPublished(committeeId?: string): Promise<CompetencyStandard[]> {
      const docs = await model
        .find({ status: 'PUBLISHED', ...(committeeId ? { committeeId } : {}) })
        .sort({ _id: 1 })
        .lean<StandardDoc[]>();
      return docs.map(toStandard);
    },

    /** Every version of the given sectors and levels (candidates for "competing"), in one query. */
    async findBySectorsAndLevels(
      sectorIds: readonly string[],
      levels: readonly number[],
    ): Promise<CompetencyStandard[]> {
      const docs = await model
        .find({ sectorId: { $in: sectorIds }, level: { $in: levels } })
        .sort({ _id: 1 })
        .lean<StandardDoc[]>();
      return docs.map(toStandard);
    },

    /** A page of the search, oldest first (UUID v7 ids sort by creation time). */
    async list(
      filter: StandardFilter,
      visibility: Visibility,
      first: number,
      after?: string,
    ): Promise<StandardPage> {
      // Equalities stay at the top level, where an index serves them (FerretDB
      // pushes down only top-level equalities; under $and it reads every
      // version). The visibility and search alternatives go under $and.
      const publicStatus = publicOnlyStatus(visibility, filter.status);
      const status = publicStatus ?? filter.status;
      const equalities: FilterQuery<StandardDoc> = {
        ...(filter.sectorId ? { sectorId: filter.sectorId } : {}),
        ...(filter.level ? { level: filter.level } : {}),
        ...(status ? { status } : {}),
        ...(filter.committeeId ? { committeeId: filter.committeeId } : {}),
      };
      const conditions: FilterQuery<StandardDoc>[] = publicStatus
        ? []
        : [visibilityQuery(visibility)];
      if (filter.search)
        conditions.push({
          $or: [
            // A code or its beginning: "EC02" finds EC0217.
            {
              code: {
                $regex: `^${escapeStringRegexp(filter.search.toUpperCase())}`,
              },
            },
            // Title words, ignoring case and accents.
            {
              titleFolded: {
                $regex: escapeStringRegexp(foldForSearch(filter.search)),
              },
            },
            // Versions written before `titleFolded` existed.
            {
              titleFolded: { $exists: false },
              title: {
                $regex: escapeStringRegexp(filter.search),
                $options: 'i',
              },
            },
          ],
        });
      const alternatives = conditions.filter((c) => Object.keys(c).length > 0);
      const query: FilterQuery<StandardDoc> = {
        ...equalities,
        ...(alternatives.length > 0 ? { $and: alternatives } : {}),
      };
      return pageById(model, query, first, after, toStandard);
    },
  };
}

export type StandardStore = ReturnType<typeof createStandardStore>;
