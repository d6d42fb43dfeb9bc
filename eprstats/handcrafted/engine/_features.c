/* Compiled kernels of the eprstats engine: see the Python module that calls them (engine/native.py lists
 * which). Plain C99 on buffers the Python side allocates with the right dtype and C order (the "y*"/"w*"
 * buffer formats of PyArg_ParseTuple); the GIL is released while a kernel runs. Floating point exactly as
 * written: built with -ffp-contract=off and no -ffast-math (setup.py), so sums keep their order and no
 * multiply-add is fused -- the values of the numba kernels and of pyradiomics' C code, bit for bit.
 *
 * This module: the GLCM's coefficients and 23 features (engine/glcm_kernels.py) and the GLRLM, GLSZM/GLDM
 * and NGTDM features (engine/texture_kernels.py). Each function repeats the numba kernel it replaced operation
 * for operation: every accumulator receives the same terms in the same order (a loop may visit the
 * accumulators in another order, never one accumulator's terms), x ** 2 is x * x (numba's constant power),
 * math.pow/np.log2/np.sqrt are the C library's pow/log2/sqrt (what numba's LLVM calls), an int mixed with a
 * double is converted first (numba's typing). The terms of a zero cell that the kernel skipped are added
 * (as +-0.0) where every factor is finite, skipped otherwise: every accumulator starts at +0.0 and an IEEE sum
 * never turns it into -0.0, so adding +-0.0 leaves it as it is. Checked bit for bit against the numba kernels
 * on the demo's inputs and a few hundred random ones (both GLCM layouts, symmetric or not, overflowing). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <math.h>

#define E_CONST 2.718281828459045 /* math.e */
#define GLCM_NF 23

/* ------------------------------------------------------------------------------------------------ GLCM */

/* One GLCM: P (n, n, Nd) read through strides (elements) si, sj (d contiguous); its grey levels, Ng. */
typedef struct {
    const double *P;
    const double *lv;
    Py_ssize_t n, Nd, Ng, si, sj;
    double eps;
    int column_major;
    int symmetric; /* P[i, j, d] == P[j, i, d] for all cells: glcm_cell reads it in memory order */
} Glcm;

/* The Nd cells of (i, j), visited by a loop with outer index o and inner index q ((i, j) or (j, i)): a
 * symmetric P holds the same values at (i, j) and (j, i), so it is read in memory order (no cache misses)
 * whatever its layout -- the same values in the same order. */
static inline const double *glcm_cell(const Glcm *g, Py_ssize_t i, Py_ssize_t j, Py_ssize_t o, Py_ssize_t q)
{
    return g->symmetric ? g->P + (o * g->n + q) * g->Nd : g->P + i * g->si + j * g->sj;
}

/* The outputs (one buffer from Python) and the per-angle sums (scratch). */
typedef struct {
    double *px, *py, *ux, *uy, *addy, *suby, *hxy, *F;
    double *auto_, *contrast, *energy, *maxprob, *sigx2, *sigy2, *corm, *hxy1, *hxy2, *prom, *shade, *tend;
    double *t2, *t3, *t4, *lg;
    double *mirror; /* one triangle's log2 terms, for a symmetric P or p_x = p_y */
    int m_sym;      /* p_x = p_y, bit for bit */
    int finite;     /* the second pass's factors are finite (glcm_sum_powers) */
} GlcmSums;

/* The slot of cell (o, q), q < o, in a triangle of mirror terms, written at cell (q, o) before (NULL: none). */
static inline const double *mirror_seen(const double *m, Py_ssize_t o, Py_ssize_t q, Py_ssize_t Nd)
{
    return m != NULL && q < o ? m + (o * (o - 1) / 2 + q) * Nd : NULL;
}

static inline double *mirror_keep(double *m, Py_ssize_t o, Py_ssize_t q, Py_ssize_t Nd)
{
    return m != NULL && q > o ? m + (q * (q - 1) / 2 + o) * Nd : NULL;
}

/* The loops over the angles below take restrict pointers (distinct arrays), so that the compiler may handle
 * two angles per instruction: each angle's sums still receive their terms one by one, in order. Where numba
 * skipped the terms of a zero cell, these loops skip them only when a factor may be infinite (``skip``):
 * otherwise such a term is +-0.0, and adding it leaves a sum as it is (a sum starts at +0.0 and never becomes
 * -0.0), as skipping did -- without a branch on the data, which mispredicts on the zero cells. */

/* Row-major (i, j, d) terms of a cell: the marginals, the grouped sums p_x+y, p_x-y (pyradiomics: boolean
 * masks, cells in row-major order) and the sums of P times an (i, j) array. */
