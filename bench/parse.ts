/** A plain tree-sitter parse, the baseline the analyzer's cost is measured against. */
import Parser from 'tree-sitter';
import C from 'tree-sitter-c';
import Cpp from 'tree-sitter-cpp';
import type { Language } from '../src/analyzer/parse/language.js';

/** tree-sitter 0.21 rejects a string longer than its input buffer, so text goes in by chunks. */
const CHUNK = 8192;

const parsers: Record<Language, Parser> = { c: new Parser(), cpp: new Parser() };
parsers.c.setLanguage(C);
parsers.cpp.setLanguage(Cpp);

export function parsePlain(source: string, language: Language): Parser.Tree {
  return parsers[language].parse((index) => (index < source.length ? source.slice(index, index + CHUNK) : null));
}

const FUNCTION_KINDS = new Set(['function_definition', 'lambda_expression']);

/** Function bodies in the tree, counted with a cursor so deep nesting cannot overflow the stack. */
export function countFunctions(tree: Parser.Tree): number {
  const cursor = tree.walk();
  let count = 0;
  for (;;) {
    if (FUNCTION_KINDS.has(cursor.nodeType)) count++;
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) return count;
    }
  }
}
