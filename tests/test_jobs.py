"""ui.jobs: one background run per setting, watched by every session that asks for it."""

import time

import numpy as np
import plotly.graph_objects as go

import nnls_core as nc
from ui import jobs
from ui.jobs import Job, job_for


def _finished(max_iter: int = 50) -> Job:
    p = nc.sparse_problem(30, 100, 4, seed=0)
    job = Job(("test", max_iter), p, {"L": 2, "alpha": 1e-3, "max_iter": max_iter}, 10.0,
              ({}, jobs.threading.Lock()))
    job.thread.join(30)
    return job


def _all_workers_idle(timeout: float = 60.0) -> int:
    """Wait until no run holds a worker (a run another test started, e.g. a Playground
    prefetch, hands its worker back when it ends); the number idle."""
    deadline = time.monotonic() + timeout
    while jobs._idle().qsize() < jobs.WORKERS and time.monotonic() < deadline:
        time.sleep(0.02)
    return jobs._idle().qsize()


def test_the_run_is_the_library_run_and_reports_its_progress():
    job = _finished()
    p = nc.sparse_problem(30, 100, 4, seed=0)
    ref = nc.solve(p.A, p.b, L=2, alpha=1e-3, max_iter=50)
    assert job.error is None and job.result.n_iter == ref.n_iter == 50
    np.testing.assert_array_equal(job.result.x, ref.x)
    assert job.k == 50 and job.ks[0] == 1 and job.ks == sorted(job.ks)
    np.testing.assert_array_equal(job.x, ref.x)


def test_watchers_share_one_progress_figure_until_the_run_moves_on(monkeypatch):
    job = _finished()
    built = []

    def build():
        built.append(job.k)
        return go.Figure(go.Scatter(y=[job.k]))

    first = job.live(build)
    assert job.live(build) is first and built == [50]  # a second watcher builds nothing
    job.k += 1  # the run moved on, but within LIVE_SECONDS of the last figure
    monkeypatch.setattr(Job, "LIVE_SECONDS", 1e9)
    assert job.live(build) is first and built == [50]
    monkeypatch.setattr(Job, "LIVE_SECONDS", 0.0)
    again = job.live(build)
    assert again is not first and built == [50, 51]
    assert again.to_dict()["data"][0]["y"] == [51]


def test_no_figure_before_the_first_progress_report():
    job = _finished()
    job.ks.clear()
    assert job.live(lambda: go.Figure()) is None


def test_the_same_settings_get_the_same_run_and_stop_ends_it():
    jobs._jobs.clear()
    p = nc.sparse_problem(30, 100, 4, seed=0)
    opts = {"L": 2, "alpha": 1e-6, "max_iter": 10**7, "step": 1e-3}
    a = job_for(("stop",), p, opts, 60.0)
    assert job_for(("stop",), p, opts, 60.0) is a
    a.stop.set()
    a.thread.join(30)
    assert a.error is None and a.result.status == "cancelled" and not a.result.success
    b = job_for(("stop",), p, opts, 60.0)
    assert b is not a  # a stopped run is not watched again
    b.stop.set()
    b.thread.join(30)  # its worker is back before the next test counts them


def test_with_every_worker_busy_the_run_goes_to_a_thread(monkeypatch):
    import queue

    monkeypatch.setattr(jobs, "_idle", lambda create=True: queue.Queue())  # no idle worker
    job = _finished()
    p = nc.sparse_problem(30, 100, 4, seed=0)
    ref = nc.solve(p.A, p.b, L=2, alpha=1e-3, max_iter=50)
    assert job.error is None and job.result.n_iter == 50
    np.testing.assert_array_equal(job.result.x, ref.x)


def test_a_run_is_computed_in_a_worker_process(monkeypatch):
    """The server's own solve is not called: the worker computes the run."""
    def refuse(*a, **k):
        raise AssertionError("solved in the server")

    workers = _all_workers_idle()
    monkeypatch.setattr(jobs.nc, "solve", refuse)
    job = _finished()
    assert job.error is None and job.result.n_iter == 50 and workers >= 1
    assert jobs._idle().qsize() == workers  # handed back


def test_a_worker_that_fails_reports_the_error_and_is_replaced():
    jobs._idle()
    p = nc.sparse_problem(30, 100, 4, seed=0)
    job = Job(("bad",), p, {"L": 2, "alpha": -1.0}, 10.0, ({}, jobs.threading.Lock()))
    job.thread.join(30)
    assert isinstance(job.error, ValueError) and "alpha" in str(job.error)
    killed = jobs._idle().get(timeout=30)
    killed.proc.kill()
    killed.proc.wait()
    jobs._idle().put(killed)
    for _ in range(jobs._idle().qsize()):  # one of them is dead: its run says so
        job = _finished()
        if job.error is not None:
            assert "worker process" in str(job.error)
    job = _finished()  # the dead one was replaced
    assert job.error is None and job.result.n_iter == 50


def test_a_late_stop_does_not_end_the_next_run(monkeypatch):
    import queue

    jobs._idle()
    real = jobs._idle()
    worker = real.get(timeout=30)
    one = queue.Queue()
    one.put(worker)
    monkeypatch.setattr(jobs, "_idle", lambda create=True: one)  # both runs on this worker
    try:
        first = _finished()
        worker.stop(first.stop.job_id)  # Stop pressed as the first run ended
        second = _finished()
        assert second.error is None and second.result.status == "max_iter"
        assert second.result.n_iter == 50
    finally:
        real.put(one.get(timeout=30))
