/* Correct CPython-style code: owned references start out NULL, every failure jumps to one
 * cleanup label, and Py_XDECREF releases whatever was made. refcheck reports nothing here. */
#include <Python.h>

/* The shape of incr_item from the C API documentation's introduction: dict[key] += 1. */
static int
incr_item(PyObject *dict, PyObject *key)
{
    PyObject *item = NULL, *const_one = NULL, *incremented_item = NULL;
    int rv = -1;

    item = PyObject_GetItem(dict, key);
    if (item == NULL) {
        if (!PyErr_ExceptionMatches(PyExc_KeyError))
            goto error;
        PyErr_Clear();
        item = PyLong_FromLong(0L);
        if (item == NULL)
            goto error;
    }
    const_one = PyLong_FromLong(1L);
    if (const_one == NULL)
        goto error;

    incremented_item = PyNumber_Add(item, const_one);
    if (incremented_item == NULL)
        goto error;

    if (PyObject_SetItem(dict, key, incremented_item) < 0)
        goto error;
    rv = 0;

error:
    Py_XDECREF(item);
    Py_XDECREF(const_one);
    Py_XDECREF(incremented_item);
    return rv;
}

/* Borrowed references are used, never released; the new list is handed to the caller. */
static PyObject *
first_items(PyObject *self, PyObject *args)
{
    PyObject *seq;
    PyObject *result = NULL;
    Py_ssize_t i, n;

    if (!PyArg_ParseTuple(args, "O!", &PyList_Type, &seq))
        return NULL;
    n = PyList_GET_SIZE(seq);
    result = PyList_New(0);
    if (result == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        PyObject *item = PyList_GetItem(seq, i);
        if (item == NULL)
            goto error;
        if (PyList_Append(result, item) < 0)
            goto error;
    }
    return result;

error:
    Py_DECREF(result);
    return NULL;
}

static PyObject *
import_json(PyObject *self, PyObject *noargs)
{
    return PyImport_ImportModule("json");
}

static PyObject *
count_key(PyObject *self, PyObject *args)
{
    PyObject *dict, *key;

    if (!PyArg_ParseTuple(args, "O!O", &PyDict_Type, &dict, &key))
        return NULL;
    if (incr_item(dict, key) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyMethodDef clean_methods[] = {
    {"first_items", first_items, METH_VARARGS, "The items of a list, in a new list."},
    {"import_json", import_json, METH_NOARGS, "The json module."},
    {"count_key", count_key, METH_VARARGS, "dict[key] += 1, starting from 0."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef clean_module = {
    PyModuleDef_HEAD_INIT, "clean", NULL, -1, clean_methods,
};

PyMODINIT_FUNC
PyInit_clean(void)
{
    return PyModule_Create(&clean_module);
}