static inline void row_terms(Py_ssize_t Nd, const double *restrict p, double ij, double d2, double *restrict pxi,
                             double *restrict pyj, double *restrict a, double *restrict b, double *restrict au,
                             double *restrict co)
{
    for (Py_ssize_t d = 0; d < Nd; d++) {
        const double v = p[d];
        pxi[d] += v;
        pyj[d] += v;
        a[d] += v;
        b[d] += v;
        au[d] += v * ij;
        co[d] += v * d2;
    }
}

static inline void glcm_row_terms(const Glcm *g, GlcmSums *s, Py_ssize_t i, Py_ssize_t j, const double *p)
{
    const double li = g->lv[i], lj = g->lv[j];
    const Py_ssize_t Nd = g->Nd, ks = (Py_ssize_t)(li + lj) - 2, kd = (Py_ssize_t)fabs(li - lj);
    const double ad = fabs(li - lj);
    row_terms(Nd, p, li * lj, ad * ad, s->px + i * Nd, s->py + j * Nd, s->addy + ks * Nd, s->suby + kd * Nd,
              s->auto_, s->contrast);
}

/* P's-order terms of a cell: the means, energy and maximum ... */
static inline void own_terms(Py_ssize_t Nd, const double *restrict p, double li, double lj, double *restrict ux,
                             double *restrict uy, double *restrict energy, double *restrict maxprob)
{
    for (Py_ssize_t d = 0; d < Nd; d++) {
        const double v = p[d];
        ux[d] += li * v;
        uy[d] += lj * v;
        energy[d] += v * v;
        maxprob[d] = v > maxprob[d] ? v : maxprob[d];
    }
}

static inline void add_terms(Py_ssize_t Nd, const double *restrict term, double *restrict sum)
{
    for (Py_ssize_t d = 0; d < Nd; d++)
        sum[d] += term[d];
}

/* ... and the joint entropy: ``seen``, the cell's terms p log2(p + eps) from its mirror cell (a symmetric P),
 * ``keep``: where to keep them for it. */
static inline void glcm_own_terms(const Glcm *g, GlcmSums *s, Py_ssize_t i, Py_ssize_t j, const double *p,
                                  const double *seen, double *keep)
{
    own_terms(g->Nd, p, g->lv[i], g->lv[j], s->ux, s->uy, s->energy, s->maxprob);
    if (seen != NULL) { /* a zero cell's kept term is +0.0: adding it changes nothing, no branch needed */
        add_terms(g->Nd, seen, s->hxy);
        return;
    }
    for (Py_ssize_t d = 0; d < g->Nd; d++) {
        const double v = p[d];
        if (keep != NULL)
            keep[d] = 0.0;
        if (v == 0.0)
            continue;
        const double term = v * log2(v + g->eps);
        if (keep != NULL)
            keep[d] = term;
        s->hxy[d] += term;
    }
}

/* Whether the row-major and P's-order passes see the same values in the same order, so that one loop does
 * both: P row-major, or symmetric (then (i, j) and (j, i) hold the same values). */
static inline int glcm_one_order(const Glcm *g) { return g->symmetric || !g->column_major; }

/* The sums that need neither the means nor the marginals. */
static void glcm_first_sums(const Glcm *g, GlcmSums *s)
{
    const Py_ssize_t n = g->n, Nd = g->Nd;
    const int one = glcm_one_order(g), cm = g->column_major;
    double *mirror = g->symmetric ? s->mirror : NULL;
    for (Py_ssize_t o = 0; o < n; o++)
        for (Py_ssize_t q = 0; q < n; q++) {
            const double *p = glcm_cell(g, o, q, o, q);
            glcm_row_terms(g, s, o, q, p);
            if (one)
                glcm_own_terms(g, s, cm ? q : o, cm ? o : q, p, mirror_seen(mirror, o, q, Nd),
                               mirror_keep(mirror, o, q, Nd));
        }
    for (Py_ssize_t a = 0; a < n && !one; a++) /* j outer, i inner: a column-major, asymmetric P */
        for (Py_ssize_t b = 0; b < n; b++)
            glcm_own_terms(g, s, b, a, glcm_cell(g, b, a, a, b), NULL, NULL);
    for (Py_ssize_t d = 0; d < Nd; d++)
        s->hxy[d] = (-1.0) * s->hxy[d];
}

/* (i + j) - ux - uy and its powers, once per value of i + j; whether every factor of the second pass's
 * terms is finite (then a zero cell's terms are +-0.0). */
