// The national demo dataset, loaded through the gateway (npm start, benchmarks).
export { loadDemoData } from './load';
export type { DemoOptions, DemoSummary } from './load';
export { DemoLoadInterrupted } from './progress';
export type { DemoProgressOptions } from './progress';
export type { Actor, TokenIssuer } from './graph-client';
