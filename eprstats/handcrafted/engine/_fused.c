/* Compiled kernels of the eprstats engine's texture matrices, discretisation and MCC fallback (called by
 * engine/matrices.py and engine/fused.py, which allocate every output with numpy, in the dtype and C order
 * given here, and check the sizes: these functions trust their buffers). Plain C99 on the "y*" (read) and
 * "w*" (write) buffers of PyArg_ParseTuple; the GIL is released while a kernel runs. Floating point exactly as
 * written: built with -ffp-contract=off and no -ffast-math (setup.py), so sums keep their order and no
 * multiply-add is fused -- the values of the numba kernels they replace and of pyradiomics' C code, bit for
 * bit (counts are integers, exact in any order; the float sums below keep the numba kernels' order).
 *
 * The matrices work on the padded image (int32, 0 outside the ROI, 1..Ng inside; ``pad`` below) and the flat
 * indices of the ROI's voxels in raster order (int64): a neighbour at a fixed flat offset, no bounds checks. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

/* zeros after the padded image (engine/matrices.py's _padded): a kernel reading a few voxels past the last
 * neighbour of the ROI stays inside the buffer */
#define SLACK 8

#define RELEASE(...) do { Py_buffer *bufs_[] = {__VA_ARGS__}; \
    for (size_t k_ = 0; k_ < sizeof(bufs_) / sizeof(bufs_[0]); k_++) PyBuffer_Release(bufs_[k_]); } while (0)

/* Four int32 lanes (GCC and clang vector extensions: SSE2 on x86-64, NEON on ARM; integer arithmetic, so
 * exact whatever the instructions); a comparison gives -1 (true) or 0 in each lane. */
typedef int32_t v4i __attribute__((vector_size(16)));

static inline v4i load4(const int32_t *p) { v4i v; memcpy(&v, p, sizeof v); return v; }

/* ---------------------------------------------------------------------------------------------- padding */

/* pad(image int64 (Z,Y,X), mask uint8, Z, Y, X, pad, img int32 (zeros, padded size), roi int64 (Z*Y*X))
 * -> (n, lowest, highest grey level in the ROI): the image inside the ROI copied into the zeroed padded
 * array, and the flat padded indices of the ROI's voxels in raster order (the C code's order). */
static PyObject *pad(PyObject *self, PyObject *args) {
    Py_buffer bi, bm, bo, br;
    Py_ssize_t Z, Y, X, p, n = 0;
    int64_t lo = 0, hi = 0;
    if (!PyArg_ParseTuple(args, "y*y*nnnnw*w*", &bi, &bm, &Z, &Y, &X, &p, &bo, &br)) return NULL;
    const int64_t *image = bi.buf;
    const uint8_t *mask = bm.buf;
    int32_t *img = bo.buf;
    int64_t *roi = br.buf;
    Py_BEGIN_ALLOW_THREADS
    Py_ssize_t PY = Y + 2 * p, PX = X + 2 * p;
    lo = INT64_MAX;
    hi = INT64_MIN;
    for (Py_ssize_t z = 0; z < Z; z++)
        for (Py_ssize_t y = 0; y < Y; y++) {
            const int64_t *line = image + (z * Y + y) * X;
            const uint8_t *mline = mask + (z * Y + y) * X;
            Py_ssize_t base = ((z + p) * PY + (y + p)) * PX + p;
            /* without a branch on the mask (a ROI's edge voxels made it mispredict): every voxel written,
             * 0 outside the ROI; its index stored and kept only inside (n advances by the mask's 0 or 1) */
            for (Py_ssize_t x = 0; x < X; x++) {
                int64_t in = mline[x] != 0, v = line[x];
                lo = in && v < lo ? v : lo;
                hi = in && v > hi ? v : hi;
                /* a value beyond int32 is out of 1..Ng: the caller checks lo, hi */
                img[base + x] = (int32_t)(v & -in);
                roi[n] = base + x;
                n += in;
            }
        }
    Py_END_ALLOW_THREADS
    RELEASE(&bi, &bm, &bo, &br);
    if (n == 0) lo = hi = 0;
    return Py_BuildValue("nLL", n, (long long)lo, (long long)hi);
}

