/**
 * Polls `check` until it returns something truthy — projections and read models
 * are fed through Kafka, so they catch up asynchronously. Throws, naming `what`,
 * after `timeoutMs` (default 45 s).
 */
export async function eventually<T>(
  check: () => Promise<T | null | undefined | false>,
  { timeoutMs = 45_000, what = 'the condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`${what} never held within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}
