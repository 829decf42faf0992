"""Work spread over the machine's cores: one process per core by default.

`workers(settings)` reads `SYSADVENT_WORKERS` (environment) or
`BUILD_WORKERS` (settings; 0 = one per core, 1 = no pool at all). Pure,
per-item work (render an article, draw a card) goes through `parallel_map`;
results come back in the order of the items, so the output never depends on
how many processes made it.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor


def workers(settings=None) -> int:
    """Processes to use: SYSADVENT_WORKERS, else BUILD_WORKERS; 0 = cores."""
    wanted = os.environ.get("SYSADVENT_WORKERS") or (settings or {}).get(
        "BUILD_WORKERS"
    )
    try:
        wanted = int(wanted or 0)
    except ValueError:
        wanted = 0
    return wanted if wanted > 0 else (os.cpu_count() or 1)


def executor(count: int) -> ProcessPoolExecutor:
    """A pool of `count` processes, forked where the system can (they start
    with this process's imports; spawning would import everything again)."""
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    return ProcessPoolExecutor(count, mp_context=multiprocessing.get_context(method))


def chunk_size(items: int, count: int) -> int:
    return max(1, items // (count * 4))


def parallel_map(function, items, settings=None) -> list:
    """[function(item) for item in items], in a pool when it is worth one.

    `function` must be a module-level function (it is pickled by name).
    """
    items = list(items)
    count = min(workers(settings), len(items))
    if count <= 1:
        return [function(item) for item in items]
    with executor(count) as pool:
        return list(pool.map(function, items, chunksize=chunk_size(len(items), count)))