/* ------------------------------------------------------------------------------------------------- GLCM */

/* C[i - 1, j, a] += 1 (row: the cells of one i) for each ROI voxel of level i and its neighbour of level j
 * (0: outside the ROI) at offset a. */
static inline void glcm_count(const int32_t *img, const int64_t *roi, Py_ssize_t n, const int64_t *off,
                              Py_ssize_t Na, int32_t *C, Py_ssize_t row) {
    for (Py_ssize_t k = 0; k < n; k++) {
        int64_t v = roi[k];
        int32_t *counts = C + (Py_ssize_t)(img[v] - 1) * row;
        for (Py_ssize_t a = 0; a < Na; a++) counts[img[v + off[a]] * Na + a]++;
    }
}

/* glcm(img, roi, off int64 (Na), Ng, P float64 (Ng, Ng, Na)) -> None, or MemoryError: P[i-1, j-1, a] += 1
 * for each ROI voxel of grey level i whose neighbour at offset a is in the ROI with grey level j. Counted in
 * int32 with a column for level 0 (a neighbour outside the ROI counts there: no branch), then copied into P
 * (integers: the same values as adding 1.0 to P). */
static PyObject *glcm(PyObject *self, PyObject *args) {
    Py_buffer bi, br, bo, bp;
    Py_ssize_t Ng;
    int status = 0;
    if (!PyArg_ParseTuple(args, "y*y*y*nw*", &bi, &br, &bo, &Ng, &bp)) return NULL;
    const int32_t *img = bi.buf;
    const int64_t *roi = br.buf, *off = bo.buf;
    Py_ssize_t n = br.len / 8, Na = bo.len / 8, row = (Ng + 1) * Na;
    double *P = bp.buf;
    Py_BEGIN_ALLOW_THREADS
    int32_t *C = calloc((size_t)(Ng * row) + 1, sizeof(int32_t));
    if (!C) status = -1;
    /* the 13 and 4 angles of 3-D and 2-D images with the count known to the compiler (unrolled) */
    if (!status) {
        if (Na == 13) glcm_count(img, roi, n, off, 13, C, row);
        else if (Na == 4) glcm_count(img, roi, n, off, 4, C, row);
        else glcm_count(img, roi, n, off, Na, C, row);
    }
    if (!status)
        for (Py_ssize_t i = 0; i < Ng; i++)
            for (Py_ssize_t j = 0; j < Ng; j++)
                for (Py_ssize_t a = 0; a < Na; a++) P[(i * Ng + j) * Na + a] = C[i * row + (j + 1) * Na + a];
    free(C);
    Py_END_ALLOW_THREADS
    RELEASE(&bi, &br, &bo, &bp);
    if (status) return PyErr_NoMemory();
    Py_RETURN_NONE;
}

/* glcm_normalised(P float64 (Ng, Ng, Na), index int64 (n), store float64 (n, n, Na), column_major) -> 1, or 0
 * where an angle has no pairs: pyradiomics' _calculateMatrix (symmetrical, unweighted) of the counts P, the
 * rows and columns of ``index`` only, P + P^T, each angle divided by its sum; written as [i, j, a] or, where
 * column_major, [j, i, a]. The sums in the numba kernel's order (of integers: exact anyway). */
