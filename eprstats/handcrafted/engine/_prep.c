/* Compiled helpers of the eprstats engine outside the texture kernels (engine/firstorder.py).
 *
 * First order's sums: pyradiomics takes each first-order sum with numpy (np.sum, np.mean) over a temporary
 * array of the ROI's values (x + shift, deviations, their squares, cubes, fourth powers, absolute values,
 * the robust MAD's masked values): about 20 passes and temporaries per filtered image. numpy adds a
 * contiguous float64 array by pairwise summation (numpy/_core/src/umath/loops_utils.h.src, pairwise_sum:
 * below 8 values in order from -0.0; up to 128 values in 8 interleaved partial sums combined as
 * ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), then the rest in order; above, split at half rounded down to a multiple
 * of 8). PAIRWISE below is that algorithm with each term computed on the fly by numpy's operations in numpy's
 * order, so each sum is numpy's bit for bit -- which the Python side checks once per process against numpy
 * itself before using it (firstorder._compiled_sums_match), as numpy could change how it reduces. Built
 * without multiply-add contraction or fast math (setup.py). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <math.h>

typedef struct {
    double shift, mean, p10, p90, mean_inside;
} terms;

#define INSIDE(v, c) (!((((v) - (c)->p10) < 0) || (((v) - (c)->p90) > 0)))
#define T_VALUE(v, c) (v)
#define T_SHIFTED_SQUARE(v, c) (((v) + (c)->shift) * ((v) + (c)->shift))
#define T_DEV2(v, c) (((v) - (c)->mean) * ((v) - (c)->mean))
#define T_DEV3(v, c) (T_DEV2(v, c) * ((v) - (c)->mean))
#define T_DEV4(v, c) (T_DEV2(v, c) * T_DEV2(v, c))
#define T_ABSDEV(v, c) fabs((v) - (c)->mean)
#define T_INSIDE(v, c) (INSIDE(v, c) ? (v) : 0.0)
#define T_INSIDE_ABSDEV(v, c) (INSIDE(v, c) ? fabs((v) - (c)->mean_inside) : 0.0)

#define PAIRWISE(NAME, TERM)                                                                                  \
    static double NAME(const double *a, Py_ssize_t n, const terms *c)                                        \
    {                                                                                                         \
        if (n < 8) {                                                                                          \
            double res = -0.0;                                                                                \
            for (Py_ssize_t i = 0; i < n; i++)                                                                \
                res += TERM(a[i], c);                                                                         \
            return res;                                                                                       \
        }                                                                                                     \
        if (n <= 128) {                                                                                       \
            double r[8];                                                                                      \
            Py_ssize_t i;                                                                                     \
            for (int k = 0; k < 8; k++)                                                                       \
                r[k] = TERM(a[k], c);                                                                         \
            for (i = 8; i < n - (n % 8); i += 8)                                                              \
                for (int k = 0; k < 8; k++)                                                                   \
                    r[k] += TERM(a[i + k], c);                                                                \
            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));                   \
            for (; i < n; i++)                                                                                \
                res += TERM(a[i], c);                                                                         \
            return res;                                                                                       \
        }                                                                                                     \
        Py_ssize_t n2 = n / 2;                                                                                \
        n2 -= n2 % 8;                                                                                         \
        return NAME(a, n2, c) + NAME(a + n2, n - n2, c);                                                      \
    }

PAIRWISE(sum_value, T_VALUE)
PAIRWISE(sum_shifted_square, T_SHIFTED_SQUARE)
PAIRWISE(sum_dev2, T_DEV2)
PAIRWISE(sum_dev3, T_DEV3)
PAIRWISE(sum_dev4, T_DEV4)
PAIRWISE(sum_absdev, T_ABSDEV)
PAIRWISE(sum_inside, T_INSIDE)
PAIRWISE(sum_inside_absdev, T_INSIDE_ABSDEV)

/* firstorder_sums(x, n, shift, p10, p90, out): out (8) = [sum (x + shift)^2, mean = sum x / n, sum dev^2,
 * sum dev^2 dev, sum dev^2 dev^2, sum |dev|, voxels in [p10, p90], sum over them of |x - their mean|], with
 * dev = x - mean: each numpy's np.add.reduce of that array (its initial 0.0 added first, as numpy's reduction
 * starts from the identity). The last sum is 0 when no voxel lies inside (the caller then takes pyradiomics'
 * NaN path). */
static PyObject *firstorder_sums(PyObject *self, PyObject *args)
{
    Py_buffer X, out;
    Py_ssize_t n;
    terms c = {0.0, 0.0, 0.0, 0.0, 0.0};
    if (!PyArg_ParseTuple(args, "y*ndddw*", &X, &n, &c.shift, &c.p10, &c.p90, &out))
        return NULL;
    const double *x = X.buf;
    double *o = out.buf;
    Py_BEGIN_ALLOW_THREADS
    o[0] = 0.0 + sum_shifted_square(x, n, &c);
    c.mean = (0.0 + sum_value(x, n, &c)) / (double)n;
    o[1] = c.mean;
    o[2] = 0.0 + sum_dev2(x, n, &c);
    o[3] = 0.0 + sum_dev3(x, n, &c);
    o[4] = 0.0 + sum_dev4(x, n, &c);
    o[5] = 0.0 + sum_absdev(x, n, &c);
    Py_ssize_t inside = 0;
    for (Py_ssize_t i = 0; i < n; i++)
        inside += INSIDE(x[i], &c);
    o[6] = (double)inside;
    o[7] = 0.0;
    if (inside > 0) {
        c.mean_inside = (0.0 + sum_inside(x, n, &c)) / (double)inside;
        o[7] = 0.0 + sum_inside_absdev(x, n, &c);
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&X);
    PyBuffer_Release(&out);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"firstorder_sums", firstorder_sums, METH_VARARGS, "First order's sums, numpy's pairwise sums (firstorder.py)."},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_prep", NULL, -1, methods};

PyMODINIT_FUNC PyInit__prep(void) { return PyModule_Create(&module); }
