/* Compiled helpers of the eprstats engine outside the texture kernels (engine/firstorder.py, engine/shape.py).
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

/* mesh_area_volume(index, flipped, nz, ny, nx, spacing, tri, ntri, vert, out): the marching-cubes surface
 * area and 6 x volume of engine/shape.mesh_coefficients (pyradiomics' cshape.c loop): for every cell in C order
 * (index: cube index after the flip of those >= 128, flipped: 1 where flipped, both (nz, ny, nx) uint8), each
 * of its triangles (tri (128, 15) edge numbers, ntri (128) counts, vert (12, 3) edge midpoints) with corners
 * a, b, c = (cell + vert[edge]) * spacing; volume terms sign (a x b) . c and area terms |(a - c) x (b - c)| / 2
 * added one after the other from the first (numpy's cumsum; the C loop's order). out = [area, 6 volume],
 * 0 without triangles. */
static PyObject *mesh_area_volume(PyObject *self, PyObject *args)
{
    Py_buffer index, flipped, spacing, tri, ntri, vert, out;
    Py_ssize_t nz, ny, nx;
    if (!PyArg_ParseTuple(args, "y*y*nnny*y*y*y*w*", &index, &flipped, &nz, &ny, &nx, &spacing, &tri, &ntri,
                          &vert, &out))
        return NULL;
    const uint8_t *ix = index.buf, *fl = flipped.buf;
    const double *sp = spacing.buf, *vt = vert.buf;
    const int64_t *tr = tri.buf, *nt = ntri.buf;
    double *o = out.buf;
    Py_BEGIN_ALLOW_THREADS
    double area = 0.0, volume = 0.0;
    int first = 1;
    for (Py_ssize_t z = 0; z < nz; z++)
        for (Py_ssize_t y = 0; y < ny; y++)
            for (Py_ssize_t x = 0; x < nx; x++) {
                Py_ssize_t cell = (z * ny + y) * nx + x;
                int cube = ix[cell];
                if (cube == 0)
                    continue;
                double sign = fl[cell] ? -1.0 : 1.0, pos[3] = {(double)z, (double)y, (double)x};
                for (int64_t t = 0; t < nt[cube]; t++) {
                    double p[3][3];
                    for (int k = 0; k < 3; k++) {
                        const double *v = vt + 3 * tr[cube * 15 + 3 * t + k];
                        for (int d = 0; d < 3; d++)
                            p[k][d] = (pos[d] + v[d]) * sp[d];
                    }
                    const double *a = p[0], *b = p[1], *c = p[2];
                    double c0 = a[1] * b[2] - b[1] * a[2], c1 = a[2] * b[0] - b[2] * a[0],
                           c2 = a[0] * b[1] - b[0] * a[1];
                    double vterm = sign * (c0 * c[0] + c1 * c[1] + c2 * c[2]);
                    double u[3] = {a[0] - c[0], a[1] - c[1], a[2] - c[2]}, w[3] = {b[0] - c[0], b[1] - c[1], b[2] - c[2]};
                    c0 = u[1] * w[2] - w[1] * u[2];
                    c1 = u[2] * w[0] - w[2] * u[0];
                    c2 = u[0] * w[1] - w[0] * u[1];
                    double aterm = 0.5 * sqrt(c0 * c0 + c1 * c1 + c2 * c2);
                    if (first) {  /* cumsum starts from the first term itself (a -0.0 stays -0.0) */
                        volume = vterm;
                        area = aterm;
                        first = 0;
                    } else {
                        volume += vterm;
                        area += aterm;
                    }
                }
            }
    o[0] = area;
    o[1] = volume;
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&index); PyBuffer_Release(&flipped); PyBuffer_Release(&spacing); PyBuffer_Release(&tri);
    PyBuffer_Release(&ntri); PyBuffer_Release(&vert); PyBuffer_Release(&out);
    Py_RETURN_NONE;
}

/* Squared distance between points i and j of an (k, d) array, (d0^2 + d1^2) + d2^2: numpy's order in
 * engine/shape.py (the C code's); (a - b)^2 == (b - a)^2 exactly, so each unordered pair is computed once. */
static double squared_distance(const double *p, Py_ssize_t d, Py_ssize_t i, Py_ssize_t j)
{
    double total = 0.0;
    for (Py_ssize_t k = 0; k < d; k++) {
        double diff = p[i * d + k] - p[j * d + k], term = diff * diff;
        total = k == 0 ? term : total + term;
    }
    return total;
}

/* max_distance(points, k, d, plane, by_plane, out): out[0] = the largest squared distance between two of the
 * k points (d coordinates, C order), 0 if none; with by_plane, only between points of equal plane[i] (int64),
 * the points sorted by plane. */