static PyObject *glcm_normalised(PyObject *self, PyObject *args) {
    Py_buffer bp, bx, bs;
    Py_ssize_t Ng, Na;
    int column_major, ok = 1;
    if (!PyArg_ParseTuple(args, "y*nny*w*p", &bp, &Ng, &Na, &bx, &bs, &column_major)) return NULL;
    const double *P = bp.buf;
    const int64_t *index = bx.buf;
    double *store = bs.buf;
    Py_ssize_t n = bx.len / 8;
    double *total = calloc(Na > 0 ? Na : 1, sizeof(double));
    if (!total) { RELEASE(&bp, &bx, &bs); return PyErr_NoMemory(); }
    Py_BEGIN_ALLOW_THREADS
#define CELL(i, j, a) P[(index[i] * Ng + index[j]) * Na + (a)]
    for (Py_ssize_t i = 0; i < n; i++)
        for (Py_ssize_t j = 0; j < n; j++)
            for (Py_ssize_t a = 0; a < Na; a++) total[a] += CELL(i, j, a) + CELL(j, i, a);
    for (Py_ssize_t a = 0; a < Na; a++)
        if (total[a] == 0.0) ok = 0;
    if (ok)
        for (Py_ssize_t i = 0; i < n; i++)
            for (Py_ssize_t j = 0; j < n; j++) {
                double *cell = store + (column_major ? j * n + i : i * n + j) * Na;
                for (Py_ssize_t a = 0; a < Na; a++) cell[a] = (CELL(i, j, a) + CELL(j, i, a)) / total[a];
            }
#undef CELL
    Py_END_ALLOW_THREADS
    free(total);
    RELEASE(&bp, &bx, &bs);
    return PyLong_FromLong(ok);
}

/* ------------------------------------------------------------------------------------------------ GLRLM */

/* Whether some line along angle (dz, dy, dx) holds two ROI voxels with a gap: pyradiomics keeps the column
 * r = 1 of such an angle (the C code's flat-ROI rule; only asked when no two ROI voxels are adjacent). */
static int line_holds_two(const int32_t *img, const int64_t *roi, Py_ssize_t n, const int64_t *angle,
                          const Py_ssize_t *shape, Py_ssize_t p, const Py_ssize_t *unpadded) {
    for (Py_ssize_t k = 0; k < n; k++) {
        int64_t v = roi[k];
        Py_ssize_t z = v / (shape[1] * shape[2]) - p + angle[0];
        Py_ssize_t y = (v / shape[2]) % shape[1] - p + angle[1];
        Py_ssize_t x = v % shape[2] - p + angle[2];
        while (0 <= z && z < unpadded[0] && 0 <= y && y < unpadded[1] && 0 <= x && x < unpadded[2]) {
            if (img[((z + p) * shape[1] + (y + p)) * shape[2] + x + p] > 0) return 1;
            z += angle[0]; y += angle[1]; x += angle[2];
        }
    }
    return 0;
}

/* The runs ending in the segment of m ROI voxels from flat index v (raster order, all in the ROI) along the
 * positive offset o, counted into Ca (Ng, Nr); L: the run length ending at each voxel, L(v) = L(v - o) + 1
 * where the predecessor has the same grey level, else 1 (the padding 0 never equals a level >= 1). Where the
 * predecessors lie 4 or more voxels back, L is computed four voxels at a time (the voxels after the segment
 * up to a multiple of 4 too: their lengths are never read, as a voxel outside the ROI never matches, and a ROI
 * voxel among them is computed again with its own segment before any successor reads it). Ca holds ``copies``
 * (a power of 2) copies of the counts, ``copy`` cells apart. Returns whether a successor along o is in the
 * ROI. */
