"""NNLS problems: a container and seeded generators."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import numpy as np

from ._validation import MAX_ENTRIES, as_float_array, check_int, check_positive


@dataclass(frozen=True, eq=False)
class Problem:
    """An NNLS problem ``min_{x >= 0} 1/2 ||A x - b||^2``.

    Attributes
    ----------
    A : ndarray, shape (m, n)
    b : ndarray, shape (m,)
    x_true : ndarray of shape (n,) or None
        The ground truth, when the problem was generated from one.
    name : str
    seed : int or None
    """

    A: np.ndarray
    b: np.ndarray
    x_true: np.ndarray | None = None
    name: str = "problem"
    seed: int | None = None
    info: dict = field(default_factory=dict)

    @property
    def shape(self) -> tuple[int, int]:
        """``(m, n)``."""
        return self.A.shape

    def to_npz(self) -> bytes:
        """The problem as a NumPy ``.npz`` file (A, b, and x_true when known).

        Examples
        --------
        >>> import io, numpy as np
        >>> p = Problem.from_arrays(np.eye(2), [1.0, 2.0])
        >>> sorted(np.load(io.BytesIO(p.to_npz())).files)
        ['A', 'b']
        """
        buf = io.BytesIO()
        arrays = {"A": self.A, "b": self.b}
        if self.x_true is not None:
            arrays["x_true"] = self.x_true
        np.savez_compressed(buf, **arrays)
        return buf.getvalue()

    @classmethod
    def from_arrays(cls, A, b, *, x_true=None, name: str = "user data") -> "Problem":
        """Build a problem from user arrays, validating shape, dtype, finiteness and size.

        Parameters
        ----------
        A : array_like, shape (m, n)
        b : array_like, shape (m,) or (m, 1)
        x_true : array_like of shape (n,), optional
        name : str

        Raises
        ------
        ValueError
            Saying exactly what is wrong (shape mismatch, NaN/Inf, empty, too large, ...).

        Examples
        --------
        >>> import numpy as np
        >>> p = Problem.from_arrays(np.eye(2), [1.0, -1.0])
        >>> p.shape
        (2, 2)
        """
        A = as_float_array(A, "A", 2)
        b = as_float_array(b, "b", (1, 2))
        if b.ndim == 2:
            if 1 not in b.shape:
                raise ValueError(f"b must be a vector, got shape {b.shape}")
            b = b.ravel()
        if b.shape[0] != A.shape[0]:
            raise ValueError(
                f"b has length {b.shape[0]} but A has {A.shape[0]} rows "
                f"(A is {A.shape[0]} x {A.shape[1]})"
            )
        if x_true is not None:
            x_true = as_float_array(x_true, "x_true", 1)
            if x_true.shape[0] != A.shape[1]:
                raise ValueError(
                    f"x_true has length {x_true.shape[0]} but A has {A.shape[1]} columns"
                )
        return cls(np.ascontiguousarray(A), b.copy(), x_true, name, None)


def _check_size(m: int, n: int) -> tuple[int, int]:
    m = check_int(m, "m", minimum=1)
    n = check_int(n, "n", minimum=1)
    if m * n > MAX_ENTRIES:
        raise ValueError(f"m * n = {m * n:,} exceeds the limit of {MAX_ENTRIES:,} entries")
    return m, n


def sparse_problem(
    m: int,
    n: int,
    sparsity: int,
    *,
    noise: float = 0.0,
    negative_perturbation: float = 0.0,
    correlation: float = 0.0,
    seed: int | None = None,
) -> Problem:
    """A random problem with a sparse non-negative ground truth.

    ``A`` has i.i.d. N(0, 1/m) entries (with ``correlation`` rho > 0 the columns are
    equicorrelated: ``a_j = sqrt(1-rho) g_j + sqrt(rho) g_0``). ``x_true`` has ``sparsity``
    entries ``|N(0, 1)|`` at random positions, normalized to ``||x_true||_2 = 1`` (the
    paper's set-up). Then ``b = A (x_true - d) + e`` where ``d >= 0`` lives off the support
    with ``||d||_2 = negative_perturbation`` (a small negative perturbation of the ground
    truth) and ``e`` is Gaussian noise with ``||e||_2 = noise * ||A x_true||_2``.

    Parameters
    ----------
    m, n : int
        Number of measurements and unknowns.
    sparsity : int
        Number of non-zero entries of ``x_true`` (0 <= sparsity <= n).
    noise : float
        Relative noise level.
    negative_perturbation : float
        ``||d||_2``, the size of the negative perturbation.
    correlation : float
        Column correlation rho in [0, 1).
    seed : int, optional
        Seed of the random generator.

    Returns
    -------
    Problem

    Examples
    --------
    >>> p = sparse_problem(20, 50, 3, seed=0)
    >>> p.A.shape, int((p.x_true > 0).sum())
    ((20, 50), 3)
    """
    m, n = _check_size(m, n)
    sparsity = check_int(sparsity, "sparsity", minimum=0)
    if sparsity > n:
        raise ValueError(f"sparsity must be <= n = {n}, got {sparsity}")
    noise = check_positive(noise, "noise", allow_zero=True)
    negative_perturbation = check_positive(
        negative_perturbation, "negative_perturbation", allow_zero=True
    )
    correlation = check_positive(correlation, "correlation", allow_zero=True)
    if correlation >= 1:
        raise ValueError(f"correlation must be in [0, 1), got {correlation}")
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((m, n)) / np.sqrt(m)
    if correlation > 0:
        shared = rng.standard_normal((m, 1)) / np.sqrt(m)
        A = np.sqrt(1 - correlation) * A + np.sqrt(correlation) * shared
    x_true = np.zeros(n)
    support = rng.choice(n, size=sparsity, replace=False)
    if sparsity:
        vals = np.abs(rng.standard_normal(sparsity))
        x_true[support] = vals / np.linalg.norm(vals)
    x_gen = x_true.copy()
    off = np.setdiff1d(np.arange(n), support)
    if negative_perturbation > 0 and off.size:
        d = np.abs(rng.standard_normal(off.size))
        x_gen[off] -= negative_perturbation * d / np.linalg.norm(d)
    b = A @ x_gen
    if noise > 0:
        e = rng.standard_normal(m)
        scale = np.linalg.norm(A @ x_true) or 1.0
        b = b + noise * scale * e / np.linalg.norm(e)
    return Problem(
        np.ascontiguousarray(A), b, x_true, f"sparse {m}x{n}, s={sparsity}", seed,
        {"noise": noise, "negative_perturbation": negative_perturbation,
         "correlation": correlation},
    )


def gaussian_problem(m: int, n: int, *, seed: int | None = None) -> Problem:
    """A dense random problem with no ground truth: A ~ N(0, 1/m), b ~ N(0, 1/m).

    Parameters
    ----------
    m, n : int
    seed : int, optional

    Returns
    -------
    Problem

    Examples
    --------
    >>> gaussian_problem(30, 10, seed=1).b.shape
    (30,)
    """
    m, n = _check_size(m, n)
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((m, n)) / np.sqrt(m)
    b = rng.standard_normal(m) / np.sqrt(m)
    return Problem(A, b, None, f"gaussian {m}x{n}", seed)