static void glcm_sum_powers(const Glcm *g, GlcmSums *s)
{
    const Py_ssize_t n = g->n, Nd = g->Nd, nk = 2 * g->Ng - 1;
    int finite = 1;
    for (Py_ssize_t k = 0; k < nk; k++) {
        for (Py_ssize_t d = 0; d < Nd; d++) {
            const double t = ((double)k + 2.0) - s->ux[d] - s->uy[d];
            s->t2[k * Nd + d] = t * t;
            s->t3[k * Nd + d] = pow(t, 3.0);
            s->t4[k * Nd + d] = pow(t, 4.0);
            finite &= isfinite(s->t4[k * Nd + d]) && isfinite(s->t3[k * Nd + d]);
        }
    }
    for (Py_ssize_t d = 0; d < Nd; d++) /* (i - ux)^2, (i - ux)(j - uy) finite for levels <= Ng */
        finite &= fabs(s->ux[d]) < 1e150 && fabs(s->uy[d]) < 1e150;
    for (Py_ssize_t k = 0; k < n * Nd; k++) /* p_x p_y finite, so its log2 */
        finite &= fabs(s->px[k]) < 1e150 && fabs(s->py[k]) < 1e150;
    s->finite = finite;
}

/* P's-order terms of a cell with the means: the variances and the correlation's numerator. */
static inline void moment_terms(Py_ssize_t Nd, const double *restrict p, double li, double lj,
                                const double *restrict ux, const double *restrict uy, double *restrict sigx2,
                                double *restrict sigy2, double *restrict corm, const int skip)
{
    for (Py_ssize_t d = 0; d < Nd; d++) {
        const double v = p[d];
        if (skip && v == 0.0)
            continue;
        const double dx = li - ux[d], dy = lj - uy[d];
        sigx2[d] += v * (dx * dx);
        sigy2[d] += v * (dy * dy);
        corm[d] += v * dx * dy;
    }
}

static inline void glcm_moment_terms(const Glcm *g, GlcmSums *s, Py_ssize_t i, Py_ssize_t j, const double *p)
{
    if (s->finite) /* a constant skip: the compiler drops the branch from this copy */
        moment_terms(g->Nd, p, g->lv[i], g->lv[j], s->ux, s->uy, s->sigx2, s->sigy2, s->corm, 0);
    else
        moment_terms(g->Nd, p, g->lv[i], g->lv[j], s->ux, s->uy, s->sigx2, s->sigy2, s->corm, 1);
}

/* Row-major terms of a cell with (i + j) - ux - uy or p_x p_y, given lg = log2(p_x p_y + eps) (0 where
 * p_x p_y = 0). */
static inline void product_terms(Py_ssize_t Nd, const double *restrict p, const double *restrict pxi,
                                 const double *restrict pyj, const double *restrict lg, const double *restrict t2,
                                 const double *restrict t3, const double *restrict t4, double *restrict hxy2,
                                 double *restrict prom, double *restrict shade, double *restrict tend,
                                 double *restrict hxy1, const int skip)
{
    for (Py_ssize_t d = 0; d < Nd; d++) {
        const double v = p[d], pxpy = pxi[d] * pyj[d];
        hxy2[d] += pxpy * lg[d];
        if (skip && v == 0.0)
            continue;
        prom[d] += v * t4[d];
        shade[d] += v * t3[d];
        tend[d] += v * t2[d];
        hxy1[d] += v * lg[d];
    }
}

/* Where p_x = p_y, px[i] py[j] is px[j] py[i] bit for bit (a product does not depend on the order of its
 * factors): the log2 of cell (i, j), j < i, is the one of cell (j, i), computed before (``seen``; ``keep``:
 * where to keep it) -- half the log2 calls. */
static inline void glcm_product_terms(const Glcm *g, GlcmSums *s, Py_ssize_t i, Py_ssize_t j, const double *p,
                                      const double *seen, double *keep)
{
    const Py_ssize_t Nd = g->Nd, ks = (Py_ssize_t)(g->lv[i] + g->lv[j]) - 2;
    const double *pxi = s->px + i * Nd, *pyj = s->py + j * Nd;
    double *lg = keep != NULL ? keep : s->lg;
    for (Py_ssize_t d = 0; d < Nd && seen == NULL; d++) {
        const double pxpy = pxi[d] * pyj[d];
        lg[d] = pxpy != 0.0 ? log2(pxpy + g->eps) : 0.0;
    }
    const double *l = seen != NULL ? seen : lg;
    const double *t2 = s->t2 + ks * Nd, *t3 = s->t3 + ks * Nd, *t4 = s->t4 + ks * Nd;
    if (s->finite)
        product_terms(Nd, p, pxi, pyj, l, t2, t3, t4, s->hxy2, s->prom, s->shade, s->tend, s->hxy1, 0);
    else
        product_terms(Nd, p, pxi, pyj, l, t2, t3, t4, s->hxy2, s->prom, s->shade, s->tend, s->hxy1, 1);
}