static int segment_runs(const int32_t *img, int32_t *L, int64_t v, Py_ssize_t m, int64_t o, int32_t *Ca,
                        Py_ssize_t Nr, Py_ssize_t copy, Py_ssize_t copies) {
    int adjacent = 0;
    if (o >= 4) {
        v4i one = {1, 1, 1, 1}, zero = {0, 0, 0, 0}, any = zero;
        for (Py_ssize_t x = 0; x < m; x += 4) {
            v4i g = load4(img + v + x), successor = load4(img + v + x + o);
            v4i length = ((load4(img + v + x - o) == g) & load4(L + v + x - o)) + one;
            v4i ends = -(successor != g);  /* 1 where a run ends */
            memcpy(L + v + x, &length, sizeof length);
            int32_t left = (int32_t)(m - x);
            v4i lane = {0, 1, 2, 3}, rest = {left, left, left, left};
            any |= (successor > zero) & (lane < rest);  /* the lanes after the segment: not its voxels */
            /* the counts from the lanes (not from L just stored: a load from part of a vector store waits) */
            for (Py_ssize_t j = 0; j < 4 && x + j < m; j++)
                Ca[(j & (copies - 1)) * copy + (g[j] - 1) * Nr + length[j] - 1] += ends[j];
        }
        return (any[0] | any[1] | any[2] | any[3]) != 0;
    }
    if (o == 1) {  /* along x: the length carried in a register (the segment's predecessor is outside) */
        int32_t length = 0;
        for (Py_ssize_t x = 0; x < m; x++) {
            int32_t g = img[v + x], successor = img[v + x + 1];
            length = (img[v + x - 1] == g) * length + 1;
            Ca[((x & (copies - 1)) * copy) + (g - 1) * Nr + length - 1] += successor != g;
        }
        return m > 1 || img[v + m] > 0;
    }
    for (Py_ssize_t x = 0; x < m; x++) {
        int64_t w = v + x;
        L[w] = (img[w - o] == img[w]) * L[w - o] + 1;
    }
    for (Py_ssize_t x = 0; x < m; x++) {
        int32_t g = img[v + x], successor = img[v + x + o];
        /* a run ends here; consecutive voxels add to different copies of the counts (copy: the cells of one
         * copy apart): two voxels adding to one cell one after the other would wait for each other's store */
        Ca[((x & (copies - 1)) * copy) + (g - 1) * Nr + L[v + x] - 1] += successor != g;
        adjacent |= successor > 0;
    }
    return adjacent;
}

/* glrlm(img, roi, off (Na), angles int64 (Na, 3), PZ, PY, PX, pad, Z, Y, X, Ng, Nr, P float64 (Ng, Nr, Na))
 * -> 0, or -1 out of memory: P[i-1, r-1, a], runs of r voxels of grey level i along angle a. The run length
 * ending at each voxel, L(v) = L(v - o) + 1 when the predecessor along the angle has the same grey level, else
 * 1, in raster order (the offset taken positive: a line's runs are the same read from either end); a run is
 * counted where its successor differs. Integer counts, one angle's together (they stay in the first-level
 * cache), copied into P at the end. */
static PyObject *glrlm(PyObject *self, PyObject *args) {
    Py_buffer bi, br, bo, ba, bp;
    Py_ssize_t shape[3], unpadded[3], p, Ng, Nr;
    int status = 0;
    if (!PyArg_ParseTuple(args, "y*y*y*y*nnnnnnnnnw*", &bi, &br, &bo, &ba, &shape[0], &shape[1], &shape[2], &p,
                          &unpadded[0], &unpadded[1], &unpadded[2], &Ng, &Nr, &bp)) return NULL;
    const int32_t *img = bi.buf;
    const int64_t *roi = br.buf, *off = bo.buf, *angles = ba.buf;
    Py_ssize_t n = br.len / 8, Na = bo.len / 8, size = bi.len / 4;
    double *P = bp.buf;
    Py_BEGIN_ALLOW_THREADS
    /* four copies of one angle's counts where the ROI has many more voxels than cells (segment_runs), else
     * one: merging the copies costs a pass over the cells */
    Py_ssize_t cells = Ng * Nr, copies = n >= 16 * cells ? 4 : 1;
    int32_t *C = calloc((size_t)(Na * cells) + 1, sizeof(int32_t));
    int32_t *S = calloc((size_t)(copies * cells) + 1, sizeof(int32_t));
    int32_t *L = calloc((size_t)size + SLACK, sizeof(int32_t));
    Py_ssize_t *first = malloc(((size_t)n + 1) * sizeof(Py_ssize_t)), segments = 0;
    if (!C || !S || !L || !first) status = -1;
    /* the segments of contiguous ROI voxels (roi[first[q]] .. roi[first[q + 1] - 1]), found once for all angles */
    for (Py_ssize_t k = 0; k < n && !status; k++)
        if (k == 0 || roi[k] != roi[k - 1] + 1) first[segments++] = k;
    if (!status) first[segments] = n;
    for (Py_ssize_t a = 0; a < Na && !status; a++) {
        int64_t o = off[a] < 0 ? -off[a] : off[a];
        int32_t *Ca = C + a * cells;
        int adjacent = 0;
        for (Py_ssize_t q = 0; q < segments; q++)
            adjacent |= segment_runs(img, L, roi[first[q]], first[q + 1] - first[q], o, S, Nr, cells, copies);
        for (Py_ssize_t c = 0; c < copies; c++)
            for (Py_ssize_t i = 0; i < cells; i++) {
                Ca[i] += S[c * cells + i];
                S[c * cells + i] = 0;
            }
        if (!adjacent && !line_holds_two(img, roi, n, angles + 3 * a, shape, p, unpadded))
            for (Py_ssize_t g = 0; g < Ng; g++) Ca[g * Nr] = 0;
    }
    if (!status)
        for (Py_ssize_t g = 0; g < Ng; g++)
            for (Py_ssize_t r = 0; r < Nr; r++)
                for (Py_ssize_t a = 0; a < Na; a++) P[(g * Nr + r) * Na + a] = C[(a * Ng + g) * Nr + r];
    free(C);
    free(S);
    free(L);
    free(first);
    Py_END_ALLOW_THREADS
    RELEASE(&bi, &br, &bo, &ba, &bp);
    if (status) return PyErr_NoMemory();
    Py_RETURN_NONE;
}

