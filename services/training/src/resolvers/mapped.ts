/** An entity owned by another subgraph (Person, Organization, CompetencyStandard): a reference. */
export interface EntityRef {
  id: string;
}
