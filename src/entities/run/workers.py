"""Worker processes: batches in, results out, in order, with a bounded number in flight.

Each worker builds its own Pipeline once (models load once per process) and
runs numpy on one BLAS thread: two workers on two cores, not four threads
fighting over them. Workers are forked where the platform can (no re-import of
the caller's script, so no `if __name__ == "__main__"` needed), spawned elsewhere.
"""

from __future__ import annotations

import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator

from .signals import blocked, ignore

BLAS_THREADS = (
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
)

_pipeline = None  # the worker's own Pipeline


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def limit_blas_threads() -> None:
    # the variables cover a numpy not loaded yet; threadpoolctl one the parent had loaded
    for name in BLAS_THREADS:
        os.environ[name] = "1"
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


def die_with(parent: int) -> None:
    """Have the kernel kill this worker when its parent dies (Linux): a killed run leaves no workers behind."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the call
        os._exit(1)


def start_worker(kind: type, options: dict, parent: int) -> None:
    """A worker's start: its own pipeline of the parent's class and options (`kind(**options)`)."""
    global _pipeline
    ignore()  # Ctrl-C reaches the whole process group: the parent stops the workers, quietly
    die_with(parent)
    limit_blas_threads()
    if _pipeline is None:  # spawned; a forked worker has the parent's Pipeline
        _pipeline = kind(**options)


def run_task(task: Callable, batch):
    return task(_pipeline, batch)


def run_inline(pipeline, task: Callable, batches: Iterable) -> Iterator[tuple]:
    # one BLAS thread here too, while a batch runs: a second one only spins on two-core machines
    from threadpoolctl import threadpool_limits

    for batch in batches:
        with threadpool_limits(1):
            result = task(pipeline, batch)
        yield batch, result


def run_parallel(pipeline, task: Callable, batches: Iterable, workers: int, inflight: int) -> Iterator[tuple]:
    """(batch, task(pipeline, batch)) in input order; at most `inflight` batches submitted at once.
    However the caller stops (an error, Ctrl-C, the generator closed early), the workers are
    killed, not waited for."""
    global _pipeline
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    fork = "fork" in multiprocessing.get_all_start_methods()
    if fork:
        _pipeline = pipeline  # models load in the workers, on their first batch: not in this process
    context = multiprocessing.get_context("fork" if fork else "spawn")
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=start_worker, initargs=(type(pipeline), pipeline.options, os.getpid())
    )
    pending: deque = deque()
    try:
        for batch in batches:
            with blocked():  # the workers start on the first submit: no signal before they ignore it
                pending.append((batch, pool.submit(run_task, task, batch)))
            if len(pending) >= inflight:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()
    except BaseException:
        stop(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def stop(pool) -> None:
    """Kill the pool's workers now: a worker busy with a batch or waiting for one is not waited for.

    A worker killed while it writes a result leaves half a message in the results pipe, and the
    pool's manager thread waits for the rest, which would hold the process at exit for ever. This
    process keeps the pipe's other end open too: closing it once the workers are dead makes the rest
    read as an end of file, so the manager thread finds the pool broken and ends."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    results = getattr(pool, "_result_queue", None)
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.kill()
    for process in processes:
        process.join(timeout=5)
    if results is not None:
        results._writer.close()


def map_batches(pipeline, task: Callable, batches: Iterable, workers: int = 1) -> Iterator[tuple]:
    """Run `task(pipeline, batch)` over batches, in this process or in `workers` processes."""
    if workers <= 1:
        return run_inline(pipeline, task, batches)
    return run_parallel(pipeline, task, batches, workers, inflight=2 * workers)
