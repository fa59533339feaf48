export type DecodedSource = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

/** Source text from file bytes; binary files and files that are not UTF-8 are refused with a reason. */
export function decodeSource(bytes: Uint8Array): DecodedSource {
  if (bytes.includes(0)) return { ok: false, reason: 'binary file (contains a NUL byte)' };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, reason: 'not valid UTF-8' };
  }
}
