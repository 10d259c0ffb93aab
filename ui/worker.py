"""A process that computes runs for the dashboard's server (``ui.jobs`` starts it).

Run by path (``python ui/worker.py``), so it imports numpy and the library only, not
Streamlit. It reads jobs from stdin and writes messages to stdout, each a pickle with an
8-byte length in front (both ends are this project's own processes):

* in: ``(A, b, options, time_limit)``; solved by ``nnls_core.solve(A, b,
  method="hadamard", **options)``;
* out, while it runs: ``("progress", k, elapsed, new_ks, new_objectives, x)`` at most
  every PROGRESS_SECONDS (new entries of the log-spaced record of the loss);
* out, at the end: ``("result", Result)`` or ``("error", exception)``.

SIGUSR1 stops the run in progress (status "cancelled"). End of stdin ends the process.
"""

from __future__ import annotations

import pickle
import signal
import struct
import sys
import time

import nnls_core as nc

PROGRESS_SECONDS = 0.1
_HEADER = struct.Struct("<Q")


def send(stream, message) -> None:
    """Write one framed message."""
    data = pickle.dumps(message, protocol=5)
    stream.write(_HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


def receive(stream):
    """Read one framed message; None at end of stream."""
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(head)
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


def solve(out, A, b, options: dict, time_limit: float, stop: list[bool]) -> None:
    """One job: progress messages (the last one at the final iterate), then the result."""
    log, ks, objectives = Log(), [], []
    sent, last, state = 0, 0.0, None

    def flush() -> None:
        nonlocal sent
        k, s = state
        send(out, ("progress", k, s.elapsed, ks[sent:], objectives[sent:], s.x))
        sent = len(ks)

    def callback(k: int, s: nc.State) -> bool:
        nonlocal last, state
        if log.record(k):
            ks.append(k)
            objectives.append(float(s.objective))
        state = (k, s)
        now = time.monotonic()
        if now - last >= PROGRESS_SECONDS:
            flush()
            last = now
        return not stop[0]

    try:
        message = ("result", nc.solve(A, b, method="hadamard", **options,
                                      time_limit=time_limit, callback=callback))
    except Exception as exc:  # noqa: BLE001 - the server shows it
        message = ("error", exc)
    if state is not None:
        flush()
    send(out, message)


def main() -> None:
    stop = [False]
    signal.signal(signal.SIGUSR1, lambda *_: stop.__setitem__(0, True))
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but messages on the pipe
    while (job := receive(inp)) is not None:
        stop[0] = False
        solve(out, *job, stop)


if __name__ == "__main__":
    main()
