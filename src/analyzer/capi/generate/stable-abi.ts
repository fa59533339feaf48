/**
 * Reader for CPython's Misc/stable_abi.toml, limited to what the table needs: the version in which
 * each name joined the limited API. Only the `[kind.Name]` headers and their `added = 'X.Y'` lines
 * matter, so a line-oriented reader is enough and no TOML library is needed.
 */

export type PythonVersion = readonly [number, number];

const HEADER = /^\[(\w+)\.(\w+)\]\s*$/;
const ADDED = /^added\s*=\s*'(\d+)\.(\d+)'\s*$/;

/** Name → version that added it to the limited API, for every item that says so. */
export function parseStableAbiVersions(text: string): Map<string, PythonVersion> {
  const versions = new Map<string, PythonVersion>();
  let current: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header = HEADER.exec(line);
    if (header) {
      current = header[2];
      continue;
    }
    if (line.startsWith('[')) {
      current = undefined;
      continue;
    }
    const added = ADDED.exec(line);
    if (added && current !== undefined) versions.set(current, [Number(added[1]), Number(added[2])]);
  }
  return versions;
}
