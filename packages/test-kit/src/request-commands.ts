/**
 * The MongoDB commands a service has sent on behalf of GraphQL requests so
 * far, by command name, from its operator endpoint's `GET /metrics`
 * (service-kit's `conecta_subgraph_mongo_commands_total`, `scope="request"`).
 * Take it before and after a request: the difference is what the request cost.
 */
export async function requestCommandsAt(
  operatorUrl: string,
): Promise<Record<string, number>> {
  const text = await (await fetch(`${operatorUrl}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match =
      /^conecta_subgraph_mongo_commands_total\{(.*)\} (\d+(?:\.\d+)?)$/.exec(
        line,
      );
    if (!match || !match[1]!.includes('scope="request"')) continue;
    const command = /command="([^"]+)"/.exec(match[1]!)?.[1] ?? '?';
    counts[command] = (counts[command] ?? 0) + Number(match[2]);
  }
  return counts;
}

/** Commands sent between two readings of {@link requestCommandsAt}, by name (zeros left out). */
export function commandsBetween(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after)
      .map(([name, n]) => [name, n - (before[name] ?? 0)] as const)
      .filter(([, n]) => n > 0),
  );
}