/* ------------------------------------------------------------------------------------------------ GLSZM */

/* The size of the zone of ROI voxel v, zeroed in work: a flood fill, the neighbours at the Na offsets (one
 * load and one comparison each: 0 never equals a grey level). stack: n + 1 entries. */
static inline int64_t fill_zone(int32_t *work, int64_t v, int64_t *stack, const int64_t *off, Py_ssize_t Na) {
    int32_t gl = work[v];
    Py_ssize_t top = 1;
    int64_t zone = 0;
    work[v] = 0;
    stack[0] = v;
    while (top > 0) {
        int64_t c = stack[--top];
        zone++;
        for (Py_ssize_t a = 0; a < Na; a++) {
            int64_t w = c + off[a];
            if (work[w] == gl) { work[w] = 0; stack[top++] = w; }
        }
    }
    return zone;
}

/* fill_zone for the 26 neighbours of a 3-D image, given as 9 rows of 3 (rows[r]: the flat offset of the
 * first voxel of each (dz, dy) row, dx = -1): one 4-lane load and comparison per row (the fourth lane masked
 * off) instead of three loads and unpredictable branches; the rare matching lanes pushed one by one. The
 * stack's order differs from fill_zone's, the zone (a connected set) and so its size do not. */
static inline int64_t fill_zone_rows(int32_t *work, int64_t v, int64_t *stack, const int64_t *rows) {
    int32_t gl = work[v];
    const v4i g = {gl, gl, gl, gl}, three = {-1, -1, -1, 0};
    Py_ssize_t top = 1;
    int64_t zone = 0;
    work[v] = 0;
    stack[0] = v;
    while (top > 0) {
        int64_t c = stack[--top];
        zone++;
        for (int r = 0; r < 9; r++) {
            int64_t base = c + rows[r];
            v4i m = (load4(work + base) == g) & three;
            if (m[0] | m[1] | m[2])
                for (int j = 0; j < 3; j++)
                    if (m[j]) { work[base + j] = 0; stack[top++] = base + j; }
        }
    }
    return zone;
}

static int cmp_int64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Whether the Na offsets are exactly the 26 neighbours of a padded 3-D array (rows of 3 or more voxels);
 * then rows (9) gets each (dz, dy) row's first offset (dx = -1) for fill_zone_rows. */
