import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { copyableOwners } from '../../../src/analyzer/classes/copyable-owners.js';
import { findFunctions } from '../../../src/analyzer/parse/functions.js';

function ownersIn(lines: readonly string[]) {
  const parsed = findFunctions(lines.join('\n'), 'cpp');
  return copyableOwners(parsed.tree.rootNode, parsed.functions);
}

describe('copyableOwners reports', () => {
  it('a class with only the implicit copy, and the line that copies it', () => {
    const owners = ownersIn([
      'class Holder {', // 1
      ' public:', // 2
      '  explicit Holder(PyObject *o) : obj_(o) { Py_INCREF(obj_); }', // 3
      '  ~Holder() {', // 4
      '    Py_XDECREF(obj_);', // 5
      '  }', // 6
      ' private:', // 7
      '  PyObject *obj_;', // 8
      '  int count_;', // 9
      '};', // 10
      '', // 11
      'static std::vector<Holder> holders;', // 12
    ]);
    expect(owners).toEqual([
      { className: 'Holder', line: 1, endLine: 10, members: ['obj_'], destructorLine: 4, releaseLines: [5], copiedAt: 12 },
    ]);
  });

  it('a struct releasing through this->, with casts, only the members it releases', () => {
    const owners = ownersIn([
      'struct Pair {', // 1
      '  PyObject *first, *second;', // 2
      '  PyTypeObject *type;', // 3
      '  ~Pair() {', // 4
      '    Py_DECREF(this->first);', // 5
      '    Py_CLEAR((PyObject *)type);', // 6
      '  }', // 7
      '};', // 8
    ]);
    expect(owners).toEqual([
      { className: 'Pair', line: 1, endLine: 8, members: ['first', 'type'], destructorLine: 4, releaseLines: [5, 6] },
    ]);
  });

  it('a destructor defined out of class, and a by-value parameter as the copy', () => {
    const owners = ownersIn([
      'namespace wrap {', // 1
      'class Ref {', // 2
      ' public:', // 3
      '  ~Ref();', // 4
      ' private:', // 5
      '  PyObject *ref_ = nullptr;', // 6
      '};', // 7
      'Ref::~Ref() { Py_CLEAR(ref_); }', // 8
      'void keep(Ref ref);', // 9
      '}', // 10
    ]);
    expect(owners).toEqual([
      { className: 'Ref', line: 2, endLine: 7, members: ['ref_'], destructorLine: 8, releaseLines: [8], copiedAt: 9 },
    ]);
  });

  it('a copy constructor and assignment declared = default, which copy the pointer all the same', () => {
    const owners = ownersIn([
      'class Holder {', // 1
      ' public:', // 2
      '  Holder(const Holder &) = default;', // 3
      '  Holder &operator=(const Holder &other) = default;', // 4
      '  Holder(Holder &&) noexcept;', // 5
      '  ~Holder() { Py_XDECREF(obj_); }', // 6
      '  PyObject *obj_;', // 7
      '};', // 8
    ]);
    expect(owners).toHaveLength(1);
    expect(owners[0]).toMatchObject({ className: 'Holder', defaultedAt: 3, releaseLines: [6] });
  });

  it('a class template whose destructor is defined out of class', () => {
    const owners = ownersIn([
      'template <typename T>', // 1
      'class Box {', // 2
      '  PyObject *item;', // 3
      ' public:', // 4
      '  ~Box();', // 5
      '};', // 6
      'template <typename T>', // 7
      'Box<T>::~Box() { Py_XDECREF(item); }', // 8
    ]);
    expect(owners).toEqual([{ className: 'Box', line: 2, endLine: 6, members: ['item'], destructorLine: 8, releaseLines: [8] }]);
  });

  it('a copy constructor declared in the class and defaulted out of it', () => {
    const owners = ownersIn([
      'class Holder {', // 1
      ' public:', // 2
      '  Holder(const Holder &);', // 3
      '  Holder &operator=(const Holder &);', // 4
      '  ~Holder();', // 5
      '  PyObject *obj_;', // 6
      '};', // 7
      'Holder::~Holder() { Py_XDECREF(obj_); }', // 8
      'Holder::Holder(const Holder &) = default;', // 9
      'Holder &Holder::operator=(const Holder &) = default;', // 10
    ]);
    expect(owners).toEqual([
      { className: 'Holder', line: 1, endLine: 7, members: ['obj_'], destructorLine: 8, releaseLines: [8], defaultedAt: 9 },
    ]);
  });

  it('a class whose only base and macros do not forbid copies', () => {
    const owners = ownersIn([
      'class Holder : public Base, private std::enable_shared_from_this<Holder> {',
      '  DECLARE_TYPE(Other);',
      '  template <class U> Holder(const Holder<U> &);',
      '  ~Holder() { Py_XDECREF(obj_); }',
      '  PyObject *obj_;',
      '  std::shared_ptr<std::mutex> lock_;',
      '};',
      'struct Base {};',
    ]);
    expect(owners.map((owner) => owner.className)).toEqual(['Holder']);
  });

  it('a nested class by its nested name, beside an outer class that is not an owner', () => {
    const owners = ownersIn([
      'class Outer {', // 1
      '  struct Inner {', // 2
      '    PyObject *value;', // 3
      '    ~Inner() { Py_DECREF(value); }', // 4
      '  };', // 5
      '  std::map<int, Inner> cache;', // 6
      '};', // 7
    ]);
    expect(owners).toEqual([
      { className: 'Outer::Inner', line: 2, endLine: 5, members: ['value'], destructorLine: 4, releaseLines: [4], copiedAt: 6 },
    ]);
  });
});

