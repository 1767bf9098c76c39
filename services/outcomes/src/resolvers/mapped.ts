/** Another subgraph's entity, known here only by its key. */
export interface EntityRef {
  id: string;
}