/* The sums that need the means or the marginals. */
static void glcm_second_sums(const Glcm *g, GlcmSums *s)
{
    const Py_ssize_t n = g->n, Nd = g->Nd;
    const int one = glcm_one_order(g), cm = g->column_major;
    double *mirror = s->m_sym ? s->mirror : NULL;
    for (Py_ssize_t o = 0; o < n; o++)
        for (Py_ssize_t q = 0; q < n; q++) {
            const double *p = glcm_cell(g, o, q, o, q);
            glcm_product_terms(g, s, o, q, p, mirror_seen(mirror, o, q, Nd), mirror_keep(mirror, o, q, Nd));
            if (one)
                glcm_moment_terms(g, s, cm ? q : o, cm ? o : q, p);
        }
    for (Py_ssize_t a = 0; a < n && !one; a++)
        for (Py_ssize_t b = 0; b < n; b++)
            glcm_moment_terms(g, s, b, a, glcm_cell(g, b, a, a, b));
}

/* Whether P is symmetric at every angle, bit for bit: compared in tiles of 8 x 8 cells (a tile and its mirror
 * stay in the cache, unlike a whole row against a whole column). */
static int glcm_is_symmetric(const Glcm *g)
{
    const Py_ssize_t n = g->n, Nd = g->Nd, B = 8;
    for (Py_ssize_t ib = 0; ib < n; ib += B)
        for (Py_ssize_t jb = ib; jb < n; jb += B)
            for (Py_ssize_t i = ib; i < ib + B && i < n; i++)
                for (Py_ssize_t j = jb > i ? jb : i + 1; j < jb + B && j < n; j++) {
                    const double *p = g->P + (i * n + j) * Nd, *q = g->P + (j * n + i) * Nd;
                    int same = 1;
                    for (Py_ssize_t d = 0; d < Nd; d++) /* no exit inside: two angles per instruction */
                        same &= p[d] == q[d];
                    if (!same)
                        return 0;
                }
    return 1;
}

/* The triangle of mirror terms (where P or its marginals are symmetric); NULL: none, or out of memory, where
 * every term is computed -- the same values. */
static double *glcm_mirror(const Glcm *g)
{
    return g->n > 1 ? malloc((size_t)(g->n * (g->n - 1) / 2 * g->Nd) * sizeof(double)) : NULL;
}

static int glcm_marginals_equal(const Glcm *g, const GlcmSums *s)
{
    for (Py_ssize_t k = 0; k < g->n * g->Nd; k++)
        if (s->px[k] != s->py[k])
            return 0;
    return 1;
}

/* The marginal entropies HX, HY of angle d. */
static void glcm_marginal_entropies(const Glcm *g, const GlcmSums *s, Py_ssize_t d, double *hx, double *hy)
{
    double x = 0.0, y = 0.0;
    for (Py_ssize_t i = 0; i < g->n; i++) {
        const double a = s->px[i * g->Nd + d], b = s->py[i * g->Nd + d];
        if (a != 0.0)
            x += a * log2(a + g->eps);
        if (b != 0.0)
            y += b * log2(b + g->eps);
    }
    *hx = (-1.0) * x;
    *hy = (-1.0) * y;
}

/* F[0..13] of angle d but the difference features: correlation and the informational measures. */
static void glcm_joint_features(const Glcm *g, GlcmSums *s, Py_ssize_t d, double *f)
{
    double hx, hy;
    glcm_marginal_entropies(g, s, d, &hx, &hy);
    const double sigx = sqrt(s->sigx2[d]), sigy = sqrt(s->sigy2[d]);
    double corr = s->corm[d] / (sigx * sigy + g->eps);
    if (sigx * sigy == 0)
        corr = 1.0;
    const double h1 = (-1.0) * s->hxy1[d], h2 = (-1.0) * s->hxy2[d];
    const double div = hy > hx ? hy : hx; /* numba's max(hx, hy) */
    double imc1 = s->hxy[d] - h1;
    if (div != 0)
        imc1 /= div;
    else
        imc1 = 0.0;
    const double imc2 = h2 == s->hxy[d] ? 0.0 : sqrt(1 - pow(E_CONST, -2.0 * (h2 - s->hxy[d])));
    f[0] = s->auto_[d];
    f[1] = s->ux[d];
    f[2] = s->prom[d];
    f[3] = s->shade[d];
    f[4] = s->tend[d];
    f[5] = s->contrast[d];
    f[6] = corr;
    f[10] = s->energy[d];
    f[11] = s->hxy[d];
    f[12] = imc1;
    f[13] = imc2;
    f[19] = s->maxprob[d];
    f[22] = s->sigx2[d];
}

