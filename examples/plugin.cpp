// A small C++ plugin that embeds Python to run a model. It carries three reference-count bugs;
// `npx refcheck examples/plugin.cpp` reports each of them.
#include <Python.h>

#include <cstdio>
#include <string>

struct Graph {
    PyObject *Model = nullptr;

    ~Graph() { Py_XDECREF(Model); }
};

class Plugin {
public:
    int Load(const std::string &path);
    long Sum(PyObject *list);
    PyObject *ImportHelpers();

private:
    Graph GraphRef;
};

int Plugin::Load(const std::string &path)
{
    GraphRef.Model = PyImport_ImportModule("model");
    if (GraphRef.Model == nullptr) {
        PyErr_Print();
        return 1;
    }
    PyObject *weights = PyObject_CallMethod(GraphRef.Model, "load", "s", path.c_str());
    if (PyErr_Occurred()) {
        PyErr_Print();
        Py_XDECREF(weights);
        // Bug 1: the field still points at the released model, so ~Graph releases it again.
        Py_XDECREF(GraphRef.Model);
        std::fprintf(stderr, "cannot load %s\n", path.c_str());
        return 1;
    }
    Py_XDECREF(weights);
    return 0;
}

long Plugin::Sum(PyObject *list)
{
    long total = 0;
    Py_ssize_t size = PyList_Size(list);
    for (Py_ssize_t i = 0; i < size; i++) {
        PyObject *item = PyList_GetItem(list, i);
        if (item == nullptr)
            return -1;
        total += PyLong_AsLong(item);
        // Bug 2: PyList_GetItem returns a borrowed reference; releasing it takes the list's reference.
        Py_DECREF(item);
    }
    return total;
}

PyObject *Plugin::ImportHelpers()
{
    // Bug 3: the new reference in name is never released; PyImport_ImportModule("mod") needs no temporary.
    PyObject *name = PyUnicode_FromString("mod");
    PyObject *m = PyImport_Import(name);
    return m;
}

int main()
{
    Py_Initialize();
    int status;
    {
        Plugin plugin;
        status = plugin.Load("model.bin");
    }
    if (Py_FinalizeEx() < 0)
        return 120;
    return status;
}
