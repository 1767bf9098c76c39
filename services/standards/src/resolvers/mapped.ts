/** A Committee as this subgraph returns it: a reference; committees owns the rest. */
export interface CommitteeRef {
  id: string;
}

/** A Sector reference; committees resolves its fields. */
export interface SectorRef {
  id: string;
}
