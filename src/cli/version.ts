import { readFileSync } from 'node:fs';

/** The package version; this module sits two folders below package.json both in src/ and in dist/. */
export function toolVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}
