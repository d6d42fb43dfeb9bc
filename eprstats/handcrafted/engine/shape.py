"""Shape features (3-D and 2-D) with pyradiomics' marching-cubes mesh, computed by vectorised numpy.

pyradiomics' shape classes spend nearly all their time in ``radiomics._cshape.calculate_coefficients`` (C):
one pass over the 2x2x2 cubes of the padded mask for the mesh's surface area and volume, then the maximum
diameters by comparing every pair of mesh vertices (quadratic in the number of vertices: 0.13 s for a 6,000
voxel peritumoral ring). :func:`mesh_coefficients` and :func:`mesh_coefficients_2d` return the same numbers:

* the cube indices, the triangles (pyradiomics' look-up table) and their terms by array operations, each term
  with the C code's operations in its order, and the totals as running sums in the C loop's order
  (``numpy.cumsum`` adds sequentially), so the surface area and volume are the C code's, bit for bit;
* the maximum diameters from fewer pairs. The vertex farthest from any point is found among the vertices that
  are the first or last on each of their axis-parallel grid lines: moving a vertex to the farther end of its
  line along axis d increases ``|a_d - b_d|`` and leaves the other coordinates alone, and rounding is monotone,
  so the computed squared distance cannot decrease. Repeating this (the exact distance grows each time, so it
  ends) reaches a vertex that is an end on all its lines, with a computed distance at least the maximum. For
  the in-plane diameters (both vertices in one slice, row or column plane) only the moves inside the plane are
  needed. The maxima are therefore the C code's values exactly (tested against it, all 256 cube
  configurations and random masks).

:func:`shape_class` gives the engine's subclasses of ``RadiomicsShape`` / ``RadiomicsShape2D`` whose
constructors call these functions instead of the C code; every feature is then pyradiomics' own method.

Reference: pyradiomics 3.1, ``radiomics/src/cshape.c`` and ``radiomics/shape.py``, ``shape2D.py``
(van Griethuysen JJM et al., Cancer Res 2017;77:e104); Lorensen WE, Cline HE, Marching cubes, SIGGRAPH 1987.
"""
from __future__ import annotations

import collections
import itertools
import logging

import numpy as np

from . import native
from .label_box import BoxCrop

#: The mesh's area and volume compiled (engine/_prep.c); None: numpy's (:func:`_area_volume`).
_C = native.load("_prep")

# pyradiomics' cube corners (z, y, x offsets of the 8 points, bit a of the cube index is point a).
_GRID_ANGLES = ((0, 0, 0), (0, 0, 1), (0, 1, 1), (0, 1, 0), (1, 0, 0), (1, 0, 1), (1, 1, 1), (1, 1, 0))
# The 12 edge midpoints of a cube (vertList of cshape.c).
_VERT = np.array([[0, 0, .5], [0, .5, 1], [0, 1, .5], [0, .5, 0], [1, 0, .5], [1, .5, 1], [1, 1, .5],
                  [1, .5, 0], [.5, 0, 0], [.5, 0, 1], [.5, 1, 1], [.5, 1, 0]])
