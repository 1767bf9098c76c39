// The vocabulary of the services' access maps (src/domain/access-map.ts): who
// may read each field of the composed graph. Pure, so domain/ imports it.

/** Who passes a guard: a role, or a relation of the caller to the record. */
export type Audience =
  | 'admin'
  | 'broker'
  | 'council'
  | 'committee_member'
  | 'certifier'
  | 'university'
  | 'partner'
  | 'requester'
  | 'person'
  | 'provider'
  | 'venue'
  | 'bodyStaff'
  | 'committee'
  | 'published';

/** A field only some callers read. */
export interface Guard {
  /** The rule of domain/ that decides, applied on every path to the field. */
  readonly rule: (...args: never[]) => unknown;
  readonly to: readonly Audience[];
  /** What everyone else gets: null, an empty list (or 0), or a refusal. */
  readonly otherwise: 'null' | 'empty' | 'refused';
}

/** A field anyone may read. */
export const PUBLIC = 'public';

/** A service's access map: per type, per field, public or a guard. */
export type AccessMap = Record<string, Record<string, typeof PUBLIC | Guard>>;
