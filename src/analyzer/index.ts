import type { ApiConfigEntry } from '../config/schema.js';
import { builtinApi, firstFormatArgument, formatArgumentEffects, withExtraEntries } from './capi/index.js';
import type { ApiEntry, ArgEffect } from './capi/types.js';
import { type Draft, fingerprintFindings } from './fingerprint.js';
import type { AnalysisResult, Diagnostic, FunctionReport, RuleId, Severity } from './findings.js';
import { type FunctionWalk, freesItsObject, returnsObject, walkFunction } from './ownership/function-walk.js';
import { fieldName } from './ownership/syntax.js';
import { readFileMacros } from './ownership/file-macros.js';
import { type FunctionRole, collectTableEntries, roleOf } from './ownership/role.js';
import { findFunctions } from './parse/functions.js';
import { type Language, languageFor } from './parse/language.js';
import type { ParsedFile, ParsedFunction, SyntaxNode } from './parse/types.js';
import { copyableOwners } from './classes/copyable-owners.js';
import { RULES } from './rules/index.js';
import { shortExpr } from './rules/trace.js';
import type { FieldReleases, FunctionUnderReview, Report } from './rules/types.js';
import { suppressedRules } from './suppressions.js';

export * from './findings.js';
export { languageFor, type Language } from './parse/language.js';

export interface AnalyzeOptions {
  /** Used for the grammar (by extension) and copied into each finding's `file`. */
  readonly path: string;
  /** Overrides the grammar chosen from the path. */
  readonly language?: Language;
  /** New-side lines the diff added or changed; only functions containing one are analysed. Absent: every function. */
  readonly touchedLines?: ReadonlySet<number>;
  /** Oldest supported Python, "3.8": fixes never use a newer API. Default "3.8". */
  readonly python?: string;
  /** Per rule: "off" or the severity to report at. */
  readonly rules?: Partial<Record<RuleId, Severity | 'off'>>;
  /** The project's own functions, known like C API calls. */
  readonly api?: readonly ApiConfigEntry[];
  /** Upper bound on path states walked per function; past it the function is reported as skipped. */
  readonly budget?: number;
  /** Summarise the file's own helpers bottom-up and treat calls to them like API calls. Default true. */
  readonly summaries?: boolean;
}

const DEFAULT_BUDGET = 20_000;
const STATES_PER_NODE = 48;

