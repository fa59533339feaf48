import { describe, expect, it } from 'vitest';
import { parseSteals } from '../../../../src/analyzer/capi/generate/steals.js';

const file = (steals: unknown[]) => ({
  steals,
  in_place_pointer_params: [{ function: '_PyBytes_Resize/_PyTuple_Resize' }, { function: 'PyBytes_Concat' }],
  dat_minus1_not_a_steal: ["PySet_Discard(key) -1 'no effect if key not found'", 'PyContext_Exit(ctx) -1'],
  decref_macros_dat_minus1: ['Py_DECREF'],
});

describe('parseSteals', () => {
  it('reads when each steal happens', () => {
    const facts = parseSteals(
      file([
        { function: 'PyList_SetItem', index: 2, when: 'always (also on error)' },
        { function: 'PyCell_SET', index: 1, when: 'macro, no refcount adjustment' },
        { function: 'PyModule_AddObject', index: 2, when: 'only on success (returns 0)' },
        { function: 'PyErr_Restore', index: [0, 1, 2], when: 'always' },
      ]),
    );
    expect(facts.steals).toEqual([
      { function: 'PyList_SetItem', indices: [2], effect: 'steals' },
      { function: 'PyCell_SET', indices: [1], effect: 'steals' },
      { function: 'PyModule_AddObject', indices: [2], effect: 'steals-on-success' },
      { function: 'PyErr_Restore', indices: [0, 1, 2], effect: 'steals' },
    ]);
  });

  it('splits grouped in-place names and takes the function name from prose', () => {
    const facts = parseSteals(file([]));
    expect(facts.inPlace).toEqual(['_PyBytes_Resize', '_PyTuple_Resize', 'PyBytes_Concat']);
    expect(facts.minusOneNotASteal).toEqual(['PySet_Discard', 'PyContext_Exit']);
    expect(facts.releaseMacros).toEqual(['Py_DECREF']);
  });

  it('refuses a timing it cannot classify', () => {
    expect(() => parseSteals(file([{ function: 'F', index: 0, when: 'sometimes' }]))).toThrow(/cannot tell when F steals/);
  });
});