static int neighbour_rows(const int64_t *off, Py_ssize_t Na, int64_t *rows) {
    if (Na != 26) return 0;
    int64_t s[26], want[26];
    memcpy(s, off, sizeof s);
    qsort(s, 26, sizeof s[0], cmp_int64);
    /* sorted: the 13 negative ones, then 1, PX - 1, PX, PX + 1, ..., PYPX - 1, PYPX, PYPX + 1, ... */
    int64_t PX = s[14] + 1, PYPX = s[21];
    if (PX < 3 || PYPX < 3 * PX) return 0;
    int k = 0, r = 0;
    for (int dz = -1; dz <= 1; dz++)
        for (int dy = -1; dy <= 1; dy++) {
            rows[r++] = dz * PYPX + dy * PX - 1;
            for (int dx = -1; dx <= 1; dx++)
                if (dz || dy || dx) want[k++] = dz * PYPX + dy * PX + dx;
        }
    qsort(want, 26, sizeof want[0], cmp_int64);
    return memcmp(s, want, sizeof s) == 0;
}

/* zones(img, roi, off (Na), level int64 (n), size int64 (n)) -> (zones, largest): the grey level and voxel count
 * of each zone (ROI voxels of one grey level connected through the offsets), in the order of their first voxel
 * in raster order. A flood fill on a copy of the padded image in which a voxel is set to 0 once visited: one
 * load and one comparison per neighbour (0 never equals a grey level). The GLSZM of both the one-pass path
 * (engine/fused.py) and the class path (engine/matrices.py). */
static PyObject *zones(PyObject *self, PyObject *args) {
    Py_buffer bi, br, bo, bl, bs;
    Py_ssize_t count = 0, largest = 0;
    if (!PyArg_ParseTuple(args, "y*y*y*w*w*", &bi, &br, &bo, &bl, &bs)) return NULL;
    const int32_t *img = bi.buf;
    const int64_t *roi = br.buf, *off = bo.buf;
    int64_t *level = bl.buf, *sizes = bs.buf;
    Py_ssize_t n = br.len / 8, Na = bo.len / 8;
    int status = 0;
    Py_BEGIN_ALLOW_THREADS
    int32_t *work = malloc((size_t)bi.len + 4);
    int64_t *stack = malloc(((size_t)n + 1) * sizeof(int64_t));
    if (!work || !stack) status = -1;
    else memcpy(work, img, (size_t)bi.len);
    int64_t rows[9];
    int by_rows = neighbour_rows(off, Na, rows);
    for (Py_ssize_t k = 0; k < n && !status; k++) {
        int64_t v = roi[k];
        int32_t gl = work[v];
        if (gl == 0) continue;  /* in a zone already */
        /* the 26 and 8 neighbours of 3-D and 2-D images with the count known to the compiler (the neighbour
         * loop unrolled: about 20% faster on the demo) */
        int64_t zone = by_rows ? fill_zone_rows(work, v, stack, rows)
                     : Na == 26 ? fill_zone(work, v, stack, off, 26)
                     : Na == 8 ? fill_zone(work, v, stack, off, 8) : fill_zone(work, v, stack, off, Na);
        level[count] = gl;
        sizes[count++] = zone;
        if (zone > largest) largest = zone;
    }
    free(work);
    free(stack);
    Py_END_ALLOW_THREADS
    RELEASE(&bi, &br, &bo, &bl, &bs);
    if (status) return PyErr_NoMemory();
    return Py_BuildValue("nn", count, largest);
}

/* ------------------------------------------------------------------------------------------- GLDM, NGTDM */

/* The neighbour sums of the n ROI voxels that follow each other in raster order from flat index v (a segment:
 * every voxel in the ROI, level >= 1), four voxels at a time: count of ROI neighbours, sum of their levels (0
 * outside the ROI adds nothing) and dependent ROI neighbours (|g - gj| <= alpha), over the Na offsets. No
 * branch on the data. int32: a sum of at most Na levels < 2^31 (the caller's condition). The voxels after the
 * segment up to a multiple of 4 are read too (the padded image ends with SLACK zeros) and their sums ignored. */
