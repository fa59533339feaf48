import Parser from 'tree-sitter';
import C from 'tree-sitter-c';
import Cpp from 'tree-sitter-cpp';
import { collectParseErrors } from './errors.js';
import type { Language } from './language.js';
import type { Tree } from './types.js';

/**
 * tree-sitter 0.21 copies each piece of input into a fixed buffer and rejects longer ones ("Invalid argument"),
 * so the text is fed in chunks of this many UTF-16 units, plus one for a surrogate pair's second half.
 */
const CHUNK = 16 * 1024;
const BUFFER_SIZE = CHUNK + 1;

const GRAMMARS: Readonly<Record<Language, unknown>> = { c: C, cpp: Cpp };
const parsers = new Map<Language, Parser>();

export function grammarFor(language: Language): unknown {
  return GRAMMARS[language];
}

function parserFor(language: Language): Parser {
  let parser = parsers.get(language);
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(GRAMMARS[language]);
    parsers.set(language, parser);
  }
  return parser;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Chunks never end between the two halves of a surrogate pair, which the lexer would misread. */
function chunkedInput(text: string): Parser.Input {
  return (index: number) => {
    if (index >= text.length) return null;
    let end = Math.min(index + CHUNK, text.length);
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end += 1;
    return text.slice(index, end);
  };
}

/** Parse `text` with the grammar of `language`. Never throws on malformed source: errors become ERROR nodes. */
export function parseText(text: string, language: Language): Tree {
  return parserFor(language).parse(chunkedInput(text), undefined, { bufferSize: BUFFER_SIZE });
}

export interface ChosenTree {
  readonly tree: Tree;
  readonly language: Language;
}

/**
 * Parse with `language`; when `retryWithC` is set and the C++ tree has errors, parse again as C
 * and keep whichever tree has fewer error sites (C++ wins ties). Headers are often plain C that
 * uses C++ keywords as names (`new`, `class`, `template`).
 */
export function parseBest(text: string, language: Language, retryWithC: boolean): ChosenTree {
  const tree = parseText(text, language);
  if (!retryWithC || language !== 'cpp' || !tree.rootNode.hasError) return { tree, language };
  const cTree = parseText(text, 'c');
  const cppErrors = collectParseErrors(tree.rootNode, text).length;
  const cErrors = collectParseErrors(cTree.rootNode, text).length;
  return cErrors < cppErrors ? { tree: cTree, language: 'c' } : { tree, language };
}
