import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { FAIL_LEVELS, type FailLevel } from './fail-level.js';

export const OUTPUT_FORMATS = ['text', 'json', 'sarif'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Where the changed lines come from, when only changes are checked. */
export type DiffSource =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'stdin' }
  | { readonly kind: 'git'; readonly rev: string };

export interface CliOptions {
  readonly paths: readonly string[];
  readonly format: OutputFormat;
  readonly diff?: DiffSource;
  readonly python?: string;
  readonly config?: string;
  readonly failOn?: FailLevel;
}

export type ParsedArgs =
  | { readonly kind: 'run'; readonly options: CliOptions }
  /** Help or version was printed, or commander reported a usage error. */
  | { readonly kind: 'exit'; readonly code: number };

export interface ArgsOutput {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const EXAMPLES = `
Exit status:
  0  no finding at or above the --fail-on level
  1  some finding at or above it
  2  usage error, bad configuration or internal error

--fail-on: the flag wins over fail_on in the config file, which wins over the default (error).
Other flags likewise override the config file (.github/refcheck.yml when --config is not given).

Examples:
  refcheck src/                          check every C and C++ file under src/
  refcheck --format sarif . > refcheck.sarif
  refcheck --base origin/main            check only the functions changed since origin/main
  git diff HEAD~3 | refcheck --diff -    the same for any diff, read from stdin
  refcheck --python 3.10 --fail-on warning ext/module.c
`;

function pythonVersion(value: string): string {
  if (!/^3\.\d{1,2}$/.test(value)) throw new InvalidArgumentError('expected a Python 3 version such as 3.8.');
  return value;
}

function buildProgram(version: string, output: ArgsOutput): Command {
  return new Command('refcheck')
    .description("Find reference-count bugs in C and C++ code that uses Python's C API.")
    .argument('[paths...]', 'files and folders to check (folders are searched for C and C++ files)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(OUTPUT_FORMATS).default('text'))
    .addOption(new Option('--diff <file>', 'check only what this unified diff adds ("-" reads stdin)').conflicts('base'))
    .addOption(new Option('--base <rev>', 'check only what `git diff <rev>` adds in this repository'))
    .addOption(new Option('--python <version>', 'oldest supported Python; fixes use no newer API').argParser(pythonVersion))
    .addOption(new Option('-c, --config <file>', 'configuration file (YAML, as .github/refcheck.yml)'))
    .addOption(new Option('--fail-on <level>', 'lowest severity that makes the exit status 1 (default: error)').choices(FAIL_LEVELS))
    .version(version, '-V, --version')
    .helpOption('-h, --help', 'show this help')
    .addHelpText('after', EXAMPLES)
    .showHelpAfterError('(run refcheck --help for usage)')
    .configureOutput({ writeOut: output.stdout, writeErr: output.stderr })
    .exitOverride();
}

interface RawOptions {
  format: OutputFormat;
  diff?: string;
  base?: string;
  python?: string;
  config?: string;
  failOn?: FailLevel;
}

function diffSource(raw: RawOptions): DiffSource | undefined {
  if (raw.diff !== undefined) return raw.diff === '-' ? { kind: 'stdin' } : { kind: 'file', path: raw.diff };
  if (raw.base !== undefined) return { kind: 'git', rev: raw.base };
  return undefined;
}

/** Reads the command line; usage errors are written to stderr and come back as exit code 2. */
export function parseArgs(argv: readonly string[], version: string, output: ArgsOutput): ParsedArgs {
  const program = buildProgram(version, output);
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return { kind: 'exit', code: error.exitCode === 0 ? 0 : 2 };
    throw error;
  }
  const raw = program.opts<RawOptions>();
  const diff = diffSource(raw);
  if (program.args.length === 0 && diff === undefined) {
    output.stderr('error: give files or folders to check, or --diff or --base\n(run refcheck --help for usage)\n');
    return { kind: 'exit', code: 2 };
  }
  if (raw.base?.startsWith('-') === true) {
    output.stderr(`error: --base expects a revision, not "${raw.base}"\n`);
    return { kind: 'exit', code: 2 };
  }
  return {
    kind: 'run',
    options: { paths: program.args, format: raw.format, diff, python: raw.python, config: raw.config, failOn: raw.failOn },
  };
}
