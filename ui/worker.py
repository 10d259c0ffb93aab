"""A process that computes runs for the dashboard's server (``ui.jobs`` starts it).

Run by path (``python ui/worker.py STOP_FD``), so it imports numpy and the library only,
not Streamlit. It reads jobs from stdin and writes messages to stdout, each a pickle with
an 8-byte length in front (both ends are this project's own processes):

* in: ``(job_id, A, b, options, time_limit)``; solved by ``nnls_core.solve(A, b,
  method="hadamard", **options)``;
* out, while it runs: ``("progress", k, elapsed, new_ks, new_objectives, x)`` at most
  every PROGRESS_SECONDS (new entries of the log-spaced record of the loss);
* out, at the end: ``("result", Result)`` or ``("error", exception)``.

Stop: the server writes a job's id (8 bytes) to the pipe ``STOP_FD``; the run of that job
ends within PROGRESS_SECONDS with status "cancelled" (an id that names no job in progress
is ignored, so a late Stop never ends the next job). End of stdin ends the process.
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
import time

import nnls_core as nc

PROGRESS_SECONDS = 0.1
#: Lower CPU priority than the server (its importing and prefetching never slow a page).
NICE = 10
HEADER = struct.Struct("<Q")


def send(stream, message) -> None:
    """Write one framed message."""
    data = pickle.dumps(message, protocol=5)
    stream.write(HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


def receive(stream):
    """Read one framed message; None at end of stream."""
    head = stream.read(HEADER.size)
    if len(head) < HEADER.size:
        return None
    (size,) = HEADER.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)


class Log:
    """Which iterations go in the record of the loss: log-spaced, so it stays short."""

    def __init__(self) -> None:
        self.next = 1

    def record(self, k: int) -> bool:
        """Whether iteration ``k`` goes in the record."""
        if k < self.next:
            return False
        self.next = int(k * 1.03) + 1
        return True


class Stops:
    """The ids of the jobs to stop, read from the stop pipe without blocking."""

    def __init__(self, fd: int) -> None:
        self.fd, self.ids, self._rest = fd, set(), b""
        os.set_blocking(fd, False)

    def requested(self, job_id: int) -> bool:
        try:
            data = self._rest + os.read(self.fd, 4096)
        except BlockingIOError:  # nothing new
            data = self._rest
        whole = len(data) - len(data) % HEADER.size
        self.ids.update(v for (v,) in HEADER.iter_unpack(data[:whole]))
        self._rest = data[whole:]
        return job_id in self.ids


def solve(out, stops: Stops, job_id: int, A, b, options: dict, time_limit: float) -> None:
    """One job: progress messages (the last one at the final iterate), then the result."""
    log, ks, objectives = Log(), [], []
    sent, last, state, stopped = 0, 0.0, None, False

    def flush() -> None:
        nonlocal sent
        k, s = state
        send(out, ("progress", k, s.elapsed, ks[sent:], objectives[sent:], s.x))
        sent = len(ks)

    def callback(k: int, s: nc.State) -> bool:
        nonlocal last, state, stopped
        if log.record(k):
            ks.append(k)
            objectives.append(float(s.objective))
        state = (k, s)
        now = time.monotonic()
        if now - last >= PROGRESS_SECONDS:
            flush()
            last = now
            stopped = stops.requested(job_id)
        return not stopped

    try:
        message = ("result", nc.solve(A, b, method="hadamard", **options,
                                      time_limit=time_limit, callback=callback))
    except Exception as exc:  # noqa: BLE001 - the server shows it
        message = ("error", exc)
    if state is not None:
        flush()
    send(out, message)


def main() -> None:
    os.nice(NICE)  # the server's own work (every student's rerun) comes first
    stops = Stops(int(sys.argv[1]))
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but messages on the pipe
    while (job := receive(inp)) is not None:
        solve(out, stops, *job)


if __name__ == "__main__":
    main()