/** Source text in, findings out. Pure: no file system, no network, no clock. Never throws on bad input. */
export function analyze(source: string, options: AnalyzeOptions): AnalysisResult {
  try {
    return analyzeSource(source, options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { findings: [], functions: [], diagnostics: [{ severity: 'warning', message: `internal error, file not analysed: ${message}` }] };
  }
}

function analyzeSource(source: string, options: AnalyzeOptions): AnalysisResult {
  const language = options.language ?? languageFor(options.path) ?? 'cpp';
  const parsed = findFunctions(source, language, { retryWithC: /\.(h|hh|hpp|hxx)$/i.test(options.path) });
  const diagnostics: Diagnostic[] = parsed.errors.slice(0, 5).map((e) => ({ severity: 'info', line: e.line, message: `parse error near \`${e.text}\`` }));
  if (parsed.errors.length > 5) diagnostics.push({ severity: 'info', message: `${parsed.errors.length - 5} more parse errors` });

  const tables = collectTableEntries(parsed.tree.rootNode);
  const python = parsePython(options.python ?? '3.8');
  const touchedList = options.touchedLines ? [...options.touchedLines] : undefined;
  const touchedRange = (start: number, end: number): boolean => !touchedList || touchedList.some((l) => l >= start && l <= end);
  const touched = (fn: ParsedFunction): boolean => touchedRange(fn.startLine, fn.endLine);

  const macros = readFileMacros(parsed.tree.rootNode);
  const summaries = new Map<string, ApiEntry>(macros.calls);
  const lookupTable = withExtraEntries(builtinApi, options.api ?? [], options.summaries === false ? macros.calls : summaries);
  const env = {
    lookup: (name: string) => lookupTable.lookup(name),
    formatEffects: (format: string, style: 'build' | 'parse') => formatArgumentEffects(format, style).map(toArgEffect),
    firstVariadic: (entry: ApiEntry) => firstFormatArgument(entry) ?? Number.MAX_SAFE_INTEGER,
    limits: { budget: options.budget ?? DEFAULT_BUDGET, statesPerNode: STATES_PER_NODE },
    macros: macros.flow,
    macroMentions: macros.mentions,
    emptyMacros: macros.empty,
  };

  const walks = new Map<ParsedFunction, WalkEntry>();
  const walkAll = (order: readonly ParsedFunction[]): void => {
    for (const fn of order) {
      if (walks.has(fn)) continue;
      const role = roleOf(fn, tables);
      if (fn.hasErrors) {
        walks.set(fn, { role, skipped: 'the function body has parse errors' });
        continue;
      }
      try {
        const walk = walkFunction(fn, role, env);
        walks.set(fn, { role, walk });
        if (walk.summary && !summaries.has(baseName(fn.name))) summaries.set(baseName(fn.name), { ...walk.summary, name: baseName(fn.name) });
      } catch (error) {
        const reason = error instanceof RangeError ? 'nesting too deep to analyse' : error instanceof Error ? error.message : String(error);
        walks.set(fn, { role, skipped: reason });
      }
    }
  };
  // The touched functions and what they call, helpers first; the rest only when a touched function leaves a field
  // dangling, since only then do other functions' releases of that field matter (the double release it pairs with).
  const touchedFunctions = parsed.functions.filter(touched);
  walkAll(calleesFirst(parsed.functions, touchedFunctions));
  if (touchedFunctions.length < parsed.functions.length && touchedFunctions.some((fn) => leavesFieldDangling(walks.get(fn)))) {
    walkAll(calleesFirst(parsed.functions, parsed.functions));
  }

  const fieldReleases = collectFieldReleases(walks);
  const lines = source.split(/\r?\n/);
  const findings: Draft[] = [];
  const functions: FunctionReport[] = [];
  for (const fn of parsed.functions) {
    const entry = walks.get(fn);
    if (!entry || !touched(fn)) {
      functions.push({ name: fn.name, startLine: fn.startLine, endLine: fn.endLine, status: { kind: 'not-touched' } });
      continue;
    }
    if ('skipped' in entry) {
      functions.push({ name: fn.name, startLine: fn.startLine, endLine: fn.endLine, status: { kind: 'skipped', reason: entry.skipped } });
      continue;
    }
    const { walk } = entry;
    functions.push({
      name: fn.name,
      startLine: fn.startLine,
      endLine: fn.endLine,
      status: walk.outcome.complete ? { kind: 'analysed' } : { kind: 'skipped', reason: `${walk.outcome.reason}; findings on the paths walked are kept` },
    });
    const declared = lookupTable.lookup(baseName(fn.name));
    const review: FunctionUnderReview = {
      parsed: fn,
      role: entry.role,
      returnsObject: returnsObject(fn),
      freesItsObject: freesItsObject(fn),
      declaredBorrowed: declared !== undefined && declared.source !== 'summary' && declared.returns === 'borrowed',
    };
    findings.push(...runRules(review, walk, { fieldReleases }, lines, python, options));
  }
  findings.push(...classFindings(parsed, options, touchedRange));
  const suppressed = suppressedRules(lines);
  const kept = findings.filter((f) => {
    const rulesOff = suppressed.get(f.line);
    return !rulesOff || (rulesOff.size > 0 && !rulesOff.has(f.rule));
  });
  kept.sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
  return { findings: fingerprintFindings(kept, lines), functions, diagnostics };
}

type WalkEntry = { readonly role: FunctionRole; readonly walk: FunctionWalk } | { readonly role: FunctionRole; readonly skipped: string };

/** The severity a rule reports at under these options, or undefined when it is off. */
function severityOf(id: RuleId, options: AnalyzeOptions): Severity | undefined {
  const setting = options.rules?.[id];
  return setting === 'off' ? undefined : (setting ?? RULES[id].meta.defaultSeverity);
}

function runRules(
  fn: FunctionUnderReview,
  walk: FunctionWalk,
  file: { fieldReleases: FieldReleases },
  lines: readonly string[],
  python: readonly [number, number],
  options: AnalyzeOptions,
): Draft[] {
  const out: Draft[] = [];
  for (const [id, rule] of Object.entries(RULES) as Array<[RuleId, (typeof RULES)[RuleId]]>) {
    const severity = severityOf(id, options);
    if (!severity) continue;
    const seen = new Set<string>();
    const listeners = rule.create({
      fn,
      file,
      lines,
      python,
      report(report: Report<string>) {
        const key = report.key ?? `${report.messageId}@${report.line}`;
        if (seen.has(key)) return;
        seen.add(key);
        out.push({
          rule: id,
          messageId: report.messageId,
          severity,
          file: options.path,
          function: fn.parsed.name,
          line: report.line,
          endLine: report.endLine ?? report.line,
          message: fill(rule.meta.messages[report.messageId] ?? report.messageId, report.data),
          trace: report.trace,
          ...(report.fix ? { fix: report.fix } : {}),
          ...(report.subject ? { subject: report.subject } : {}),
        });
      },
    });
    for (const event of walk.events) {
      const listener = (listeners as Record<string, ((e: unknown) => void) | undefined>)[event.kind];
      listener?.(event);
    }
    listeners.done?.();
  }
  return out;
}

/** C++ classes that release a `PyObject *` member in their destructor and can still be copied. */
function classFindings(parsed: ParsedFile, options: AnalyzeOptions, touchedRange: (start: number, end: number) => boolean): Draft[] {
  const severity = severityOf('double-release', options);
  if (!severity || parsed.language !== 'cpp') return [];
  const meta = RULES['double-release'].meta;
  return copyableOwners(parsed.tree.rootNode, parsed.functions)
    .filter((owner) => touchedRange(owner.line, owner.endLine))
    .map((owner) => ({
      rule: 'double-release' as const,
      messageId: 'copyableOwner',
      severity,
      file: options.path,
      function: owner.className,
      line: owner.line,
      endLine: owner.line,
      message: fill(meta.messages['copyableOwner'] ?? '', { name: owner.className, members: owner.members.join('`, `') }),
      trace: [
        ...owner.releaseLines.map((line) => ({ line, note: 'the destructor releases the member' })),
        ...(owner.defaultedAt ? [{ line: owner.defaultedAt, note: 'a defaulted copy copies the pointer without a new reference' }] : []),
        ...(owner.copiedAt ? [{ line: owner.copiedAt, note: 'copied here: both copies will release it' }] : []),
      ],
    }));
}

function fill(template: string, data: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => (k === 'expr' ? shortExpr(String(data[k] ?? '')) : String(data[k] ?? '')));
}

