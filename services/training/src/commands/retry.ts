import { VersionConflictError } from '../store/versions';

/**
 * Runs `attempt` (load → decide → save) again from a fresh load while its save
 * loses to a concurrent write, at most `attempts` times in all; each round at
 * least one of the racing writers wins, so `attempts` covers as many writers
 * racing on one aggregate. Any other error, and the last conflict, propagate.
 */
export async function retryOnVersionConflict<T>(
  attempts: number,
  attempt: () => Promise<T>,
): Promise<T> {
  for (let round = 1; ; round += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof VersionConflictError) || round >= attempts)
        throw error;
    }
  }
}
