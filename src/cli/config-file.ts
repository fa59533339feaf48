import { parseDocument } from 'yaml';
import { parseConfig, type Config } from '../config/schema.js';

export type LoadedConfig =
  | {
      readonly ok: true;
      readonly config: Config;
      /** Whether the file says fail_on itself; the CLI's own default applies otherwise. */
      readonly setsFailOn: boolean;
    }
  | { readonly ok: false; readonly errors: readonly string[] };

/** Parses and validates the text of a refcheck.yml; every problem becomes one `where: message` line. */
export function loadConfigText(text: string): LoadedConfig {
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    // The first line of a yaml error names the problem and its line and column; the rest is a code excerpt.
    return { ok: false, errors: document.errors.map((error) => (error.message.split('\n')[0] ?? '').replace(/:$/, '')) };
  }
  const raw: unknown = withoutExtends(document.toJS());
  const result = parseConfig(raw);
  if (!result.ok) return { ok: false, errors: result.errors };
  const setsFailOn = typeof raw === 'object' && raw !== null && 'fail_on' in raw;
  return { ok: true, config: result.config, setsFailOn };
}

/** `_extends` points at another repository's config, which only the app (through GitHub) can follow. */
function withoutExtends(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || !('_extends' in raw)) return raw;
  const { _extends: _ignored, ...rest } = raw as Record<string, unknown>;
  return rest;
}