# triTable of cshape.c for cube indices 0-127 (an index >= 128 is flipped): the edges of each cube's
# triangles, three hexadecimal digits per triangle ("-": none).
_TRI_HEX = (
    "- 083 190 183198 12a 08312a 92a029 2832a8a98 b23 b2008b 190b23 b2119b98b 3a1ba3 a1008a8ba 9033b9ba9 98aba8 "
    "478 043473 190478 194147173 12a478 34730412a 92a902478 2a9297273479 478b23 b47b24204 190478b23 "
    "47b94bb29192 3a1ba3478 ba114b10447b 4789033b9ba9 47b4b99ba 954 954083 054015 854835315 12a954 08312a954 "
    "2a5542240 2a5325354834 954b23 b2008b954 054015b23 215258b28548 3a1ba3954 549a1008a8ba 54050ba5bb03 "
    "548a58ba8 789579 309539357 780017715 157173 78957912a 12a309395357 0288258572a5 2a5253357 579789b23 "
    "579972209b27 b23018178157 21b17b157 7895793a1ba3 5705097b0a10ba0 ba003ba50078570 ba557b 65a 08365a "
    "19065a 18319865a 165126 165126083 965906026 598582526832 b2365a b2008b65a 190b2365a b2119b98b65a "
    "63b653513 08b0b50515b6 63b036065059 65969bb98 47865a 04347365a 19047865a 19414717365a 478165126 "
    "043473165126 478965906026 739479329596269 b2347865a b47b2420465a 190b2347865a 47b94bb2919265a "
    "47863b653513 51b5b610b47b04b 47863b036065059 65969b4797b9 a4964a a4964a083 01aa60640 18316886461a "
    "149124264 149124264083 024426 832824426 b23a4964a b2008ba4964a b2301aa60640 64161a148b2118b "
    "964369139b63 18b081b61149641 63b036640 86468b 67a78a89a 67a0a709a073 67a1a7178018 67a1a7173 "
    "126168189678 269129679309739 078706602 273267 b2367a78a89a 207b2709767a9a7 67a1a7178018b23 b2117ba61167 "
    "896678169b63136 09167b 07870603bb60 67b")
_TRI = np.zeros((128, 15), dtype=np.intp)
_NTRI = np.zeros(128, dtype=np.intp)
for _i, _row in enumerate(_TRI_HEX.split()):
    _edges = [] if _row == "-" else [int(ch, 16) for ch in _row]
    _TRI[_i, :len(_edges)] = _edges
    _NTRI[_i] = len(_edges) // 3
# The vertices kept for the diameters: those on the edges from corner 7 (edges 6, 7, 11), crossed when corner
# 6, 4 or 3 is segmented (corner 7 never is after the flip), so that each grid edge is counted once.
_POINTS_EDGES = ((6, 6), (4, 7), (3, 11))
_TRI64, _NTRI64 = _TRI.astype(np.int64), _NTRI.astype(np.int64)  # the compiled loop's tables

# The 2-D table (lineTable2D, vertList2D, gridAngles2D of cshape.c).
_GRID_ANGLES_2D = ((0, 0), (0, 1), (1, 1), (1, 0))
_VERT_2D = np.array([[0, .5], [.5, 1], [1, .5], [.5, 0]])
_LINES_2D = ((), ((3, 0),), ((0, 1),), ((3, 1),), ((1, 2),), ((1, 2), (3, 0)), ((0, 2),), ((3, 2),),
             ((2, 3),), ((2, 0),), ((0, 1), (2, 3)), ((2, 1),), ((1, 3),), ((1, 0),), ((0, 3),), ())
_LINE = np.zeros((16, 4), dtype=np.intp)
_NLINE = np.zeros(16, dtype=np.intp)
for _i, _lines in enumerate(_LINES_2D):
    _flat = [e for line in _lines for e in line]
    _LINE[_i, :len(_flat)] = _flat
    _NLINE[_i] = len(_lines)
_POINTS_EDGES_2D = ((0, 3), (2, 2))

#: Pairs of points compared at once in the diameter search (bounds its memory to about 100 MB).
_PAIR_BLOCK = 4_000_000


def _corner_index(mask: np.ndarray, angles) -> np.ndarray:
    """The cube (square) index of every cell: bit a set when corner a is in the mask."""
    cells = tuple(n - 1 for n in mask.shape)
    index = np.zeros(cells, dtype=np.uint8)
    for bit, offset in enumerate(angles):
        window = tuple(slice(o, o + c) for o, c in zip(offset, cells))
        index |= mask[window].view(np.uint8) << np.uint8(bit)
    return index


def _running_total(terms: np.ndarray) -> float:
    # The C code adds term after term; cumsum adds in the same order (numpy's sum would add pairwise).
    return float(np.cumsum(terms)[-1]) if terms.size else 0.0


