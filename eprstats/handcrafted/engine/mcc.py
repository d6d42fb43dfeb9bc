"""The GLCM's Maximal Correlation Coefficient from a symmetric eigenproblem, with pyradiomics' value as the check.

pyradiomics (glcm.py, ``getMCCFeatureValue``) forms, per angle,
``Q(i, j) = sum_k P(i,k) P(j,k) / (p_x(i) p_y(k) + eps)`` and takes the second largest eigenvalue of the
non-symmetric ``Q`` with ``numpy.linalg.eigvals`` (LAPACK geev): on MRI-like images with 200-400 grey levels
this one call was 71% of a whole extraction here (46 of 65 s for three ROIs).

Without ``eps``, ``Q = D_x^-1 P D_y^-1 P^T`` is similar to the symmetric positive semi-definite matrix
``S = D_x^1/2 Q D_x^-1/2`` (Haralick 1973; the eigenvalues are those of a Markov operator). With ``eps`` the
similarity transform ``T = D_x^1/2 Q D_x^-1/2`` has exactly ``Q``'s eigenvalues and is symmetric up to a part
``A = (T - T^T)/2`` of relative size ``eps / (p_x p_y)`` (at most about 1e-6 for the rarest grey levels). For a
symmetric ``H = (T + T^T)/2`` with eigenpair ``(l, v)``, the first-order change of ``l`` under ``+A`` is
``v^T A v = 0`` (A is antisymmetric), so ``l(T) - l(H) = O(|A|^2 / gap)``. We therefore use LAPACK's symmetric
solver (syevd, several times faster than geev) on ``H`` and accept the result only when

* ``|A|_F^2 / gap`` is below 1e-13 of the eigenvalue (``gap``: distance to the nearest other eigenvalue), and
* the second largest eigenvalue is at least 1e-4 (below that ``sqrt`` turns the solvers' rounding noise of
  about 1e-16 into differences above 1e-10 relative, and pyradiomics' own value is noise-dominated),

and otherwise, for that angle only, takes pyradiomics' own ``Q`` (summed as pyradiomics sums it,
:func:`~eprstats.handcrafted.sparse_glcm._mcc_q_all_angles`) and its eigenvalues from ``eigvals``: the same
per-angle value as pyradiomics (on the demo, one angle of one of 40 matrices has two grey-level sets that
never neighbour each other there: two eigenvalues of nearly 1). Where such an eigenvalue is not positive
(pyradiomics' ``sqrt`` of it then depends on whether another angle made the array complex) or fewer than two
grey levels are present, :func:`mcc_fast` returns ``None`` and the caller computes pyradiomics' own value for
the image (bit-identical). Grey levels with ``p_x(i) = 0`` at an angle give zero rows and columns of ``Q`` and
so zero eigenvalues; they are dropped from ``H`` and the zeros added back.

``Q`` itself is one matrix product, ``Q = (P * W) P^T`` with ``W(i,k) = 1 / (p_x(i) p_y(k) + eps)``.

Reference: Haralick RM, Shanmugam K, Dinstein I. Textural features for image classification. IEEE Trans Syst
Man Cybern 1973;3:610-621.
"""
from __future__ import annotations

import numpy as np

from ..sparse_glcm import _mcc_q_all_angles
from . import fused, native

#: The compiled operands and symmetric part (engine/_mcc.c); None: numpy's (:func:`_second_largest_batch`).
_C = native.load("_mcc")

#: Below this second largest eigenvalue the symmetric path is not used (see the module text).
MIN_EIGENVALUE = 1e-4
#: Bound on the estimated second-order error |A|^2 / gap, relative to the eigenvalue.
MAX_RELATIVE_ERROR = 1e-13


def _second_largest_numpy(P, px, py, eps):
    """(second, exact) for P (Ng, Ng, angles): the second largest eigenvalue of each angle's Q from the
    symmetric path, and whether an angle failed a guard (its value must be pyradiomics' own); None when fewer
    than two grey levels are present.

    All angles in one batch: one matrix product and one stacked ``eigvalsh``; the arrays around them compiled
    (:func:`_second_largest_compiled`) where engine/_mcc.c is built, else numpy's (:func:`_second_largest_batch`).
    """
    keep = np.any(px > 0, axis=1)
    if _C is None or P.dtype != np.float64:
        return _second_largest_batch(P, px, py, eps, keep)
    return _second_largest_compiled(P, px, py, eps, np.flatnonzero(keep))


