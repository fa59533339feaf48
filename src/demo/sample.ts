/**
 * The demo's sample pull request: one C++ extension module whose head adds a destructor, a helper
 * branch and an import, carrying the classic reference-count bugs (a field released but left
 * dangling, a borrowed reference released, a new reference leaked on an error path, an import in
 * two calls), plus one leak that was already there in the base version.
 */

export const SAMPLE_PATH = 'src/plugin.cpp';

export const SAMPLE_BASE = `// A small extension module: a cache object and two helpers.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
    PyObject_HEAD
    PyObject *cache;
} CacheObject;

static PyObject *
cache_reset(CacheObject *self, PyObject *Py_UNUSED(ignored))
{
    Py_XDECREF(self->cache);
    self->cache = PyDict_New();
    if (self->cache == NULL) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
first_item(PyObject *module, PyObject *args)
{
    PyObject *seq;
    if (!PyArg_ParseTuple(args, "O", &seq)) {
        return NULL;
    }
    PyObject *item = PySequence_GetItem(seq, 0);
    return item;
}

static PyObject *
collect(PyObject *module, PyObject *args)
{
    PyObject *item;
    if (!PyArg_ParseTuple(args, "O", &item)) {
        return NULL;
    }
    PyObject *count = PyLong_FromLong(0);
    PyObject *list = PyList_New(0);
    if (list == NULL) {
        return NULL;
    }
    return list;
}

static PyObject *
load_json(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return PyImport_ImportModule("json");
}
`;

export const SAMPLE_HEAD = `// A small extension module: a cache object and two helpers.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
    PyObject_HEAD
    PyObject *cache;
} CacheObject;

static PyObject *
cache_reset(CacheObject *self, PyObject *Py_UNUSED(ignored))
{
    Py_XDECREF(self->cache);
    self->cache = PyDict_New();
    if (self->cache == NULL) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static void
cache_dealloc(CacheObject *self)
{
    Py_DECREF(self->cache);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
first_item(PyObject *module, PyObject *args)
{
    PyObject *seq;
    if (!PyArg_ParseTuple(args, "O", &seq)) {
        return NULL;
    }
    PyObject *first = PyList_GetItem(seq, 0);
    if (first == NULL) {
        return NULL;
    }
    Py_DECREF(first);
    PyObject *item = PySequence_GetItem(seq, 0);
    return item;
}

static PyObject *
collect(PyObject *module, PyObject *args)
{
    PyObject *item;
    if (!PyArg_ParseTuple(args, "O", &item)) {
        return NULL;
    }
    PyObject *count = PyLong_FromLong(0);
    PyObject *list = PyList_New(0);
    if (list == NULL) {
        return NULL;
    }
    if (PyList_Append(list, item) < 0) {
        return NULL;
    }
    return list;
}

static PyObject *
load_json(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    PyObject *name = PyUnicode_FromString("json");
    if (name == NULL) {
        return NULL;
    }
    PyObject *json = PyImport_Import(name);
    Py_DECREF(name);
    return json;
}
`;

/** `diff -U3` of base and head without file headers, as GitHub's `patch` field carries it. */
export const SAMPLE_PATCH = `@@ -18,6 +18,13 @@
     Py_RETURN_NONE;
 }
 
+static void
+cache_dealloc(CacheObject *self)
+{
+    Py_DECREF(self->cache);
+    Py_TYPE(self)->tp_free((PyObject *)self);
+}
+
 static PyObject *
 first_item(PyObject *module, PyObject *args)
 {
@@ -25,6 +32,11 @@
     if (!PyArg_ParseTuple(args, "O", &seq)) {
         return NULL;
     }
+    PyObject *first = PyList_GetItem(seq, 0);
+    if (first == NULL) {
+        return NULL;
+    }
+    Py_DECREF(first);
     PyObject *item = PySequence_GetItem(seq, 0);
     return item;
 }
@@ -41,11 +53,20 @@
     if (list == NULL) {
         return NULL;
     }
+    if (PyList_Append(list, item) < 0) {
+        return NULL;
+    }
     return list;
 }
 
 static PyObject *
 load_json(PyObject *module, PyObject *Py_UNUSED(ignored))
 {
-    return PyImport_ImportModule("json");
+    PyObject *name = PyUnicode_FromString("json");
+    if (name == NULL) {
+        return NULL;
+    }
+    PyObject *json = PyImport_Import(name);
+    Py_DECREF(name);
+    return json;
 }`;