def _vertices(index: np.ndarray, points_edges, vert, spacing):
    """Vertex coordinates (n, d) and their doubled grid coordinates (integers, to find the grid lines)."""
    if _C is not None:  # the same values in one compiled pass per (corner, edge) pair (engine/_prep.c)
        return _compiled_vertices(index, points_edges, vert, spacing)
    coords, grid = [], []
    for corner, edge in points_edges:
        cells = np.nonzero(index & np.uint8(1 << corner))
        for dim, cell in enumerate(cells):
            if dim == 0:
                coords.append([])
                grid.append([])
            coords[-1].append((cell.astype(np.float64) + vert[edge, dim]) * spacing[dim])
            grid[-1].append(2 * cell + int(2 * vert[edge, dim]))
    if not coords:
        return np.zeros((0, len(spacing))), np.zeros((0, len(spacing)), dtype=np.intp)
    return (np.concatenate([np.stack(c, axis=1) for c in coords]),
            np.concatenate([np.stack(g, axis=1) for g in grid]))


def _compiled_vertices(index, points_edges, vert, spacing):
    index = np.ascontiguousarray(index, dtype=np.uint8)
    d = index.ndim
    corners = np.array([c for c, _ in points_edges], dtype=np.int64)
    edges = np.array([e for _, e in points_edges], dtype=np.int64)
    if d not in (2, 3) or np.asarray(vert).shape[1] != d or len(spacing) != d:
        raise ValueError("a 2-D or 3-D cube index with matching vertices and spacing expected")
    k = sum(int(np.count_nonzero(index & np.uint8(1 << c))) for c in corners)
    points, grid = np.empty((k, d)), np.empty((k, d), dtype=np.int64)
    _C.mesh_vertices(index, *((1,) * (3 - d) + index.shape), d, corners, edges, len(corners),
                     np.ascontiguousarray(vert, dtype=np.float64), np.ascontiguousarray(spacing, dtype=np.float64),
                     points, grid)
    return points, grid


def _directions(ndim: int):
    """The lattice directions with components in {-1, 0, 1} (first non-zero one positive), axes first, each
    with integer vectors spanning its orthogonal complement (a point's line along it is fixed by their dot
    products)."""
    out = []
    for u in sorted(itertools.product((-1, 0, 1), repeat=ndim), key=lambda u: sum(map(abs, u))):
        if not any(u) or next(x for x in u if x) < 0:
            continue
        u = np.array(u)
        if ndim == 2:
            normals = [np.array([-u[1], u[0]])]
        else:
            normals = []
            for axis in np.eye(3, dtype=int):
                n = np.cross(u, axis)
                if n.any() and not any(not np.cross(n, m).any() for m in normals):
                    normals.append(n)
            normals = normals[:2]
        out.append((u, np.stack(normals, axis=1)))
    return out


_DIRECTIONS = {2: _directions(2), 3: _directions(3)}


def _line_ends(grid: np.ndarray, u, normals) -> np.ndarray:
    """True for the vertices that are the first or last vertex on their grid line along direction ``u``."""
    def dot(vector):  # grid @ vector for a vector of -1, 0, 1 (numpy's integer matmul is slow)
        total = np.zeros(len(grid), dtype=np.int64)
        for dim, weight in enumerate(vector):
            if weight:
                total += grid[:, dim] if weight > 0 else -grid[:, dim]
        return total
    lines = [dot(n) for n in normals.T]
    key = lines[0] - lines[0].min()
    if len(lines) > 1:
        second = lines[1] - lines[1].min()
        key = key * (int(second.max()) + 1) + second
    position = dot(u)
    lowest = np.full(int(key.max()) + 1, position.max())
    highest = np.full(int(key.max()) + 1, position.min())
    np.minimum.at(lowest, key, position)
    np.maximum.at(highest, key, position)
    return (position == lowest[key]) | (position == highest[key])