/* The features of p_x-y and p_x+y at angle d. */
static void glcm_grouped_features(const Glcm *g, const GlcmSums *s, Py_ssize_t d, double *f)
{
    const Py_ssize_t Ng = g->Ng, Nd = g->Nd, nk = 2 * Ng - 1;
    const double Ng2 = (double)(Ng * Ng);
    double diffavg = 0.0, diffent = 0.0, diffvar = 0.0, idm = 0.0, idmn = 0.0, idd = 0.0, idn = 0.0, inv = 0.0;
    for (Py_ssize_t k = 0; k < Ng; k++)
        diffavg += (double)k * s->suby[k * Nd + d];
    for (Py_ssize_t k = 0; k < Ng; k++) {
        const double q = s->suby[k * Nd + d], kf = (double)k;
        if (q != 0.0)
            diffent += q * log2(q + g->eps);
        diffvar += q * ((kf - diffavg) * (kf - diffavg));
        idm += q / (1 + kf * kf);
        idmn += q / (1 + ((kf * kf) / Ng2));
        idd += q / (1 + kf);
        idn += q / (1 + (kf / (double)Ng));
        if (k > 0)
            inv += q / (kf * kf);
    }
    double sumavg = 0.0, sument = 0.0;
    for (Py_ssize_t k = 0; k < nk; k++) {
        const double q = s->addy[k * Nd + d];
        sumavg += ((double)k + 2.0) * q;
        if (q != 0.0)
            sument += q * log2(q + g->eps);
    }
    f[7] = diffavg;
    f[8] = (-1.0) * diffent;
    f[9] = diffvar;
    f[14] = idm;
    f[15] = idmn;
    f[16] = idd;
    f[17] = idn;
    f[18] = inv;
    f[20] = sumavg;
    f[21] = (-1.0) * sument;
}

/* Points the sums at the output buffer (px, py, ux, uy, pxAddy, pxSuby, HXY, F) and at zeroed scratch;
 * returns the scratch (to free) or NULL when out of memory. */
static double *glcm_sums_init(const Glcm *g, double *out, GlcmSums *s)
{
    const Py_ssize_t n = g->n, Nd = g->Nd, nk = 2 * g->Ng - 1;
    double *scratch = calloc((size_t)((13 + 3 * nk) * Nd), sizeof(double));
    if (scratch == NULL)
        return NULL;
    s->px = out;
    s->py = s->px + n * Nd;
    s->ux = s->py + n * Nd;
    s->uy = s->ux + Nd;
    s->addy = s->uy + Nd;
    s->suby = s->addy + nk * Nd;
    s->hxy = s->suby + g->Ng * Nd;
    s->F = s->hxy + Nd;
    memset(out, 0, (size_t)(s->F - out) * sizeof(double));
    double **named[] = {&s->auto_, &s->contrast, &s->energy, &s->maxprob, &s->sigx2, &s->sigy2, &s->corm,
                        &s->hxy1, &s->hxy2, &s->prom, &s->shade, &s->tend};
    for (int k = 0; k < 12; k++)
        *named[k] = scratch + k * Nd;
    s->t2 = scratch + 12 * Nd;
    s->t3 = s->t2 + nk * Nd;
    s->t4 = s->t3 + nk * Nd;
    s->lg = s->t4 + nk * Nd;
    for (Py_ssize_t d = 0; d < Nd; d++)
        s->maxprob[d] = -INFINITY;
    return scratch;
}

/* 0, or -1 out of memory. */
static int glcm_pass(Glcm *g, double *out)
{
    GlcmSums s;
    double *scratch = glcm_sums_init(g, out, &s);
    if (scratch == NULL)
        return -1;
    g->symmetric = glcm_is_symmetric(g);
    s.mirror = g->symmetric ? glcm_mirror(g) : NULL;
    glcm_first_sums(g, &s);
    s.m_sym = glcm_marginals_equal(g, &s);
    if (s.m_sym && s.mirror == NULL)
        s.mirror = glcm_mirror(g);
    glcm_sum_powers(g, &s);
    glcm_second_sums(g, &s);
    double f[GLCM_NF];
    for (Py_ssize_t d = 0; d < g->Nd; d++) {
        glcm_joint_features(g, &s, d, f);
        glcm_grouped_features(g, &s, d, f);
        for (int k = 0; k < GLCM_NF; k++)
            s.F[k * g->Nd + d] = f[k];
    }
    free(s.mirror);
    free(scratch);
    return 0;
}

