import { z } from 'zod';
import { RULE_IDS } from '../analyzer/findings.js';
import { ARG_EFFECTS } from '../analyzer/capi/types.js';

/**
 * The one schema for `.github/refcheck.yml` (the app) and `--config FILE` (the CLI).
 * Each field carries its description and default, so error messages and docs come from here.
 */

const pythonVersion = z
  .string()
  .regex(/^3\.\d{1,2}$/, 'must look like "3.8"')
  .describe('Oldest Python the project supports; fixes never use an API newer than this.');

const severityOrOff = z.enum(['off', 'error', 'warning', 'note']);

const ruleSettings = z
  .partialRecord(z.enum(RULE_IDS), severityOrOff)
  .describe('Per rule: "off", or the severity to report it at.');

const argEffect = z.enum(ARG_EFFECTS);

export const apiEntrySchema = z
  .object({
    name: z.string().regex(/^[A-Za-z_]\w*$/, 'must be a C identifier'),
    returns: z.enum(['new', 'borrowed', 'none', 'null']).default('none'),
    can_fail: z.boolean().default(true),
    args: z
      .record(z.string().regex(/^\d+$/, 'argument index must be a number (0-based)'), argEffect)
      .default({})
      .describe('Effect by 0-based argument index, e.g. {"1": "steals"}.'),
  })
  .strict();

export const configSchema = z
  .object({
    python: pythonVersion.default('3.8'),
    rules: ruleSettings.default({}),
    api: z.array(apiEntrySchema).default([]).describe("The project's own functions, known like C API calls."),
    paths: z
      .object({
        include: z.array(z.string()).default(['**/*']),
        exclude: z.array(z.string()).default([]),
      })
      .strict()
      .default({ include: ['**/*'], exclude: [] }),
    fail_on: z.enum(['error', 'warning', 'note', 'never']).default('never'),
    max_comments: z.number().int().min(0).max(100).default(25),
    review_event: z.enum(['COMMENT', 'REQUEST_CHANGES']).default('COMMENT'),
    drafts: z.boolean().default(false).describe('Review draft pull requests too.'),
    max_file_bytes: z
      .number()
      .int()
      .positive()
      .default(2 * 1024 * 1024)
      .describe('Files larger than this are skipped, and the summary says so.'),
    commands: z
      .object({
        allowed: z
          .array(z.enum(['OWNER', 'MEMBER', 'COLLABORATOR', 'CONTRIBUTOR', 'AUTHOR', 'EVERYONE']))
          .default(['OWNER', 'MEMBER', 'COLLABORATOR', 'AUTHOR']),
      })
      .strict()
      .default({ allowed: ['OWNER', 'MEMBER', 'COLLABORATOR', 'AUTHOR'] }),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ApiConfigEntry = z.infer<typeof apiEntrySchema>;

export const DEFAULT_CONFIG: Config = configSchema.parse({});

export type ConfigResult =
  | { readonly ok: true; readonly config: Config }
  | { readonly ok: false; readonly config: Config; readonly errors: readonly string[] };

/** Validates raw config; on error returns the defaults together with one readable line per problem. */
export function parseConfig(raw: unknown): ConfigResult {
  const result = configSchema.safeParse(raw ?? {});
  if (result.success) return { ok: true, config: result.data };
  const errors = result.error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    return `${where}: ${issue.message}`;
  });
  return { ok: false, config: DEFAULT_CONFIG, errors };
}
