/** What `readiness()` of the relay and the consumer returns, for `/ready` and logs. */
export interface Readiness {
  ok: boolean;
  detail: Record<string, unknown>;
}
