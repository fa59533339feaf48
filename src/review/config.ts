import { DEFAULT_CONFIG, parseConfig, type ConfigResult } from '../config/schema.js';

export const CONFIG_FILE = 'refcheck.yml';

/**
 * Reads and validates `.github/refcheck.yml` (through Probot's `context.config`, which follows
 * `_extends` and the owner's `.github` repository). A config that cannot be read or is invalid
 * never stops a run: the defaults apply and the check run says what is wrong.
 */
export async function loadConfig(read: () => Promise<unknown>): Promise<ConfigResult> {
  try {
    return parseConfig(await read());
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, config: DEFAULT_CONFIG, errors: [`could not be read: ${message}`] };
  }
}
