import type { Collection, Document } from 'mongodb';

/**
 * The field every write of a mirrored collection stamps (see
 * {@link createMirror}); the collection declares an index on it.
 */
export const CHANGE_STAMP = 'touchedAt';

/**
 * A change stamp: this clock's `Date.now()` in microseconds, plus `offset`
 * (a write's place among the documents written in one call, so they differ).
 */
export const changeStamp = (offset = 0): number => Date.now() * 1_000 + offset;

/** What {@link createMirror} needs. */
export interface MirrorOptions<T> {
  /** The collection mirrored: string `_id`s, every write stamped. */
  collection: Collection<Document>;
  /** A document as the mirror keeps it. */
  toValue: (doc: Document) => T;
  /**
   * How long a write may take to commit after it was stamped (a slower
   * writer: another partition, another instance): each catch-up reads again
   * what was stamped that long before the previous one began. Default 10 s.
   */
  lookbackMs?: number;
  /** Documents per page (default 1,000). */
  pageSize?: number;
  /** This process's clock, in ms (default `Date.now`; tests move it). */
  clock?: () => number;
}

/** A collection held in this process's memory, brought up to date before each read. */
export interface Mirror<T> {
  /**
   * Every document, after a catch-up that began after this call: a read sees
   * every write committed before it, whoever wrote it (this process, another
   * instance, a rebuild), as a read of the collection would.
   */
  current(): Promise<ReadonlyMap<string, T>>;
  /**
   * Brings the mirror up to date (what `current` does first): a service
   * warms it at start. Concurrent calls share one catch-up; a call that
   * arrives during one waits for the next.
   *
   * @returns how many documents were read
   */
  refresh(): Promise<number>;
  /**
   * Stamps documents written before their writers stamped them (stamp 0):
   * the store sorts by a field only when every document holds it, and until
   * then each catch-up reads the whole collection by `_id` pages. Once, at
   * start.
   *
   * @returns how many were stamped
   */
  stampUnstamped(): Promise<number>;
}

/**
 * A mirror of one collection (issue 11): each read first reads the documents
 * stamped ({@link CHANGE_STAMP}) after the last stamp it saw, or after the
 * last catch-up began less the lookback if that is earlier, in pages sorted
 * by the stamp, which devstack's FerretDB and MongoDB serve from the index on
 * it. Documents are never deleted. For what a query must read nearly whole
 * and no index can answer (the distinct people of a national registry), or
 * documents read on nearly every request whose size grows with the registry
 * (a certifying body's fee schedule): the memory is the collection's, and a
 * read costs one indexed query that usually returns nothing.
 */
export function createMirror<T>({
  collection,
  toValue,
  lookbackMs = 10_000,
  pageSize = 1_000,
  clock = Date.now,
}: MirrorOptions<T>): Mirror<T> {
  const values = new Map<string, T>();
  let seen = -1;
  // When the last complete catch-up began (a change stamp).
  let lastStarted = 0;
  let stamped = false;
  let running: Promise<number> | null = null;
  let queued: Promise<number> | null = null;

  const keep = (doc: Document) => {
    values.set(String(doc._id), toValue(doc));
    const stamp = Number(doc[CHANGE_STAMP] ?? -1);
    if (stamp > seen) seen = stamp;
  };

  /** Every page of `field` greater than `after`, in its order (an index range each). */
  async function readPages(
    field: '_id' | typeof CHANGE_STAMP,
    after: string | number,
  ): Promise<number> {
    let read = 0;
    for (;;) {
      const page = await collection
        .find({ [field]: { $gt: after } })
        .sort({ [field]: 1 })
        .limit(pageSize)
        .toArray();
      page.forEach(keep);
      read += page.length;
      if (page.length < pageSize) return read;
      after = page[page.length - 1]![field] as string | number;
    }
  }

  async function catchUp(): Promise<number> {
    const started = clock() * 1_000;
    // Writers always stamp: once every document holds a stamp, it stays so.
    stamped ||=
      (await collection.findOne(
        { [CHANGE_STAMP]: { $exists: false } },
        { projection: { _id: 1 } },
      )) === null;
    // A write the last catch-up missed committed after it began, so was
    // stamped after it began less the lookback: read from there, or from the
    // last stamp seen if that is earlier. A quiet collection reads nothing.
    const after =
      seen < 0 ? -1 : Math.min(seen, lastStarted - lookbackMs * 1_000);
    const read = await (stamped
      ? readPages(CHANGE_STAMP, after)
      : readPages('_id', ''));
    lastStarted = started;
    return read;
  }

  function refresh(): Promise<number> {
    if (!running) {
      running = catchUp().finally(() => (running = null));
      return running;
    }
    queued ??= running
      .catch(() => 0)
      .then(() => {
        queued = null;
        return refresh();
      });
    return queued;
  }

  return {
    refresh,
    async current() {
      await refresh();
      return values;
    },
    async stampUnstamped() {
      const { modifiedCount } = await collection.updateMany(
        { [CHANGE_STAMP]: { $exists: false } },
        { $set: { [CHANGE_STAMP]: 0 } },
      );
      return modifiedCount;
    },
  };
}
