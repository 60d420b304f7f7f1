/**
 * Runs once before the suite (jest.config.js `globalSetup`): fetches the program sets of the
 * version matrix (testing/program-sets.ts) that are not cached yet, so that the tests, which look
 * for them while jest collects them, find them. A set that cannot be fetched (offline) is
 * reported here; its tests are then skipped with the command that fetches it, or fail under CI.
 */
import { fetchProgramSet, matrixSetNames } from './program-sets';

export default async function fetchMatrix(): Promise<void> {
  for (const name of matrixSetNames()) {
    try {
      await fetchProgramSet(name);
    } catch (error) {
      console.warn(`\n${(error as Error).message}`);
    }
  }
}
