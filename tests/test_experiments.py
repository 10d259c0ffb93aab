"""Recovery experiments of nnls_core.experiments: not-converged counts and the shipped grid."""

import numpy as np
import pytest

import nnls_core as nc
from nnls_core.experiments import (RECOVERY_DEFAULT, SUCCESS_TOL, load_recovery,
                                   phase_transition, recovery, save_recovery)
from nnls_core.paper import ASSETS
from nnls_core.references import safe_step, spectral_norm


def _problem(pt, i, j, t, seed=0):
    """The problem of cell (i, j), trial t, as phase_transition draws it."""
    return nc.sparse_problem(int(pt.ms[i]), pt.n, int(pt.ss[i, j]),
                             seed=seed + 1_000_003 * i + 10_007 * j + t)


@pytest.mark.parametrize("step, max_iter", [("bb", 300), ("fixed", 300)])
def test_not_converged_counts_match_separate_solves(step, max_iter):
    # a budget this small leaves some runs unconverged, so the counts are not all zero
    pt = phase_transition(12, [0.5, 1.0], [0.2, 0.6], trials=2, L=2, alpha=1e-3,
                          step=step, max_iter=max_iter)
    had = np.zeros((2, 2), dtype=int)
    ok = np.zeros((2, 2))
    for i in range(2):
        for j in range(2):
            for t in range(2):
                p = _problem(pt, i, j, t)
                x_lh = nc.solve(p.A, p.b, method="lawson_hanson").x
                eta = "bb" if step == "bb" else 1.5 * safe_step(
                    spectral_norm(p.A), 2, max(float(x_lh.max()), 1e-3))
                r = nc.solve(p.A, p.b, method="hadamard", L=2, alpha=1e-3, step=eta,
                             max_iter=max_iter, tol=1e-5)
                had[i, j] += r.status != "converged"
                ok[i, j] += np.linalg.norm(r.x - p.x_true) / np.linalg.norm(p.x_true) \
                    < SUCCESS_TOL
    assert had.sum() > 0
    np.testing.assert_array_equal(pt.not_converged["hadamard"], had)
    np.testing.assert_allclose(pt.success["hadamard"], ok / 2)
    assert pt.not_converged_fraction("hadamard") == had.sum() / 8
    # the direct solvers answer every one of these feasible problems
    assert not pt.not_converged["l1_min"].any() and not pt.not_converged["lawson_hanson"].any()


def test_step_must_be_a_kind():
    with pytest.raises(ValueError, match="step must be"):
        phase_transition(10, [0.5], [0.2], step=0.1)


def test_save_and_load_keep_nan_failures(tmp_path):
    pt, pe = recovery(12, 2, 1, methods=["l1_min"], sizes=[0.0, 0.1], perturb_m=6,
                      perturb_n=12, perturb_s=2, perturb_trials=1)
    pe.error["l1_min"][1, 0] = np.nan  # as when the LP has no answer
    pt2, pe2, settings = load_recovery(save_recovery(pt, pe, {"n": 12}, tmp_path / "r.json"))
    assert settings == {"n": 12} and pt2.step == pt.step and pt2.trials == 1
    for a, b in ((pt.success, pt2.success), (pt.not_converged, pt2.not_converged)):
        np.testing.assert_array_equal(a["l1_min"], b["l1_min"])
    np.testing.assert_array_equal(pe.error["l1_min"], pe2.error["l1_min"])


def test_shipped_recovery_grid_is_the_default_and_converged():
    pt, pe, settings = load_recovery(ASSETS / "recovery.json")
    assert settings == RECOVERY_DEFAULT and pt.step == "bb"
    assert pt.success["l1_min"].shape == (RECOVERY_DEFAULT["cells"],) * 2
    # at the default the runs converge: at most 10% of Hadamard runs hit the cap
    assert pt.not_converged_fraction("hadamard") <= 0.10
    # the direct solvers' cells agree with a fresh computation (about 1 s)
    again = phase_transition(RECOVERY_DEFAULT["n"], pt.deltas, pt.rhos,
                             trials=RECOVERY_DEFAULT["trials"],
                             methods=["l1_min", "lawson_hanson"])
    for mth in again.success:
        np.testing.assert_array_equal(again.success[mth], pt.success[mth])
