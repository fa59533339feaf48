import { DEFAULT_CONFIG, type ApiConfigEntry, type Config } from '../config/schema.js';
import type { RuleId, Severity } from '../analyzer/findings.js';
import { DEFAULT_FAIL_LEVEL, type FailLevel } from './fail-level.js';
import type { CliOptions } from './options.js';

export interface Settings {
  readonly python: string;
  readonly failOn: FailLevel;
  readonly rules: Partial<Record<RuleId, Severity | 'off'>>;
  readonly api: readonly ApiConfigEntry[];
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

/** What the config file says, when there is one. */
export interface FileConfig {
  readonly config: Config;
  readonly setsFailOn: boolean;
}

/** Flags win over the config file, which wins over the defaults; fail_on defaults to `error` here, unlike in the app. */
export function resolveSettings(options: CliOptions, file: FileConfig | undefined): Settings {
  const config = file?.config ?? DEFAULT_CONFIG;
  const configFailOn = file?.setsFailOn === true ? config.fail_on : undefined;
  return {
    python: options.python ?? config.python,
    failOn: options.failOn ?? configFailOn ?? DEFAULT_FAIL_LEVEL,
    rules: config.rules,
    api: config.api,
    include: config.paths.include,
    exclude: config.paths.exclude,
  };
}