function collectFieldReleases(walks: ReadonlyMap<ParsedFunction, WalkEntry>): FieldReleases {
  const releases = new Map<string, Array<{ function: string; role: FunctionRole; line: number; owner: string }>>();
  for (const [fn, entry] of walks) {
    if (!('walk' in entry)) continue;
    const seen = new Set<string>();
    for (const e of entry.walk.events) {
      if (e.kind !== 'exit') continue;
      for (const field of e.state.dangling.values()) {
        const key = `${field.expr}@${field.line}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const name = fieldName(field.expr);
        const list = releases.get(name) ?? [];
        list.push({ function: fn.name, role: entry.role, line: field.line, owner: field.owner });
        releases.set(name, list);
      }
    }
  }
  return releases;
}

function baseName(name: string): string {
  return name.slice(name.lastIndexOf(':') + 1);
}

function leavesFieldDangling(entry: WalkEntry | undefined): boolean {
  return entry !== undefined && 'walk' in entry && entry.walk.events.some((e) => e.kind === 'exit' && e.state.dangling.size > 0);
}

/**
 * `roots` and every function of the file they call, helpers before their callers, so each call meets its callee's
 * summary; cycles are cut where they close.
 */
function calleesFirst(functions: readonly ParsedFunction[], roots: readonly ParsedFunction[]): ParsedFunction[] {
  const byName = new Map<string, ParsedFunction>();
  for (const fn of functions) if (fn.kind !== 'lambda') byName.set(baseName(fn.name), fn);
  const order: ParsedFunction[] = [];
  const state = new Map<ParsedFunction, 'visiting' | 'done'>();
  for (const root of roots) {
    if (state.has(root)) continue;
    const stack: Array<{ fn: ParsedFunction; callees: ParsedFunction[] }> = [{ fn: root, callees: calleesOf(root, byName) }];
    state.set(root, 'visiting');
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const next = top.callees.pop();
      if (next === undefined) {
        state.set(top.fn, 'done');
        order.push(top.fn);
        stack.pop();
      } else if (!state.has(next)) {
        state.set(next, 'visiting');
        stack.push({ fn: next, callees: calleesOf(next, byName) });
      }
    }
  }
  return order;
}

function calleesOf(fn: ParsedFunction, byName: ReadonlyMap<string, ParsedFunction>): ParsedFunction[] {
  const found = new Set<ParsedFunction>();
  const stack: SyntaxNode[] = [fn.body];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'call_expression') {
      const callee = node.childForFieldName('function');
      const target = callee?.type === 'identifier' ? byName.get(callee.text) : undefined;
      if (target && target !== fn) found.add(target);
    }
    for (let i = node.namedChildCount - 1; i >= 0; i--) stack.push(node.namedChild(i)!);
  }
  return [...found];
}

function parsePython(version: string): readonly [number, number] {
  const m = /^(\d+)\.(\d+)$/.exec(version);
  return m ? [Number(m[1]), Number(m[2])] : [3, 8];
}

function toArgEffect(effect: 'steals' | 'borrows' | 'out-borrowed' | 'other'): ArgEffect {
  return effect === 'other' ? 'borrows' : effect;
}