static PyObject *max_distance(PyObject *self, PyObject *args)
{
    Py_buffer points, plane, out;
    Py_ssize_t k, d;
    int by_plane;
    if (!PyArg_ParseTuple(args, "y*nny*iw*", &points, &k, &d, &plane, &by_plane, &out))
        return NULL;
    const double *p = points.buf;
    const int64_t *g = plane.buf;
    double best = 0.0;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < k; i++)
        for (Py_ssize_t j = i + 1; j < k && (!by_plane || g[j] == g[i]); j++) {
            double total = squared_distance(p, d, i, j);
            if (total > best)
                best = total;
        }
    Py_END_ALLOW_THREADS
    ((double *)out.buf)[0] = best;
    PyBuffer_Release(&points); PyBuffer_Release(&plane); PyBuffer_Release(&out);
    Py_RETURN_NONE;
}

/* line_ends(grid, n, d, u, normals, m, D, out): bit k of out[i] (uint16) set where vertex i (grid: (n, d)
 * int64, doubled grid coordinates) is the first or last vertex on its grid line along direction k (u: (D, d)
 * int64, D <= 16): the vertices with equal dot products with direction k's m normals (normals: (D, d, m)
 * int64, spanning its orthogonal complement) lie on one line, ordered by their dot product with u[k]
 * (engine/shape._line_ends, all directions in one call). MemoryError without memory for the keys. */
static PyObject *line_ends(PyObject *self, PyObject *args)
{
    Py_buffer grid, u, normals, out;
    Py_ssize_t n, d, m, D;
    if (!PyArg_ParseTuple(args, "y*nny*y*nnw*", &grid, &n, &d, &u, &normals, &m, &D, &out))
        return NULL;
    const int64_t *g = grid.buf;
    uint16_t *o = out.buf;
    int64_t *line = malloc((size_t)(n > 0 ? n : 1) * 3 * sizeof(int64_t)), *low = NULL;
    int status = line == NULL ? -1 : 0;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < n; i++)
        o[i] = 0;
    for (Py_ssize_t dir = 0; dir < D && status == 0 && n > 0; dir++) {
        const int64_t *uu = (const int64_t *)u.buf + dir * d, *nn = (const int64_t *)normals.buf + dir * d * m;
        int64_t *l0 = line, *l1 = line + n, *pos = line + 2 * n;
        int64_t min0 = INT64_MAX, max0 = INT64_MIN, min1 = INT64_MAX, max1 = INT64_MIN;
        for (Py_ssize_t i = 0; i < n; i++) {
            int64_t a = 0, b = 0, c = 0;
            for (Py_ssize_t k = 0; k < d; k++) {
                a += g[i * d + k] * nn[k * m];
                b += m > 1 ? g[i * d + k] * nn[k * m + 1] : 0;
                c += g[i * d + k] * uu[k];
            }
            l0[i] = a; l1[i] = b; pos[i] = c;
            min0 = a < min0 ? a : min0; max0 = a > max0 ? a : max0;
            min1 = b < min1 ? b : min1; max1 = b > max1 ? b : max1;
        }
        int64_t width = max1 - min1 + 1, keys = (max0 - min0 + 1) * width;
        free(low);
        low = malloc((size_t)keys * 2 * sizeof(int64_t));
        if (low == NULL) {
            status = -1;
            break;
        }
        int64_t *high = low + keys;
        for (int64_t k = 0; k < keys; k++) {
            low[k] = INT64_MAX;
            high[k] = INT64_MIN;
        }
        for (Py_ssize_t i = 0; i < n; i++) {
            int64_t key = (l0[i] - min0) * width + (l1[i] - min1);
            low[key] = pos[i] < low[key] ? pos[i] : low[key];
            high[key] = pos[i] > high[key] ? pos[i] : high[key];
        }
        for (Py_ssize_t i = 0; i < n; i++) {
            int64_t key = (l0[i] - min0) * width + (l1[i] - min1);
            if (pos[i] == low[key] || pos[i] == high[key])
                o[i] |= (uint16_t)(1u << dir);
        }
    }
    Py_END_ALLOW_THREADS
    free(line);
    free(low);
    PyBuffer_Release(&grid); PyBuffer_Release(&u); PyBuffer_Release(&normals); PyBuffer_Release(&out);
    if (status != 0)
        return PyErr_NoMemory();
    Py_RETURN_NONE;
}

/* components(inside, nz, ny, nx, out): out[0] = the number of connected components of the voxels != 0 of
 * inside ((nz, ny, nx) uint8, C order), each voxel connected to its 26 neighbours (8 in one slice): what
 * SimpleITK's ConnectedComponentImageFilter with FullyConnectedOn counts (engine/diagnostics.py). A flood fill
 * from each unvisited voxel with an explicit stack. */
