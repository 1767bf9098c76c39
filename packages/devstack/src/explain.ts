/**
 * Whether an `explain()` output shows the query served by an index and no
 * full read: PostgreSQL's plan under devstack's FerretDB ("Index Name", no
 * "Seq Scan"), IXSCAN and its kin on MongoDB (no COLLSCAN). A query shape
 * that passes costs the same at 2,000 documents and at 300,000.
 */
export function servedByIndex(explain: unknown): boolean {
  const plan = JSON.stringify(explain);
  const indexed = /"Index Name"|IXSCAN|IDHACK|EXPRESS_IXSCAN/.test(plan);
  return indexed && !/Seq Scan|COLLSCAN/.test(plan);
}