def _second_largest_batch(P, px, py, eps, keep):
    """(second, exact) as :func:`_second_largest_numpy`, all angles at once; ``keep``: the grey levels with
    p_x > 0 at some angle. A level kept but absent at one angle (p_x = 0 there: its row of P is exactly zero)
    gives an exactly zero row and column of Q, T, H and A at that angle (its scale factor is set to 1 instead
    of 0), so H has an exact zero eigenvalue there, as Q has."""
    n = int(keep.sum())
    if n < 2:
        return None
    Pk = np.ascontiguousarray(P[keep].transpose(2, 0, 1))  # (angles, n, Ng)
    pxk = px[keep].T  # (angles, n)
    # the arrays below are built in place (the same operations as W = 1 / (p_x p_y + eps), Q = (P * W) P^T,
    # T = s Q / s', H = (T + T') / 2, A = (T - T') / 2): temporaries of a few hundred kB each cost more than the
    # arithmetic (about 0.4 ms of 0.6 per matrix before)
    W = pxk[:, :, None] * py.T[:, None, :]
    W += eps
    np.divide(1.0, W, out=W)
    W *= Pk
    Q = np.matmul(W, Pk.transpose(0, 2, 1))
    s = np.sqrt(np.where(pxk > 0, pxk, 1.0))
    T = Q
    T *= s[:, :, None]
    T /= s[:, None, :]
    Tt = T.transpose(0, 2, 1)
    H = T + Tt
    H *= 0.5
    A = T - Tt
    A *= 0.5
    return _guarded(H, np.linalg.eigvalsh(H), np.sum(A * A, (1, 2)), lambda d: A[d])


def _second_largest_compiled(P, px, py, eps, keep):
    """:func:`_second_largest_batch` with the product's operands and H built by engine/_mcc.c (one pass each
    instead of numpy's gathers, transposes and temporaries: the same H; ``keep``: the kept levels' indices)."""
    n = keep.size
    if n < 2:
        return None
    Ng, _, Na = P.shape
    if P.flags.c_contiguous:
        base, transposed = P, 0
    elif P.transpose(1, 0, 2).flags.c_contiguous:  # the GLCM's column-major layout (engine/onepass.py)
        base, transposed = P.transpose(1, 0, 2), 1
    else:
        base, transposed = np.ascontiguousarray(P), 0
    px = np.ascontiguousarray(px, dtype=np.float64)
    py = np.ascontiguousarray(py, dtype=np.float64)
    if px.shape != (Ng, Na) or py.shape != (Ng, Na):
        raise ValueError(f"p_x {px.shape} and p_y {py.shape} do not match the GLCM {P.shape}")
    pxk, Pk, WPk = np.empty((Na, n)), np.empty((Na, n, Ng)), np.empty((Na, n, Ng))
    _C.weighted(base, transposed, px, py, keep.astype(np.int64), float(eps), Ng, Na, n, pxk, Pk, WPk)
    Q = np.matmul(WPk, Pk.transpose(0, 2, 1))
    H, A2 = np.empty_like(Q), np.empty(Na)
    _C.symmetric(Q, pxk, Na, n, H, A2)

    def antisymmetric(d):  # A of one angle, for the rare second-order check (numpy's operations)
        s = np.sqrt(np.where(pxk[d] > 0, pxk[d], 1.0))
        T = Q[d] * s[:, None]
        T /= s[None, :]
        return (T - T.T) * 0.5
    return _guarded(H, np.linalg.eigvalsh(H), A2, antisymmetric)


def _guarded(H, lam, A2, antisymmetric):
    """(second, exact) from H's eigenvalues ``lam`` (angles, n; ascending) and |A|_F^2 per angle ``A2``: the
    guards of the module text; ``antisymmetric(d)``: angle d's A, for the second-order check."""
    second = lam[:, -2]  # with the zeros of the levels never present added, the second largest when positive
    exact = ~(second >= MIN_EIGENVALUE)
    gap = lam[:, -1] - second
    if lam.shape[1] > 2:
        gap = np.minimum(gap, second - lam[:, -3])
    with np.errstate(divide="ignore", invalid="ignore"):
        ok = (A2 == 0) | ((gap > 0) & (A2 / gap <= MAX_RELATIVE_ERROR * second))
    for d in np.flatnonzero(~ok & ~exact):  # the crude bound failed (two close eigenvalues): the second-order term
        # (an exactly repeated eigenvalue fails it whatever the eigenvectors: no need to compute them)
        exact[d] = gap[d] == 0 or not _second_order_ok(H[d], antisymmetric(d), lam[d], second[d])
    return second, exact


def _second_order_ok(H, A, lam, second, top: int = 8):
    """Whether the second-order change of the eigenvalue under A, -sum_j c_j^2 / (l_2 - l_j) with
    c_j = v_j^T A v_2, is below MAX_RELATIVE_ERROR of it (and the expansion valid: |c_j| < 1% of each gap).

    The top eigenvectors come from numpy's ``eigh`` (LAPACK syevd; this path is rare, and numpy's solver keeps
    scipy.linalg -- about 0.5 s of imports -- out of the extraction); the other terms are bounded together by
    |A v_2|^2 / (distance to the largest eigenvalue outside the top ones).
    """
    n = H.shape[0]
    k = min(top, n)
    vals, vecs = np.linalg.eigh(H)
    vals, vecs = vals[n - k:], vecs[:, n - k:]
    v2 = vecs[:, -2]
    Av2 = A @ v2
    c = vecs.T @ Av2
    d = vals[-2] - vals
    near = np.ones(k, dtype=bool)
    near[-2] = False
    if np.any(np.abs(c[near]) >= 0.01 * np.abs(d[near])):
        return False
    total = float(np.sum(c[near] ** 2 / np.abs(d[near])))
    if k < n:
        rest = max(float(Av2 @ Av2) - float(c @ c), 0.0)
        total += rest / (vals[-2] - lam[n - k - 1])
    return total <= MAX_RELATIVE_ERROR * second