static void neighbour_sums(const int32_t *img, int64_t v, Py_ssize_t n, const int64_t *off, Py_ssize_t Na,
                           int32_t alpha, int32_t *cnt, int32_t *tot, int32_t *dep) {
    v4i limit = {alpha, alpha, alpha, alpha};
    for (Py_ssize_t x = 0; x < n; x += 4) {
        v4i g = load4(img + v + x), c = {0, 0, 0, 0}, t = c, dp = c;
        for (Py_ssize_t a = 0; a < Na; a++) {
            v4i gj = load4(img + v + off[a] + x), inside = gj > 0, d = g - gj, sign = d >> 31;
            d = (d ^ sign) - sign;
            c -= inside;
            t += gj;
            dp -= inside & (d <= limit);
        }
        memcpy(cnt + x, &c, sizeof c);
        memcpy(tot + x, &t, sizeof t);
        memcpy(dep + x, &dp, sizeof dp);
    }
}

/* gldm_ngtdm(img, roi, off (Na, bidirectional), Ng, alpha, Pd float64 (Ng, 2 Na + 1) zeros, Pn float64 (Ng, 3)
 * zeros) -> None, or MemoryError: the GLDM (dependent neighbours, |i - j| <= alpha) and the NGTDM (count, sum
 * of |i - mean of the ROI neighbours|, grey level) in one pass over the neighbours they share. The neighbour
 * sums are integers (the C code's float64 sums of small integers are exact), computed a segment of contiguous
 * ROI voxels at a time (neighbour_sums); the NGTDM's float sum is then added voxel by voxel in raster order
 * with the C code's operations (one division, one subtraction). */
static PyObject *gldm_ngtdm(PyObject *self, PyObject *args) {
    Py_buffer bi, br, bo, bd, bn;
    Py_ssize_t Ng, alpha;
    int status = 0;
    if (!PyArg_ParseTuple(args, "y*y*y*nnw*w*", &bi, &br, &bo, &Ng, &alpha, &bd, &bn)) return NULL;
    const int32_t *img = bi.buf;
    const int64_t *roi = br.buf, *off = bo.buf;
    Py_ssize_t n = br.len / 8, Na = bo.len / 8, width = 2 * Na + 1;
    double *Pd = bd.buf, *Pn = bn.buf;
    /* |g - gj| < 2 Ng: an alpha beyond it counts every ROI neighbour, one below 0 none */
    int32_t a32 = alpha > 2 * Ng ? (int32_t)(2 * Ng) : (alpha < -1 ? -1 : (int32_t)alpha);
    Py_BEGIN_ALLOW_THREADS
    int32_t *sums = malloc(3 * ((size_t)n + 4) * sizeof(int32_t));
    if (!sums) status = -1;
    for (Py_ssize_t g = 0; g < Ng; g++) Pn[g * 3 + 2] = (double)(g + 1);
    for (Py_ssize_t k = 0; k < n && !status;) {
        Py_ssize_t m = 1;  /* the segment roi[k], roi[k] + 1, ... */
        while (k + m < n && roi[k + m] == roi[k] + m) m++;
        int32_t *cnt = sums, *tot = sums + m + 4, *dep = sums + 2 * (m + 4);
        neighbour_sums(img, roi[k], m, off, Na, a32, cnt, tot, dep);
        for (Py_ssize_t x = 0; x < m; x++) {
            int32_t g = img[roi[k] + x];
            double diff = cnt[x] == 0 ? 0.0 : (double)g - ((double)tot[x] / (double)cnt[x]);
            if (diff < 0) diff *= -1.0;
            Pd[(g - 1) * width + dep[x]] += 1.0;
            Pn[(g - 1) * 3] += 1.0;
            Pn[(g - 1) * 3 + 1] += diff;
        }
        k += m;
    }
    free(sums);
    Py_END_ALLOW_THREADS
    RELEASE(&bi, &br, &bo, &bd, &bn);
    if (status) return PyErr_NoMemory();
    Py_RETURN_NONE;
}

/* ---------------------------------------------------------------------------------- discretisation, MCC */