static PyObject *components(PyObject *self, PyObject *args)
{
    Py_buffer inside, out;
    Py_ssize_t nz, ny, nx;
    if (!PyArg_ParseTuple(args, "y*nnnw*", &inside, &nz, &ny, &nx, &out))
        return NULL;
    Py_ssize_t total = nz * ny * nx;
    uint8_t *seen = malloc((size_t)(total > 0 ? total : 1));
    Py_ssize_t *stack = malloc((size_t)(total > 0 ? total : 1) * sizeof(Py_ssize_t));
    if (seen == NULL || stack == NULL) {
        free(seen); free(stack);
        PyBuffer_Release(&inside); PyBuffer_Release(&out);
        return PyErr_NoMemory();
    }
    const uint8_t *in = inside.buf;
    int64_t count = 0;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t v = 0; v < total; v++)
        seen[v] = in[v] == 0;
    for (Py_ssize_t v = 0; v < total; v++) {
        if (seen[v])
            continue;
        count++;
        Py_ssize_t top = 0;
        stack[top++] = v;
        seen[v] = 1;
        while (top > 0) {
            Py_ssize_t w = stack[--top], z = w / (ny * nx), y = (w / nx) % ny, x = w % nx;
            for (Py_ssize_t dz = -1; dz <= 1; dz++)
                for (Py_ssize_t dy = -1; dy <= 1; dy++)
                    for (Py_ssize_t dx = -1; dx <= 1; dx++) {
                        Py_ssize_t zz = z + dz, yy = y + dy, xx = x + dx;
                        if (zz < 0 || zz >= nz || yy < 0 || yy >= ny || xx < 0 || xx >= nx)
                            continue;
                        Py_ssize_t q = (zz * ny + yy) * nx + xx;
                        if (!seen[q]) {  /* each voxel pushed once: the stack never exceeds the voxels */
                            seen[q] = 1;
                            stack[top++] = q;
                        }
                    }
        }
    }
    Py_END_ALLOW_THREADS
    ((int64_t *)out.buf)[0] = count;
    free(seen);
    free(stack);
    PyBuffer_Release(&inside); PyBuffer_Release(&out);
    Py_RETURN_NONE;
}

/* mesh_vertices(index, nz, ny, nx, d, corners, edges, pairs, vert, spacing, points, grid): the vertices kept
 * for the diameters (engine/shape._vertices): for each (corner, edge) pair in turn, every cell (C order) of
 * index (uint8, d = 2 or 3 axes; nz = 1 in 2-D) whose bit ``corner`` is set gives the point
 * (cell + vert[edge]) * spacing (float64, (k, d)) and its doubled grid coordinates 2 cell + 2 vert[edge]
 * (int64, (k, d)); the caller sized points and grid by counting those cells. */
static PyObject *mesh_vertices(PyObject *self, PyObject *args)
{
    Py_buffer index, corners, edges, vert, spacing, points, grid;
    Py_ssize_t nz, ny, nx, d, pairs;
    if (!PyArg_ParseTuple(args, "y*nnnny*y*ny*y*w*w*", &index, &nz, &ny, &nx, &d, &corners, &edges, &pairs, &vert,
                          &spacing, &points, &grid))
        return NULL;
    const uint8_t *ix = index.buf;
    const int64_t *co = corners.buf, *ed = edges.buf;
    const double *vt = vert.buf, *sp = spacing.buf;
    double *pt = points.buf;
    int64_t *gr = grid.buf;
    Py_BEGIN_ALLOW_THREADS
    Py_ssize_t k = 0;
    for (Py_ssize_t p = 0; p < pairs; p++) {
        uint8_t bit = (uint8_t)(1u << co[p]);
        const double *v = vt + ed[p] * d;
        for (Py_ssize_t z = 0; z < nz; z++)
            for (Py_ssize_t y = 0; y < ny; y++)
                for (Py_ssize_t x = 0; x < nx; x++) {
                    if (!(ix[(z * ny + y) * nx + x] & bit))
                        continue;
                    Py_ssize_t cell[3] = {z, y, x};
                    const Py_ssize_t *c = cell + (3 - d);  /* 2-D: (y, x) */
                    for (Py_ssize_t a = 0; a < d; a++) {
                        pt[k * d + a] = ((double)c[a] + v[a]) * sp[a];
                        gr[k * d + a] = 2 * (int64_t)c[a] + (int64_t)(2 * v[a]);
                    }
                    k++;
                }
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&index); PyBuffer_Release(&corners); PyBuffer_Release(&edges); PyBuffer_Release(&vert);
    PyBuffer_Release(&spacing); PyBuffer_Release(&points); PyBuffer_Release(&grid);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"mesh_vertices", mesh_vertices, METH_VARARGS, "The mesh vertices kept for the diameters (shape.py)."},
    {"line_ends", line_ends, METH_VARARGS, "The vertices at the ends of their grid lines (shape.py)."},
    {"components", components, METH_VARARGS, "Fully connected components of a mask (diagnostics.py)."},
    {"max_distance", max_distance, METH_VARARGS, "Largest squared distance between points (shape.py)."},
    {"mesh_area_volume", mesh_area_volume, METH_VARARGS, "Marching-cubes area and 6 x volume (shape.py)."},
    {"firstorder_sums", firstorder_sums, METH_VARARGS, "First order's sums, numpy's pairwise sums (firstorder.py)."},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_prep", NULL, -1, methods};

PyMODINIT_FUNC PyInit__prep(void) { return PyModule_Create(&module); }