def _max_squared_distance(points: np.ndarray) -> float:
    """The largest squared distance between two of ``points``, each as the C code computes it."""
    if _C is not None:  # the same terms, each pair once (engine/_prep.c)
        return _compiled_max(points, np.zeros(1, dtype=np.int64), 0)
    n = len(points)
    best = 0.0
    rows = max(1, _PAIR_BLOCK // max(n, 1))
    for start in range(0, n, rows):
        block = points[start:start + rows]
        total = None
        for dim in range(points.shape[1]):
            diff = block[:, None, dim] - points[None, :, dim]
            term = diff * diff
            total = term if total is None else total + term  # ((dz^2 + dy^2) + dx^2), the C code's order
        best = max(best, float(total.max()))
    return best


def _compiled_max(points, plane, by_plane):
    points = np.ascontiguousarray(points, dtype=np.float64)
    plane = np.ascontiguousarray(plane, dtype=np.int64)
    if points.ndim != 2 or (by_plane and plane.shape != (len(points),)):
        raise ValueError("points (k, d) and one plane value per point expected")
    out = np.zeros(1)
    _C.max_distance(points, len(points), points.shape[1], plane, by_plane, out)
    return float(out[0])


def _plane_max(points: np.ndarray, plane: np.ndarray) -> float:
    """The largest squared distance between two of ``points`` with the same ``plane`` value."""
    if len(points) < 2:
        return 0.0
    order = np.argsort(plane, kind="stable")
    points, plane = points[order], plane[order]
    if _C is not None:  # the pairs of each plane, each once (engine/_prep.c)
        return _compiled_max(points, plane, 1)
    starts = np.flatnonzero(np.r_[True, plane[1:] != plane[:-1]])
    sizes = np.diff(np.r_[starts, len(plane)])
    # every ordered pair (i, j) of one plane: i repeated once per member of its plane
    group_size = np.repeat(sizes, sizes)
    group_start = np.repeat(starts, sizes)
    left = np.repeat(np.arange(len(plane)), group_size)
    offset = np.arange(left.size) - np.repeat(np.cumsum(group_size) - group_size, group_size)
    right = np.repeat(group_start, group_size) + offset
    total = None
    for dim in range(points.shape[1]):
        diff = points[left, dim] - points[right, dim]
        term = diff * diff
        total = term if total is None else total + term
    return float(total.max())


def _diameters(points: np.ndarray, grid: np.ndarray):
    """The C code's squared diameters: for each axis d, the largest distance between two vertices with the
    same coordinate d, then the largest of all; from the vertices at the ends of their grid lines."""
    directions = _DIRECTIONS[grid.shape[1]]
    everything = (1 << len(directions)) - 1
    if len(grid) <= 2:
        ends = np.full(len(grid), everything, dtype=np.uint16)
    else:
        ends = _end_bits(grid, directions)
    if grid.shape[1] == 2:
        return (_max_squared_distance(points[ends == everything]),)
    out = []
    for axis in range(3):
        # the lines inside a plane of constant coordinate ``axis``
        inside = sum(1 << k for k, (u, _) in enumerate(directions) if u[axis] == 0)
        kept = (ends & inside) == inside
        out.append(_plane_max(points[kept], grid[kept, axis]))
    out.append(_max_squared_distance(points[ends == everything]))
    return tuple(out)


def _end_bits(grid, directions):
    """Bit k set for the vertices at an end of their grid line along ``directions[k]`` (:func:`_line_ends`):
    all directions in one compiled call (engine/_prep.c) where built."""
    if _C is None:
        bits = np.zeros(len(grid), dtype=np.uint16)
        for k, (u, normals) in enumerate(directions):
            bits |= _line_ends(grid, u, normals).astype(np.uint16) << np.uint16(k)
        return bits
    table = _END_TABLES.get(len(directions))
    if table is None:  # the directions and their normals as two int64 arrays (the normals padded to 2)
        normals = [np.pad(n, ((0, 0), (0, 2 - n.shape[1]))) if n.shape[1] < 2 else n for _, n in directions]
        table = _END_TABLES[len(directions)] = (np.array([u for u, _ in directions], dtype=np.int64),
                                                np.ascontiguousarray(np.stack(normals), dtype=np.int64))
    grid = np.ascontiguousarray(grid, dtype=np.int64)
    out = np.empty(len(grid), dtype=np.uint16)
    _C.line_ends(grid, len(grid), grid.shape[1], table[0], table[1], 2, len(directions), out)
    return out


#: The compiled line-end search's direction tables, by number of directions (4 in 2-D, 13 in 3-D).
_END_TABLES: dict = {}


def _area_volume(index, flipped, spacing):
    """(surface area, volume) of the mesh of the cubes ``index`` (flipped where ``flipped``): compiled
    (engine/_prep.c, the same terms added in the same order: about 1 instead of 6 ms for the demo's ring) where
    built, else by array operations."""
    if _C is not None:
        out = np.empty(2)
        _C.mesh_area_volume(index, flipped.view(np.uint8), *index.shape, spacing, _TRI64, _NTRI64, _VERT, out)
        return float(out[0]), float(out[1]) / 6  # Python floats, as the array path's
    cells = np.flatnonzero(index)
    cube = index.ravel()[cells]
    ntri = _NTRI[cube]
    tri_cell = np.repeat(cells, ntri)
    first = np.cumsum(ntri) - ntri
    t = np.arange(tri_cell.size) - np.repeat(first, ntri)
    tri_cube = np.repeat(cube, ntri)
    sign = np.where(np.repeat(flipped.ravel()[cells], ntri), -1.0, 1.0)
    position = np.unravel_index(tri_cell, index.shape)
    a, b, c = [[(position[d].astype(np.float64) + _VERT[_TRI[tri_cube, 3 * t + k], d]) * spacing[d]
                for d in range(3)] for k in range(3)]
    # volume: the signed tetrahedra between each face and the origin, a x b . c, divided by 6 at the end
    cross = (a[1] * b[2] - b[1] * a[2], a[2] * b[0] - b[2] * a[0], a[0] * b[1] - b[0] * a[1])
    volume = _running_total(sign * (cross[0] * c[0] + cross[1] * c[1] + cross[2] * c[2])) / 6
    # surface area: half the length of (a - c) x (b - c)
    a = [a[d] - c[d] for d in range(3)]
    b = [b[d] - c[d] for d in range(3)]
    cross = (a[1] * b[2] - b[1] * a[2], a[2] * b[0] - b[2] * a[0], a[0] * b[1] - b[0] * a[1])
    area = _running_total(0.5 * np.sqrt(cross[0] * cross[0] + cross[1] * cross[1] + cross[2] * cross[2]))
    return area, volume


def mesh_coefficients(mask, spacing):
    """(surface area, volume, (max 2-D diameter slice, column, row, max 3-D diameter)) of a 3-D mask.

    ``mask``: boolean (or 0/1) array (z, y, x) padded with a layer of zeros, ``spacing``: (z, y, x) in mm;
    the values of ``radiomics.cShape.calculate_coefficients(mask, spacing)``.
    """
    mask = np.ascontiguousarray(np.asarray(mask) != 0)
    spacing = np.asarray(spacing, dtype=np.float64)
    if mask.ndim != 3 or spacing.shape != (3,):
        raise ValueError("mesh_coefficients needs a 3-D mask and 3 spacings")
    if min(mask.shape) < 2:
        return 0.0, 0.0, (0.0, 0.0, 0.0, 0.0)
    index = _corner_index(mask, _GRID_ANGLES)
    # The surface is symmetric about the midpoint: an index >= 128 is flipped and its volume negated. (The C
    # code's vertex-stack overflow check cannot fail: it holds 9 values a cube, at most 9 are stored.)
    flipped = index >= 128
    index[flipped] ^= np.uint8(0xFF)
    points, grid = _vertices(index, _POINTS_EDGES, _VERT, spacing)

    area, volume = _area_volume(index, flipped, spacing)
    return area, volume, tuple(float(np.sqrt(d)) for d in _diameters(points, grid))


def mesh_coefficients_2d(mask, spacing):
    """(perimeter, surface, maximum diameter) of a 2-D mask padded with zeros: the values of
    ``radiomics.cShape.calculate_coefficients2D(mask, spacing)``."""
    mask = np.ascontiguousarray(np.asarray(mask) != 0)
    spacing = np.asarray(spacing, dtype=np.float64)
    if mask.ndim != 2 or spacing.shape != (2,):
        raise ValueError("mesh_coefficients_2d needs a 2-D mask and 2 spacings")
    if min(mask.shape) < 2:
        return 0.0, 0.0, 0.0
    index = _corner_index(mask, _GRID_ANGLES_2D)
    flat = index.ravel()
    busy = (flat != 0) & (flat != 15)
    # The C code stores at most 2 vertices (4 values) a square in a stack of 4 values a square, but checks for
    # room for 9 before each square with lines: replicate that check and its error.
    flipped = np.where(flat > 7, flat ^ np.uint8(15), flat)
    stored = np.where(busy, 2 * (((flipped & 1) != 0).astype(np.intp) + ((flipped & 4) != 0)), 0)
    before = np.cumsum(stored) - stored
    if np.any(busy & (before + 9 > 4 * flat.size)):
        raise RuntimeError("Calculation of Shape coefficients failed.")

    cells = np.flatnonzero(busy)
    square = flat[cells]
    nline = _NLINE[square]
    line_cell = np.repeat(cells, nline)
    t = np.arange(line_cell.size) - np.repeat(np.cumsum(nline) - nline, nline)
    line_square = np.repeat(square, nline)
    position = np.unravel_index(line_cell, index.shape)
    a, b = [[(position[d].astype(np.float64) + _VERT_2D[_LINE[line_square, 2 * t + k], d]) * spacing[d]
             for d in range(2)] for k in range(2)]
    surface = _running_total(a[0] * b[1] - b[0] * a[1]) / 2
    d0, d1 = a[0] - b[0], a[1] - b[1]
    perimeter = _running_total(np.sqrt(d0 * d0 + d1 * d1))

    kept = np.where(busy, flipped, 0).astype(np.uint8).reshape(index.shape)
    points, grid = _vertices(kept, _POINTS_EDGES_2D, _VERT_2D, spacing)
    return perimeter, surface, float(np.sqrt(_diameters(points, grid)[0]))


def _principal_moments(fc, coordinates):
    """pyradiomics' eigenvalues of the voxel coordinates' covariance (its code, for the axis features)."""
    Np = len(coordinates[0])
    physical = np.array(coordinates, dtype="int").transpose((1, 0)) * fc.pixelSpacing[None, :]
    physical -= np.mean(physical, axis=0)
    physical /= np.sqrt(Np)
    covariance = np.dot(physical.T.copy(), physical)
    eigen = np.linalg.eigvals(covariance)
    machine_errors = np.bitwise_and(eigen < 0, eigen > -1e-10)
    if np.sum(machine_errors) > 0:
        fc.logger.warning("Encountered %d eigenvalues < 0 and > -1e-10, rounding to 0", np.sum(machine_errors))
        eigen[machine_errors] = 0
    eigen.sort()
    return eigen


def shape_class(name: str, base):
    """The engine's class for pyradiomics' shape class ``base`` (``shape`` or ``shape2D``): the same features,
    its mesh from :func:`mesh_coefficients` / :func:`mesh_coefficients_2d` instead of the C code."""
    import SimpleITK as sitk

    if name == "shape":
        class EngineShape(base):
            def _initSegmentBasedCalculation(self):
                self.pixelSpacing = np.array(self.inputImage.GetSpacing()[::-1])
                # pyradiomics pads the mask image with a layer of 0s (ConstantPadImageFilter); padding the
                # array is the same array
                self.maskArray = np.pad(sitk.GetArrayViewFromImage(self.inputMask), 1) == self.label
                self.labelledVoxelCoordinates = np.where(self.maskArray != 0)
                self.SurfaceArea, self.Volume, self.diameters = mesh_coefficients(self.maskArray,
                                                                                  self.pixelSpacing)
                self.eigenValues = _principal_moments(self, self.labelledVoxelCoordinates)
        cls = EngineShape
    elif name == "shape2D":
        class EngineShape2D(base):
            def _initSegmentBasedCalculation(self):
                self.maskArray = sitk.GetArrayFromImage(self.inputMask) == self.label
                Nd = self.inputMask.GetDimension()
                if Nd == 3:
                    if not self.settings.get("force2D", False):
                        raise ValueError("Shape2D is can only be calculated when input is 2D or 3D with "
                                         "`force2D=True`")
                    force2DDimension = self.settings.get("force2Ddimension", 0)
                    axes = [0, 1, 2]
                    axes.remove(force2DDimension)
                    self.pixelSpacing = np.array(self.inputImage.GetSpacing()[::-1])[(axes,)]
                    if self.maskArray.shape[force2DDimension] > 1:
                        raise ValueError("Size of the mask in dimension %i is more than 1, cannot compute 2D "
                                         "shape")
                    self.maskArray = np.squeeze(self.maskArray, axis=force2DDimension)
                elif Nd == 2:
                    self.pixelSpacing = np.array(self.inputImage.GetSpacing()[::-1])
                else:
                    raise ValueError("Shape2D is can only be calculated when input is 2D or 3D with "
                                     "`force2D=True`")
                self.maskArray = np.pad(self.maskArray, pad_width=1, mode="constant", constant_values=0)
                self.labelledPixelCoordinates = np.where(self.maskArray != 0)
                self.Perimeter, self.Surface, self.Diameter = mesh_coefficients_2d(self.maskArray,
                                                                                   self.pixelSpacing)
                self.eigenValues = _principal_moments(self, self.labelledPixelCoordinates)
        cls = EngineShape2D
    else:
        raise ValueError(f"no engine shape class for {name!r}")
    cls.__doc__ = base.__doc__
    return cls


_SHAPE_CLASSES: dict = {}


def compute_shape(extractor, image, mask, bounding_box, **settings):
    """``RadiomicsFeatureExtractor.computeShape`` with the engine's shape classes: the same features, names,
    order, warnings and errors."""
    from radiomics import getFeatureClasses

    logger = logging.getLogger("radiomics.featureextractor")
    features = collections.OrderedDict()
    enabled = extractor.enabledFeatures
    cropped_image, cropped_mask = BoxCrop(mask, bounding_box)(image)  # cropToTumorMask's crop

    def compute(shape_type):
        logger.info("Computing %s", shape_type)
        if shape_type not in _SHAPE_CLASSES:
            _SHAPE_CLASSES[shape_type] = shape_class(shape_type, getFeatureClasses()[shape_type])
        shape = _SHAPE_CLASSES[shape_type](cropped_image, cropped_mask, **settings)
        if enabled[shape_type] is not None:
            for feature in enabled[shape_type]:
                shape.enableFeatureByName(feature)
        for name, value in shape.execute().items():
            features[f"original_{shape_type}_{name}"] = value

    Nd = mask.GetDimension()
    if "shape" in enabled:
        if Nd == 3:
            compute("shape")
        else:
            logger.warning("Shape features are only available 3D input (for 2D input, use shape2D). Found %iD "
                           "input", Nd)
    if "shape2D" in enabled:
        if Nd == 3:
            force2D = settings.get("force2D", False)
            force2Ddimension = settings.get("force2Ddimension", 0)
            if not force2D:
                logger.warning("parameter force2D must be set to True to enable shape2D extraction")
            elif not (bounding_box[1::2] - bounding_box[0::2] + 1)[force2Ddimension] > 1:
                logger.warning("Size in specified 2D dimension (%i) is greater than 1, cannot calculate 2D shape",
                               force2Ddimension)
            else:
                compute("shape2D")
        elif Nd == 2:
            compute("shape2D")
        else:
            logger.warning("Shape2D features are only available for 2D and 3D (with force2D=True) input. "
                           "Found %iD input", Nd)
    return features
