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
 * double is converted first (numba's typing). Terms that are a zero times a finite number are skipped where
 * the kernel skipped them or where adding them cannot change a sum: every accumulator starts at +0.0 and an
 * IEEE sum never turns it into -0.0, so adding +-0.0 leaves it as it is. */
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
} Glcm;

/* The outputs (one buffer from Python) and the per-angle sums (scratch). */
typedef struct {
    double *px, *py, *ux, *uy, *addy, *suby, *hxy, *F;
    double *auto_, *contrast, *energy, *maxprob, *sigx2, *sigy2, *corm, *hxy1, *hxy2, *prom, *shade, *tend;
    double *t2, *t3, *t4;
} GlcmSums;

/* Row-major (i, j, d): the marginals, the grouped sums p_x+y, p_x-y and the sums of P times an (i, j) array. */
static void glcm_row_major_sums(const Glcm *g, GlcmSums *s)
{
    const Py_ssize_t n = g->n, Nd = g->Nd;
    for (Py_ssize_t i = 0; i < n; i++) {
        const double li = g->lv[i];
        for (Py_ssize_t j = 0; j < n; j++) {
            const double lj = g->lv[j];
            const Py_ssize_t ks = (Py_ssize_t)(li + lj) - 2, kd = (Py_ssize_t)fabs(li - lj);
            const double ij = li * lj, ad = fabs(li - lj), d2 = ad * ad;
            const double *p = g->P + i * g->si + j * g->sj;
            double *pxi = s->px + i * Nd, *pyj = s->py + j * Nd, *a = s->addy + ks * Nd, *b = s->suby + kd * Nd;
            for (Py_ssize_t d = 0; d < Nd; d++) {
                const double v = p[d];
                if (v == 0.0)
                    continue; /* +-0 terms: no change (see the top) */
                pxi[d] += v;
                pyj[d] += v;
                a[d] += v;
                b[d] += v;
                s->auto_[d] += v * ij;
                s->contrast[d] += v * d2;
            }
        }
    }
}

/* P's own order (j outer when column_major): the means, energy, maximum and joint entropy. */
static void glcm_own_order_sums(const Glcm *g, GlcmSums *s)
{
    const Py_ssize_t n = g->n, Nd = g->Nd;
    for (Py_ssize_t a = 0; a < n; a++) {
        for (Py_ssize_t b = 0; b < n; b++) {
            const Py_ssize_t i = g->column_major ? b : a, j = g->column_major ? a : b;
            const double li = g->lv[i], lj = g->lv[j];
            const double *p = g->P + i * g->si + j * g->sj;
            for (Py_ssize_t d = 0; d < Nd; d++) {
                const double v = p[d];
                s->ux[d] += li * v;
                s->uy[d] += lj * v;
                s->energy[d] += v * v;
                if (v > s->maxprob[d])
                    s->maxprob[d] = v;
                if (v != 0.0)
                    s->hxy[d] += v * log2(v + g->eps);
            }
        }
    }
    for (Py_ssize_t d = 0; d < Nd; d++)
        s->hxy[d] = (-1.0) * s->hxy[d];
}

/* (i + j) - ux - uy and its powers, once per value of i + j. */
static void glcm_sum_powers(const Glcm *g, GlcmSums *s)
{
    const Py_ssize_t Nd = g->Nd, nk = 2 * g->Ng - 1;
    for (Py_ssize_t k = 0; k < nk; k++) {
        for (Py_ssize_t d = 0; d < Nd; d++) {
            const double t = ((double)k + 2.0) - s->ux[d] - s->uy[d];
            s->t2[k * Nd + d] = t * t;
            s->t3[k * Nd + d] = pow(t, 3.0);
            s->t4[k * Nd + d] = pow(t, 4.0);
        }
    }
}

/* P's own order: the variances and the correlation's numerator. */
static void glcm_moment_sums(const Glcm *g, GlcmSums *s)
{
    const Py_ssize_t n = g->n, Nd = g->Nd;
    for (Py_ssize_t a = 0; a < n; a++) {
        for (Py_ssize_t b = 0; b < n; b++) {
            const Py_ssize_t i = g->column_major ? b : a, j = g->column_major ? a : b;
            const double li = g->lv[i], lj = g->lv[j];
            const double *p = g->P + i * g->si + j * g->sj;
            for (Py_ssize_t d = 0; d < Nd; d++) {
                const double v = p[d];
                if (v == 0.0)
                    continue;
                const double dx = li - s->ux[d], dy = lj - s->uy[d];
                s->sigx2[d] += v * (dx * dx);
                s->sigy2[d] += v * (dy * dy);
                s->corm[d] += v * dx * dy;
            }
        }
    }
}