/* digitize(values float64 (n), edges float64 (m, increasing), out int64 (n)): numpy.digitize -- for each value
 * the number of edges <= it. The edges of a bin width are evenly spaced, so the index is first guessed by one
 * division, then moved until edges[i - 1] <= v < edges[i] holds: the same comparisons decide, so the same
 * index whatever the rounding of the guess (numpy's binary search mispredicts most of its branches). */
static PyObject *digitize(PyObject *self, PyObject *args) {
    Py_buffer bv, be, bo;
    if (!PyArg_ParseTuple(args, "y*y*w*", &bv, &be, &bo)) return NULL;
    const double *values = bv.buf, *edges = be.buf;
    int64_t *out = bo.buf;
    Py_ssize_t n = be.len / 8, count = bv.len / 8;
    Py_BEGIN_ALLOW_THREADS
    double e0 = n > 0 ? edges[0] : 0.0, width = n > 1 ? edges[1] - e0 : 1.0;
    for (Py_ssize_t k = 0; k < count; k++) {
        double v = values[k], guess = (v - e0) / width + 1.0;
        Py_ssize_t i = guess < 0.0 ? 0 : (guess > (double)n ? n : (Py_ssize_t)guess);
        while (i > 0 && v < edges[i - 1]) i--;
        while (i < n && v >= edges[i]) i++;
        out[k] = i;
    }
    Py_END_ALLOW_THREADS
    RELEASE(&bv, &be, &bo);
    Py_RETURN_NONE;
}

/* mcc_q(P float64 (Ng, Ng, Na), px (Ng, Na), py (Ng, Na), eps, Q float64 (Ng, Ng, Na) zeros): pyradiomics' MCC
 * matrix Q(i, j, d) = sum_k P(i,k,d) P(j,k,d) / (px(i,d) py(k,d) + eps), each sum in increasing k with
 * pyradiomics' operations (product, then the division); a term with a zero product is +0.0 and skipped (adding
 * +0.0 to a sum of non-negative terms changes nothing). */
static PyObject *mcc_q(PyObject *self, PyObject *args) {
    Py_buffer bp, bx, by, bq;
    Py_ssize_t Ng, Na;
    double eps;
    if (!PyArg_ParseTuple(args, "y*y*y*nndw*", &bp, &bx, &by, &Ng, &Na, &eps, &bq)) return NULL;
    const double *P = bp.buf, *px = bx.buf, *py = by.buf;
    double *Q = bq.buf;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t d = 0; d < Na; d++)
        for (Py_ssize_t i = 0; i < Ng; i++)
            for (Py_ssize_t k = 0; k < Ng; k++) {
                double pik = P[(i * Ng + k) * Na + d];
                if (pik == 0.0) continue;
                double den = px[i * Na + d] * py[k * Na + d] + eps;
                for (Py_ssize_t j = 0; j < Ng; j++) {
                    double pjk = P[(j * Ng + k) * Na + d];
                    if (pjk != 0.0) Q[(i * Ng + j) * Na + d] += (pik * pjk) / den;
                }
            }
    Py_END_ALLOW_THREADS
    RELEASE(&bp, &bx, &by, &bq);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"pad", pad, METH_VARARGS, "The padded image and the ROI's flat indices (engine/matrices.py)."},
    {"glcm", glcm, METH_VARARGS, "GLCM counts."},
    {"glcm_normalised", glcm_normalised, METH_VARARGS, "pyradiomics' GLCM processing."},
    {"glrlm", glrlm, METH_VARARGS, "GLRLM counts."},
    {"zones", zones, METH_VARARGS, "The GLSZM's zones (flood fill)."},
    {"gldm_ngtdm", gldm_ngtdm, METH_VARARGS, "GLDM and NGTDM."},
    {"digitize", digitize, METH_VARARGS, "numpy.digitize for increasing edges."},
    {"mcc_q", mcc_q, METH_VARARGS, "The MCC's Q matrix."},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_fused", NULL, -1, methods};

PyMODINIT_FUNC PyInit__fused(void) { return PyModule_Create(&module); }
