/**
 * Reader for CPython's Doc/data/refcounts.dat: `function:type:param:refcount:comment`, one block per
 * function, the first line of a block being the return value and the others the parameters in order.
 */

export type DatRefcount = '+1' | '0' | '-1' | 'null' | '';

export interface DatParam {
  /** C type as written, '' when the file leaves it out (macro parameters such as `TYPE`). */
  readonly type: string;
  readonly name: string;
  readonly refcount: DatRefcount;
}

export interface DatFunction {
  readonly name: string;
  readonly returnType: string;
  readonly returnRefcount: DatRefcount;
  /** Fixed parameters only; a trailing `...` sets `variadic` instead. */
  readonly params: readonly DatParam[];
  readonly variadic: boolean;
}

const REFCOUNTS: ReadonlySet<string> = new Set<DatRefcount>(['+1', '0', '-1', 'null', '']);

function isRefcount(text: string): text is DatRefcount {
  return REFCOUNTS.has(text);
}

interface DatLine {
  readonly lineNumber: number;
  readonly name: string;
  readonly type: string;
  readonly param: string;
  readonly refcount: DatRefcount;
}

function parseLine(line: string, lineNumber: number): DatLine {
  // The comment field may itself hold colons ("+00:00"), so only the first four fields are split off.
  const fields = line.split(':');
  if (fields.length < 4) throw new Error(`refcounts.dat line ${lineNumber}: expected at least 4 fields`);
  const [name, type, param, refcount] = fields.map((field) => field.trim()) as [string, string, string, string];
  if (!isRefcount(refcount)) {
    throw new Error(`refcounts.dat line ${lineNumber}: unknown refcount effect "${refcount}"`);
  }
  return { lineNumber, name, type, param, refcount };
}

function toFunction(lines: readonly DatLine[]): DatFunction {
  const [head, ...rest] = lines as [DatLine, ...DatLine[]];
  if (head.param !== '') {
    throw new Error(`refcounts.dat line ${head.lineNumber}: the first line of ${head.name} must describe its return value`);
  }
  // `f::void::` spells out an empty parameter list.
  const declared = rest.filter((line) => !(line.param === 'void' && line.type === ''));
  const variadic = declared.some((line) => line.param === '...');
  const params = declared
    .filter((line) => line.param !== '...')
    .map((line) => ({ type: line.type, name: line.param, refcount: line.refcount }));
  return { name: head.name, returnType: head.type, returnRefcount: head.refcount, params, variadic };
}

/** Parses the whole file; throws on a malformed line or a function described twice. */
export function parseRefcountsDat(text: string): DatFunction[] {
  const blocks: DatLine[][] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const parsed = parseLine(line, index + 1);
    const current = blocks.at(-1);
    if (current && current[0]?.name === parsed.name) current.push(parsed);
    else blocks.push([parsed]);
  });
  const functions = blocks.map(toFunction);
  const seen = new Set<string>();
  for (const fn of functions) {
    if (seen.has(fn.name)) throw new Error(`refcounts.dat describes ${fn.name} in two separate blocks`);
    seen.add(fn.name);
  }
  return functions;
}