/* Row-major: the sums with (i + j) - ux - uy or p_x p_y. */
static void glcm_product_sums(const Glcm *g, GlcmSums *s)
{
    const Py_ssize_t n = g->n, Nd = g->Nd;
    for (Py_ssize_t i = 0; i < n; i++) {
        const double li = g->lv[i];
        const double *pxi = s->px + i * Nd;
        for (Py_ssize_t j = 0; j < n; j++) {
            const Py_ssize_t ks = (Py_ssize_t)(li + g->lv[j]) - 2;
            const double *p = g->P + i * g->si + j * g->sj, *pyj = s->py + j * Nd;
            const double *t2 = s->t2 + ks * Nd, *t3 = s->t3 + ks * Nd, *t4 = s->t4 + ks * Nd;
            for (Py_ssize_t d = 0; d < Nd; d++) {
                const double v = p[d], pxpy = pxi[d] * pyj[d];
                const double lg = pxpy != 0.0 ? log2(pxpy + g->eps) : 0.0;
                s->hxy2[d] += pxpy * lg;
                if (v == 0.0)
                    continue;
                s->prom[d] += v * t4[d];
                s->shade[d] += v * t3[d];
                s->tend[d] += v * t2[d];
                s->hxy1[d] += v * lg;
            }
        }
    }
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
    double *scratch = calloc((size_t)((12 + 3 * nk) * Nd), sizeof(double));
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
    for (Py_ssize_t d = 0; d < Nd; d++)
        s->maxprob[d] = -INFINITY;
    return scratch;
}

/* 0, or -1 out of memory. */
static int glcm_pass(const Glcm *g, double *out)
{
    GlcmSums s;
    double *scratch = glcm_sums_init(g, out, &s);
    if (scratch == NULL)
        return -1;
    glcm_row_major_sums(g, &s);
    glcm_own_order_sums(g, &s);
    glcm_sum_powers(g, &s);
    glcm_moment_sums(g, &s);
    glcm_product_sums(g, &s);
    double f[GLCM_NF];
    for (Py_ssize_t d = 0; d < g->Nd; d++) {
        glcm_joint_features(g, &s, d, f);
        glcm_grouped_features(g, &s, d, f);
        for (int k = 0; k < GLCM_NF; k++)
            s.F[k * g->Nd + d] = f[k];
    }
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

/* glrlm_features(P, ivector, jvector, Nr, out, Ng, Nl, Na) -> 0 or -1 (no memory); P (Ng, Nl, Na), out (16). */
static PyObject *py_glrlm_features(PyObject *self, PyObject *args)
{
    Py_buffer P, iv, jv, Nr, out;
    Py_ssize_t Ng, Nl, Na;
    int status;
    if (!PyArg_ParseTuple(args, "y*y*y*y*w*nnn", &P, &iv, &jv, &Nr, &out, &Ng, &Nl, &Na))
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

/* zone_features(P, ivector, jvector, out, Ng, Ns, Nz) -> 0 or -1 (no memory); P (Ng, Ns), out (15). */
static PyObject *py_zone_features(PyObject *self, PyObject *args)
{
    Py_buffer P, iv, jv, out;
    Py_ssize_t Ng, Ns;
    double Nz;
    int status;
    if (!PyArg_ParseTuple(args, "y*y*y*w*nnd", &P, &iv, &jv, &out, &Ng, &Ns, &Nz))
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

/* ngtdm_features(p_i, s_i, ivector, out, Ng, Nvp, Ngp) -> 0; the vectors (Ng), out (5). */
static PyObject *py_ngtdm_features(PyObject *self, PyObject *args)
{
    Py_buffer p, s, iv, out;
    Py_ssize_t Ng;
    double Nvp, Ngp;
    if (!PyArg_ParseTuple(args, "y*y*y*w*ndd", &p, &s, &iv, &out, &Ng, &Nvp, &Ngp))
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
