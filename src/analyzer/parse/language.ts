export type Language = 'c' | 'cpp';

const C_EXTENSIONS = new Set(['.c']);
const CPP_EXTENSIONS = new Set(['.cc', '.cpp', '.cxx', '.c++', '.h', '.hh', '.hpp', '.hxx', '.inl', '.ipp']);

function extensionOf(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot).toLowerCase();
}

/** The grammar for a path, or undefined when the file is not C or C++ source. */
export function languageFor(path: string): Language | undefined {
  const ext = extensionOf(path);
  if (C_EXTENSIONS.has(ext)) return 'c';
  if (CPP_EXTENSIONS.has(ext)) return 'cpp';
  return undefined;
}
