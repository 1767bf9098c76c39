/**
 * Progress lines go to stderr so `conecta-devstack up` stays quiet on stdout
 * apart from its result, and Jest's global setup shows them while it waits.
 */
export function say(message: string): void {
  process.stderr.write(`devstack: ${message}\n`);
}

/** Seconds since `startedAt`, for "… done in 41 s" lines. */
export function secondsSince(startedAt: number): string {
  return `${Math.round((Date.now() - startedAt) / 1000)} s`;
}