/* glcm_pass(P, levels, out, n, Nd, Ng, eps, column_major, transposed) -> 0, -1 (no memory), -2 (a level
 * outside 1..Ng). P: n * n * Nd doubles stored (i, j, d) or, ``transposed``, (j, i, d); out: the outputs'
 * (4 + 2 n + 2 Ng - 1 + Ng + 23) * Nd doubles. */
static PyObject *py_glcm_pass(PyObject *self, PyObject *args)
{
    Py_buffer P, lv, out;
    Glcm g;
    int transposed, status = 0;
    if (!PyArg_ParseTuple(args, "y*y*w*nnndii", &P, &lv, &out, &g.n, &g.Nd, &g.Ng, &g.eps, &g.column_major,
                          &transposed))
        return NULL;
    g.P = P.buf;
    g.lv = lv.buf;
    g.si = transposed ? g.Nd : g.n * g.Nd;
    g.sj = transposed ? g.n * g.Nd : g.Nd;
    for (Py_ssize_t i = 0; i < g.n; i++)
        if (!(g.lv[i] >= 1.0 && g.lv[i] <= (double)g.Ng))
            status = -2; /* the kernel indexes p_x+y, p_x-y by the levels */
    if (status == 0) {
        Py_BEGIN_ALLOW_THREADS
        status = glcm_pass(&g, out.buf);
        Py_END_ALLOW_THREADS
    }
    PyBuffer_Release(&P);
    PyBuffer_Release(&lv);
    PyBuffer_Release(&out);
    return PyLong_FromLong(status);
}

/* ----------------------------------------------------------------------------------------------- GLRLM */

typedef struct {
    double *pr, *pg, *entropy, *sl, *sh, *ll, *lh;
} RunSums;

/* One walk over P (Ng, Nl, Na): the marginals, the run entropy and the four joint emphases of each angle. */
static void glrlm_cell_sums(const double *P, const double *iv, const double *jv, const double *Nr, Py_ssize_t Ng,
                            Py_ssize_t Nl, Py_ssize_t Na, RunSums *s)
{
    const double eps = 2.220446049250313e-16;
    for (Py_ssize_t i = 0; i < Ng; i++) {
        const double i2 = iv[i] * iv[i];
        for (Py_ssize_t j = 0; j < Nl; j++) {
            const double j2 = jv[j] * jv[j];
            const double *p = P + (i * Nl + j) * Na;
            for (Py_ssize_t a = 0; a < Na; a++) {
                const double v = p[a];
                if (v == 0.0)
                    continue;
                s->pr[j * Na + a] += v;
                s->pg[i * Na + a] += v;
                const double q = v / Nr[a];
                s->entropy[a] -= q * log2(q + eps);
                s->sl[a] += v / (i2 * j2);
                s->sh[a] += v * i2 / j2;
                s->ll[a] += v * j2 / i2;
                s->lh[a] += v * (j2 * i2);
            }
        }
    }
}

/* The features of angle a from its marginals, added into out (16). */
static void glrlm_angle(const RunSums *s, const double *iv, const double *jv, double n, Py_ssize_t Ng,
                        Py_ssize_t Nl, Py_ssize_t Na, Py_ssize_t a, double *out)
{
    double sre = 0.0, lre = 0.0, rln = 0.0, rsum = 0.0, u_j = 0.0, rv = 0.0;
    for (Py_ssize_t j = 0; j < Nl; j++) {
        const double v = s->pr[j * Na + a], j2 = jv[j] * jv[j];
        sre += v / j2;
        lre += v * j2;
        rln += v * v;
        rsum += v * jv[j];
        u_j += v / n * jv[j];
    }
    for (Py_ssize_t j = 0; j < Nl; j++) {
        const double d = jv[j] - u_j;
        rv += s->pr[j * Na + a] / n * d * d;
    }
    double gln = 0.0, lg = 0.0, hg = 0.0, u_i = 0.0, gv = 0.0;
    for (Py_ssize_t i = 0; i < Ng; i++) {
        const double v = s->pg[i * Na + a], i2 = iv[i] * iv[i];
        gln += v * v;
        lg += v / i2;
        hg += v * i2;
        u_i += v / n * iv[i];
    }
    for (Py_ssize_t i = 0; i < Ng; i++) {
        const double d = iv[i] - u_i;
        gv += s->pg[i * Na + a] / n * d * d;
    }
    const double f[16] = {sre / n, lre / n, gln / n, gln / (n * n), rln / n, rln / (n * n), n / rsum, gv, rv,
                          s->entropy[a], lg / n, hg / n, s->sl[a] / n, s->sh[a] / n, s->ll[a] / n, s->lh[a] / n};
    for (int k = 0; k < 16; k++)
        out[k] += f[k];
}

