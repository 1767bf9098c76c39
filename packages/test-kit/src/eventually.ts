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

/**
 * Retries `attempt` until it stops throwing — an assertion, or a request
 * refused while a projection catches up. After `timeoutMs` (default 30 s) the
 * last error is thrown, so the failure says what was still wrong.
 */
export async function retrying<T>(
  attempt: () => Promise<T>,
  { timeoutMs = 30_000 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