def _second_largest_torch(P, px, py, eps, device):
    """As :func:`_second_largest_numpy` with torch (float64) on ``device``: all angles in one batch, and the
    second-order term always from the full eigendecomposition (cheap on a GPU)."""
    import torch

    Ng, _, Nd = P.shape
    keep_all = px > 0
    if not np.all(keep_all == keep_all[:, :1]):  # a grey level absent at some angles only (rare): per angle
        return _second_largest_numpy(P, px, py, eps)
    keep = keep_all[:, 0]
    n = int(keep.sum())
    if n < 2:
        return None
    t = torch.as_tensor(np.ascontiguousarray(P[keep].transpose(2, 0, 1)), dtype=torch.float64, device=device)
    tpx = torch.as_tensor(np.ascontiguousarray(px[keep].T), dtype=torch.float64, device=device)
    tpy = torch.as_tensor(np.ascontiguousarray(py.T), dtype=torch.float64, device=device)
    W = 1.0 / (tpx[:, :, None] * tpy[:, None, :] + eps)
    Q = torch.matmul(t * W, t.transpose(1, 2))
    s = torch.sqrt(tpx)
    T = s[:, :, None] * Q / s[:, None, :]
    H = 0.5 * (T + T.transpose(1, 2))
    A = 0.5 * (T - T.transpose(1, 2))
    lam, V = torch.linalg.eigh(H)
    v2 = V[:, :, -2]
    c = torch.matmul(V.transpose(1, 2), torch.matmul(A, v2[:, :, None]))[:, :, 0]
    d = lam[:, -2:-1] - lam
    d[:, -2] = 1.0
    c[:, -2] = 0.0
    valid = torch.all(torch.abs(c) < 0.01 * torch.abs(d), dim=1)
    total = torch.sum(c ** 2 / torch.abs(d), dim=1)
    lam, valid, total = lam.cpu().numpy(), valid.cpu().numpy(), total.cpu().numpy()
    if n < Ng:
        lam = np.sort(np.concatenate([lam, np.zeros((Nd, Ng - n))], axis=1), axis=1)
    second = lam[:, -2]
    exact = ~((second >= MIN_EIGENVALUE) & valid & (total <= MAX_RELATIVE_ERROR * second))
    return second, exact


def mcc_fast(P_glcm, px, py, eps, torch_device: str | None = None):
    """MCC as pyradiomics defines it, from the symmetric path; None when the image needs pyradiomics' own.

    ``P_glcm`` (1, Ng, Ng, angles), ``px`` (1, Ng, 1, angles), ``py`` (1, 1, Ng, angles) as in pyradiomics'
    GLCM class (segment-based: one "voxel"). ``torch_device``: compute with torch (float64) on that device.
    """
    if P_glcm.shape[0] != 1:
        return None  # voxel-based: pyradiomics' code
    Ng = P_glcm.shape[1]
    if Ng < 2:
        return 1  # pyradiomics: flat region, an arbitrary 1
    P = P_glcm[0]
    pxs = px[0, :, 0, :]
    pys = py[0, 0, :, :]
    if torch_device is None:
        got = _second_largest_numpy(P, pxs, pys, eps)
    else:  # torch, float64, on that device ("cuda", or "cpu" in the tests of the GPU path)
        got = _second_largest_torch(P, pxs, pys, eps, torch_device)
    if got is None:
        return None
    second, exact = got
    mcc = np.sqrt(np.where(exact, 1.0, second))
    if exact.any():
        own = _pyradiomics_angles(P, pxs, pys, eps, np.flatnonzero(exact))
        if own is None:
            return None
        mcc[exact] = own
    return np.array([np.mean(mcc)])


def _pyradiomics_angles(P, px, py, eps, angles):
    """pyradiomics' MCC term of each of ``angles``: the square root of the second largest eigenvalue of its
    ``Q`` (pyradiomics' sums, numpy's ``eigvals``); None when one is not positive (pyradiomics' value then
    depends on the other angles: a real array gives NaN, a complex one 0)."""
    if P.dtype == np.float64 and px.dtype == np.float64 and py.dtype == np.float64:
        # compiled, the same sums (an angle of a 100-level matrix: 10 ms in numpy, 1 ms here)
        Q = fused.mcc_q(P[:, :, angles], px[:, angles], py[:, angles], eps)
    else:
        Q = _mcc_q_all_angles(P[:, :, angles], px[:, angles], py[:, angles], eps)
    eigenvalues = np.linalg.eigvals(Q.transpose((2, 0, 1)))
    eigenvalues.sort()
    second = eigenvalues[:, -2]
    if not np.all(second.real > 0):
        return None
    return np.sqrt(second).real