static int glrlm_features(const double *P, const double *iv, const double *jv, const double *Nr, Py_ssize_t Ng,
                          Py_ssize_t Nl, Py_ssize_t Na, double *out)
{
    double *scratch = calloc((size_t)((Nl + Ng + 5) * Na), sizeof(double));
    if (scratch == NULL)
        return -1;
    double *e = scratch + (Nl + Ng) * Na;
    RunSums s = {scratch, scratch + Nl * Na, e, e + Na, e + 2 * Na, e + 3 * Na, e + 4 * Na};
    glrlm_cell_sums(P, iv, jv, Nr, Ng, Nl, Na, &s);
    for (int k = 0; k < 16; k++)
        out[k] = 0.0;
    for (Py_ssize_t a = 0; a < Na; a++)
        glrlm_angle(&s, iv, jv, Nr[a], Ng, Nl, Na, a, out);
    for (int k = 0; k < 16; k++)
        out[k] /= (double)Na;
    free(scratch);
    return 0;
}

/* glrlm_features(out, P, ivector, jvector, Nr, Ng, Nl, Na) -> 0 or -1 (no memory); P (Ng, Nl, Na), out (16). */
static PyObject *py_glrlm_features(PyObject *self, PyObject *args)
{
    Py_buffer P, iv, jv, Nr, out;
    Py_ssize_t Ng, Nl, Na;
    int status;
    if (!PyArg_ParseTuple(args, "w*y*y*y*y*nnn", &out, &P, &iv, &jv, &Nr, &Ng, &Nl, &Na))
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    status = glrlm_features(P.buf, iv.buf, jv.buf, Nr.buf, Ng, Nl, Na, out.buf);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&P);
    PyBuffer_Release(&iv);
    PyBuffer_Release(&jv);
    PyBuffer_Release(&Nr);
    PyBuffer_Release(&out);
    return PyLong_FromLong(status);
}

/* ------------------------------------------------------------------------------------------ GLSZM, GLDM */

/* Sums of a marginal m (n) over values x (n) with Nz zones: sum m/x^2, sum m x^2, sum m^2, and the variance. */
static void zone_marginal(const double *m, const double *x, Py_ssize_t n, double Nz, double *small, double *large,
                          double *nonuni, double *var)
{
    double a = 0.0, b = 0.0, c = 0.0, u = 0.0, v = 0.0;
    for (Py_ssize_t k = 0; k < n; k++) {
        const double x2 = x[k] * x[k];
        a += m[k] / x2;
        b += m[k] * x2;
        c += m[k] * m[k];
        u += m[k] / Nz * x[k];
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        const double d = x[k] - u;
        v += m[k] / Nz * d * d;
    }
    *small = a;
    *large = b;
    *nonuni = c;
    *var = v;
}

static int zone_features(const double *P, const double *iv, const double *jv, double Nz, Py_ssize_t Ng,
                         Py_ssize_t Ns, double *out)
{
    const double eps = 2.220446049250313e-16;
    double *ps = calloc((size_t)(Ns + Ng), sizeof(double));
    if (ps == NULL)
        return -1;
    double *pg = ps + Ns, entropy = 0.0, sl = 0.0, sh = 0.0, ll = 0.0, lh = 0.0;
    for (Py_ssize_t i = 0; i < Ng; i++) {
        const double i2 = iv[i] * iv[i];
        for (Py_ssize_t j = 0; j < Ns; j++) {
            const double p = P[i * Ns + j];
            if (p == 0.0)
                continue;
            const double j2 = jv[j] * jv[j], q = p / Nz;
            ps[j] += p;
            pg[i] += p;
            entropy -= q * log2(q + eps);
            sl += p / (i2 * j2);
            sh += p * i2 / j2;
            ll += p * j2 / i2;
            lh += p * i2 * j2;
        }
    }
    double sae, lae, szn, zv, lg, hg, gln, gv;
    zone_marginal(ps, jv, Ns, Nz, &sae, &lae, &szn, &zv);
    zone_marginal(pg, iv, Ng, Nz, &lg, &hg, &gln, &gv);
    const double f[15] = {sae / Nz, lae / Nz, gln / Nz, gln / (Nz * Nz), szn / Nz, szn / (Nz * Nz), gv, zv,
                          entropy, lg / Nz, hg / Nz, sl / Nz, sh / Nz, ll / Nz, lh / Nz};
    for (int k = 0; k < 15; k++)
        out[k] = f[k];
    free(ps);
    return 0;
}

