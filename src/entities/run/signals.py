"""SIGINT and SIGTERM: the run ends once, promptly, whatever number of them arrives.

The command's process takes the first one as an exception (`Stop`, a KeyboardInterrupt, so that
code that catches Exception does not swallow it) and ignores the ones after it, so the cleanup
that follows (workers stopped, the open chunk dropped) is not cut short. Worker processes ignore
both: the parent decides, and stops them; they start with the signals blocked (`blocked`), so
that none reaches them before they ignore it. A few steps that must not be split (the swap of
one run's tables for the next's) hold the signals back until they are done (`held`).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

SIGNALS = (signal.SIGINT, signal.SIGTERM)
# 128 + the signal's number, as a shell reports it
EXIT_CODES: dict[int, int] = {signal.SIGINT: 130, signal.SIGTERM: 143}


class Stop(KeyboardInterrupt):
    """The run was stopped by a signal: Ctrl-C (SIGINT) or SIGTERM."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.signum]

    @property
    def message(self) -> str:
        return "interrupted" if self.signum == signal.SIGINT else f"stopped by {signal.Signals(self.signum).name}"


class Handler:
    """The first signal raises Stop; the later ones are only counted."""

    def __init__(self):
        self.received: list[int] = []

    def __call__(self, signum, frame) -> None:
        self.received.append(signum)
        if len(self.received) == 1:
            raise Stop(signum)


@contextmanager
def stopping() -> Iterator[Handler]:
    """Within: SIGINT and SIGTERM raise Stop once. Outside the main thread, nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield Handler()
        return
    handler = Handler()
    previous = {signum: signal.signal(signum, handler) for signum in SIGNALS}
    try:
        yield handler
    finally:
        for signum, action in previous.items():  # once stopped, the process is on its way out: stay deaf
            signal.signal(signum, signal.SIG_IGN if handler.received else action)


@contextmanager
def held() -> Iterator[None]:
    """Within: SIGINT and SIGTERM wait (the process notes them), to be delivered when the block is done."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    previous = {signum: signal.signal(signum, lambda signum, frame: pending.append(signum)) for signum in SIGNALS}
    try:
        yield
    finally:
        for signum, action in previous.items():
            signal.signal(signum, action)
        for noted in pending:
            signal.raise_signal(noted)


@contextmanager
def blocked() -> Iterator[None]:
    """Within: SIGINT and SIGTERM blocked in this thread, and so in the processes it starts (they
    inherit the mask), until they unblock them (`ignore`). Not a way to hold signals back from this
    process: its other threads still take them."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def last() -> Iterator[None]:
    """Within: the steps that end a run (its tables swapped in, its staging removed). SIGINT and
    SIGTERM wait for them and, once they are done, are dropped: there is nothing left to stop."""
    done = False
    try:
        with held():
            yield
            done = True
    except Stop:
        if not done:
            raise


def ignore() -> None:
    """In a worker process: leave SIGINT and SIGTERM to the parent, which stops the workers itself."""
    for signum in SIGNALS:
        signal.signal(signum, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)
