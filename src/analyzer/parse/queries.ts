import Parser from 'tree-sitter';
import { grammarFor } from './parser.js';
import type { Language } from './language.js';

/**
 * Nodes that may hold a function body, and namespace names (C++) that tell `ns::f` from `Class::f`.
 * A query runs natively over the whole tree, ERROR nodes included, and only the captures cross into JS,
 * which is what makes a multi-megabyte file cheap.
 */
const SOURCES: Readonly<Record<Language, string>> = {
  c: '(function_definition) @definition',
  cpp: `
    (function_definition) @definition
    (lambda_expression) @definition
    (namespace_definition name: (_) @namespace)
  `,
};

const compiled = new Map<Language, Parser.Query>();

export function definitionsQuery(language: Language): Parser.Query {
  let query = compiled.get(language);
  if (!query) {
    query = new Parser.Query(grammarFor(language), SOURCES[language]);
    compiled.set(language, query);
  }
  return query;
}