/* zone_features(out, P, ivector, jvector, Ng, Ns, Nz) -> 0 or -1 (no memory); P (Ng, Ns), out (15). */
static PyObject *py_zone_features(PyObject *self, PyObject *args)
{
    Py_buffer P, iv, jv, out;
    Py_ssize_t Ng, Ns;
    double Nz;
    int status;
    if (!PyArg_ParseTuple(args, "w*y*y*y*nnd", &out, &P, &iv, &jv, &Ng, &Ns, &Nz))
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    status = zone_features(P.buf, iv.buf, jv.buf, Nz, Ng, Ns, out.buf);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&P);
    PyBuffer_Release(&iv);
    PyBuffer_Release(&jv);
    PyBuffer_Release(&out);
    return PyLong_FromLong(status);
}

/* ----------------------------------------------------------------------------------------------- NGTDM */

static void ngtdm_features(const double *p_i, const double *s_i, const double *iv, double Nvp, double Ngp,
                           Py_ssize_t Ng, double *out)
{
    double sum_pi_si = 0.0, sum_s_i = 0.0, contrast = 0.0, absdiff = 0.0, complexity = 0.0, strength = 0.0;
    for (Py_ssize_t k = 0; k < Ng; k++) {
        sum_pi_si += p_i[k] * s_i[k];
        sum_s_i += s_i[k];
    }
    for (Py_ssize_t k = 0; k < Ng; k++) {
        for (Py_ssize_t m = 0; m < Ng; m++) {
            const double d = iv[k] - iv[m], d2 = d * d;
            contrast += p_i[k] * p_i[m] * d2;
            if (p_i[k] != 0.0 && p_i[m] != 0.0) {
                absdiff += fabs(iv[k] * p_i[k] - iv[m] * p_i[m]);
                complexity += fabs(d) * (p_i[k] * s_i[k] + p_i[m] * s_i[m]) / (p_i[k] + p_i[m]);
                strength += (p_i[k] + p_i[m]) * d2;
            }
        }
    }
    out[0] = sum_pi_si != 0.0 ? 1.0 / sum_pi_si : 1e6;
    const double div = Ngp * (Ngp - 1.0);
    out[1] = div != 0.0 ? contrast * sum_s_i / Nvp / div : 0.0;
    out[2] = absdiff != 0.0 ? sum_pi_si / absdiff : 0.0;
    out[3] = complexity / Nvp;
    out[4] = sum_s_i != 0.0 ? strength / sum_s_i : 0.0;
}

/* ngtdm_features(out, p_i, s_i, ivector, Ng, Nvp, Ngp) -> 0; the vectors (Ng), out (5). */
static PyObject *py_ngtdm_features(PyObject *self, PyObject *args)
{
    Py_buffer p, s, iv, out;
    Py_ssize_t Ng;
    double Nvp, Ngp;
    if (!PyArg_ParseTuple(args, "w*y*y*y*ndd", &out, &p, &s, &iv, &Ng, &Nvp, &Ngp))
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    ngtdm_features(p.buf, s.buf, iv.buf, Nvp, Ngp, Ng, out.buf);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&p);
    PyBuffer_Release(&s);
    PyBuffer_Release(&iv);
    PyBuffer_Release(&out);
    return PyLong_FromLong(0);
}

static PyMethodDef methods[] = {
    {"glcm_pass", py_glcm_pass, METH_VARARGS, "The GLCM's coefficients and 23 features per angle."},
    {"glrlm_features", py_glrlm_features, METH_VARARGS, "The GLRLM's 16 features, averaged over the angles."},
    {"zone_features", py_zone_features, METH_VARARGS, "The GLSZM's or GLDM's 15 shared features."},
    {"ngtdm_features", py_ngtdm_features, METH_VARARGS, "The NGTDM's 5 features."},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_features", NULL, -1, methods};

PyMODINIT_FUNC PyInit__features(void) { return PyModule_Create(&module); }
