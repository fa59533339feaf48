import { describe, expect, it } from 'vitest';
import { parseStableAbiVersions } from '../../../../src/analyzer/capi/generate/stable-abi.js';

describe('parseStableAbiVersions', () => {
  it('maps each item to the version that added it', () => {
    const text = `# header
[function.Py_NewRef]
    added = '3.10'
[struct.PyObject]
    added = '3.2'
    struct_abi_kind = 'members'
    members = ['ob_refcnt', 'ob_type']
[function.PyModule_Add]
    added = '3.13'
    ifdef = 'SOMETHING'
[function.NoVersion]
    abi_only = true
`;
    expect(parseStableAbiVersions(text)).toEqual(
      new Map([
        ['Py_NewRef', [3, 10]],
        ['PyObject', [3, 2]],
        ['PyModule_Add', [3, 13]],
      ]),
    );
  });

  it('does not carry a version across an unrecognised header', () => {
    expect(parseStableAbiVersions("[function.A]\n[some.other-header]\n added = '3.9'\n")).toEqual(new Map());
  });
});
