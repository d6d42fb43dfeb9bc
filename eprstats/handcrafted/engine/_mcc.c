/* The GLCM MCC's symmetric path (engine/mcc.py): the arrays around its matrix product and eigensolver.
 *
 * numpy built them in about 15 passes over (angles, n, Ng) arrays, half of them strided gathers and
 * transposes: 40% of the MCC's time on the demo, more than the product itself. Here one pass builds the
 * product's two operands and one pass the symmetric part and the antisymmetric part's norm; the product
 * (BLAS) and the eigenvalues (LAPACK) stay numpy's. Each element is computed with numpy's operations in
 * numpy's order (no multiply-add: setup.py builds with -ffp-contract=off), so H is numpy's array bit for bit;
 * only the norm |A|^2 is summed in another order (it bounds an error in a guard, it is not a feature).
 * Buffers: float64 (int64 indices), C order, sizes checked by the Python wrapper (mcc._second_largest_compiled). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

/* weighted(P, transposed, px, py, keep, eps, Ng, Na, n, pxk, Pk, WPk): for the kept grey levels keep[r],
 * pxk[a, r] = px[keep[r], a], Pk[a, r, c] = P[keep[r], c, a] and WPk[a, r, c] = 1 / (pxk[a, r] py[c, a] + eps)
 * * Pk[a, r, c] (numpy: W = px py; W += eps; W = 1 / W; W *= Pk). P (Ng, Ng, Na), or its transpose in
 * memory when transposed (the GLCM's column-major layout, engine/onepass.py); px, py (Ng, Na). MemoryError
 * without memory for one row's buffer. */
static PyObject *weighted(PyObject *self, PyObject *args)
{
    Py_buffer P, px, py, keep, pxk, Pk, WPk;
    int transposed;
    double eps;
    Py_ssize_t Ng, Na, n;
    if (!PyArg_ParseTuple(args, "y*iy*y*y*dnnnw*w*w*", &P, &transposed, &px, &py, &keep, &eps, &Ng, &Na, &n,
                          &pxk, &Pk, &WPk))
        return NULL;
    const double *p = P.buf, *x = px.buf, *y = py.buf;
    const int64_t *k = keep.buf;
    double *xo = pxk.buf, *po = Pk.buf, *wo = WPk.buf;
    /* one row's cells of every angle into a buffer (P read in its memory order, angles innermost), then
     * copied out one angle's row at a time: two write streams instead of two per angle (26 for 13 angles,
     * more than the first-level cache's fill buffers hold) */
    double *row = malloc((size_t)(2 * Na * Ng > 0 ? 2 * Na * Ng : 1) * sizeof(double));
    if (row == NULL) {
        PyBuffer_Release(&P); PyBuffer_Release(&px); PyBuffer_Release(&py); PyBuffer_Release(&keep);
        PyBuffer_Release(&pxk); PyBuffer_Release(&Pk); PyBuffer_Release(&WPk);
        return PyErr_NoMemory();
    }
    double *prow = row, *wrow = row + Na * Ng;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t r = 0; r < n; r++) {
        Py_ssize_t i = (Py_ssize_t)k[r];
        for (Py_ssize_t a = 0; a < Na; a++)
            xo[a * n + r] = x[i * Na + a];
        for (Py_ssize_t c = 0; c < Ng; c++) {
            const double *cell = transposed ? p + (c * Ng + i) * Na : p + (i * Ng + c) * Na;
            for (Py_ssize_t a = 0; a < Na; a++) {
                double w = x[i * Na + a] * y[c * Na + a];
                w += eps;
                w = 1.0 / w;
                prow[a * Ng + c] = cell[a];
                wrow[a * Ng + c] = w * cell[a];
            }
        }
        for (Py_ssize_t a = 0; a < Na; a++) {
            memcpy(po + (a * n + r) * Ng, prow + a * Ng, (size_t)Ng * sizeof(double));
            memcpy(wo + (a * n + r) * Ng, wrow + a * Ng, (size_t)Ng * sizeof(double));
        }
    }
    Py_END_ALLOW_THREADS
    free(row);
    PyBuffer_Release(&P); PyBuffer_Release(&px); PyBuffer_Release(&py); PyBuffer_Release(&keep);
    PyBuffer_Release(&pxk); PyBuffer_Release(&Pk); PyBuffer_Release(&WPk);
    Py_RETURN_NONE;
}

/* symmetric(Q, pxk, Na, n, H, A2): with s = sqrt(pxk) (1 where pxk is 0) and T = s_i Q_ij / s_j (numpy:
 * T = Q * s[:, None]; T /= s[None, :]), H = (T + T^T) / 2 (numpy: H = T + T^T; H *= 0.5) and
 * A2[a] = |(T - T^T) / 2|_F^2. Returns 0, or -1 without memory for s (MemoryError). */
static PyObject *symmetric(PyObject *self, PyObject *args)
{
    Py_buffer Q, pxk, H, A2;
    Py_ssize_t Na, n;
    if (!PyArg_ParseTuple(args, "y*y*nnw*w*", &Q, &pxk, &Na, &n, &H, &A2))
        return NULL;
    double *s = malloc((size_t)(n > 0 ? n : 1) * sizeof(double));
    if (s == NULL) {
        PyBuffer_Release(&Q); PyBuffer_Release(&pxk); PyBuffer_Release(&H); PyBuffer_Release(&A2);
        return PyErr_NoMemory();
    }
    const double *q = Q.buf, *x = pxk.buf;
    double *h = H.buf, *norm = A2.buf;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t a = 0; a < Na; a++) {
        const double *qa = q + a * n * n;
        double *ha = h + a * n * n;
        for (Py_ssize_t i = 0; i < n; i++)
            s[i] = sqrt(x[a * n + i] > 0 ? x[a * n + i] : 1.0);
        double total = 0.0;
        for (Py_ssize_t i = 0; i < n; i++) {
            double tii = qa[i * n + i] * s[i];
            tii /= s[i];
            ha[i * n + i] = (tii + tii) * 0.5;
            for (Py_ssize_t j = i + 1; j < n; j++) {
                double tij = qa[i * n + j] * s[i], tji = qa[j * n + i] * s[j];
                tij /= s[j];
                tji /= s[i];
                ha[i * n + j] = (tij + tji) * 0.5;
                ha[j * n + i] = (tji + tij) * 0.5;
                double d = (tij - tji) * 0.5;
                total += 2.0 * (d * d);  /* A_ij^2 + A_ji^2 */
            }
        }
        norm[a] = total;
    }
    Py_END_ALLOW_THREADS
    free(s);
    PyBuffer_Release(&Q); PyBuffer_Release(&pxk); PyBuffer_Release(&H); PyBuffer_Release(&A2);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"weighted", weighted, METH_VARARGS, "The MCC product's operands for the kept grey levels (engine/mcc.py)."},
    {"symmetric", symmetric, METH_VARARGS, "H = sym(s Q / s) and |antisymmetric part|^2 per angle."},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_mcc", NULL, -1, methods};

PyMODINIT_FUNC PyInit__mcc(void) { return PyModule_Create(&module); }