describe('copyableOwners does not report', () => {
  const RELEASING_DESTRUCTOR = '  ~Holder() { Py_XDECREF(obj_); }';
  const cases: Array<[string, string[]]> = [
    ['a deleted copy constructor', ['class Holder {', '  Holder(const Holder &) = delete;', RELEASING_DESTRUCTOR, '  PyObject *obj_;', '};']],
    [
      'a copy constructor that takes a new reference',
      [
        'class Holder {',
        ' public:',
        '  Holder(const Holder &other) : obj_(other.obj_) { Py_XINCREF(obj_); }',
        RELEASING_DESTRUCTOR,
        ' private:',
        '  PyObject *obj_;',
        '};',
        'std::vector<Holder> copies;',
      ],
    ],
    [
      'a copy assignment declared here and defined elsewhere',
      ['class Holder {', '  Holder &operator=(const Holder &other);', RELEASING_DESTRUCTOR, '  PyObject *obj_;', '};'],
    ],
    ['a move-only class', ['class Holder {', '  Holder(Holder &&other) noexcept;', RELEASING_DESTRUCTOR, '  PyObject *obj_;', '};']],
    ['a class with a move assignment', ['class Holder {', '  Holder &operator=(Holder &&) = default;', RELEASING_DESTRUCTOR, '  PyObject *obj_;', '};']],
    ['boost::noncopyable as a base', ['class Holder : private boost::noncopyable {', RELEASING_DESTRUCTOR, '  PyObject *obj_;', '};']],
    [
      'a base of the same file whose copy is deleted, or private',
      [
        'class NoCopy { protected: NoCopy() = default; NoCopy(const NoCopy &) = delete; };',
        'class Private { Private(const Private &); };',
        'class Holder : public NoCopy {',
        RELEASING_DESTRUCTOR,
        '  PyObject *obj_;',
        '};',
        'class Other : Private { ~Other() { Py_DECREF(o); } PyObject *o; };',
      ],
    ],
    ['a unique_ptr member', ['class Holder {', RELEASING_DESTRUCTOR, '  PyObject *obj_;', '  std::unique_ptr<int[]> buffer_;', '};']],
    ['a copy-forbidding macro', ['class Holder {', '  DISALLOW_COPY_AND_ASSIGN(Holder);', RELEASING_DESTRUCTOR, '  PyObject *obj_;', '};']],
    ['a copy-forbidding macro with no semicolon', ['class Holder {', '  Q_DISABLE_COPY(Holder)', RELEASING_DESTRUCTOR, '  PyObject *obj_;', '};']],
    // Before a member the preprocessing keeps only the name, `Q_DISABLE_COPY;`, so the name must say it.
    ['a copy-forbidding macro with no semicolon before a member', ['class Holder {', '  Q_DISABLE_COPY(Holder)', '  PyObject *obj_;', RELEASING_DESTRUCTOR, '};']],
    [
      'a copy constructor deleted in an #if group',
      ['class Holder {', '#if __cplusplus >= 201103L', '  Holder(const Holder &) = delete;', '#endif', RELEASING_DESTRUCTOR, '  PyObject *obj_;', '};'],
    ],
    [
      'a copy-and-swap assignment that takes its argument by value',
      ['class Holder {', '  Holder &operator=(Holder other) { swap(other); return *this; }', RELEASING_DESTRUCTOR, '  PyObject *obj_;', '};'],
    ],
    ['no object pointer member', ['class Holder {', '  ~Holder() { Py_XDECREF(obj_); }', '  PyObject **obj_;', '  int *n;', '};']],
    ['a static member', ['class Holder {', RELEASING_DESTRUCTOR, '  static PyObject *obj_;', '};']],
    ['a destructor that does not release', ['class Holder {', '  ~Holder() { obj_ = nullptr; }', '  PyObject *obj_;', '};']],
    ['no destructor', ['class Holder {', '  PyObject *obj_;', '};']],
    [
      'a destructor that releases a local hiding the member',
      ['class Holder {', '  ~Holder() { PyObject *obj_ = take(); Py_DECREF(obj_); }', '  PyObject *obj_;', '};'],
    ],
    ['a destructor releasing another object\'s member', ['class Holder {', '  ~Holder() { Py_DECREF(other->obj_); }', '  PyObject *obj_;', '  Holder *other;', '};']],
  ];

  it.each(cases)('%s', (_, lines) => {
    expect(ownersIn(lines)).toEqual([]);
  });
});

describe('copyableOwners on a fixture of owning classes', () => {
  const source = readFileSync(new URL('../../fixtures/cpp-classes/owners.cpp', import.meta.url), 'utf8');
  const lines = source.split('\n');
  const annotated = (marker: string): number[] =>
    lines.flatMap((line, index) => (line.includes(`// ${marker}: double-release`) ? [index + 1] : []));
  const parsed = findFunctions(source, 'cpp');
  const owners = copyableOwners(parsed.tree.rootNode, parsed.functions);

  it('reports exactly the class heads marked ruleid', () => {
    expect(owners.map((owner) => owner.line)).toEqual(annotated('ruleid'));
    expect(annotated('ok').length).toBeGreaterThan(0);
  });

  it('traces the derived class to its out-of-class destructor and the defaulted copy to its vector', () => {
    expect(owners.map(({ className, members, copiedAt, defaultedAt }) => ({ className, members, copiedAt, defaultedAt }))).toEqual([
      { className: 'Callback', members: ['callable_'], copiedAt: undefined, defaultedAt: undefined },
      { className: 'Progress', members: ['owner'], copiedAt: undefined, defaultedAt: undefined },
      { className: 'FileName', members: ['bytes'], copiedAt: 44, defaultedAt: 36 },
    ]);
  });
});
