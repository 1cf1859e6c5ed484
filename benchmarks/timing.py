"""Wall-clock timing shared by the benchmark scripts (run as `python benchmarks/NAME.py`)."""

import time


def timed(function, runs: int) -> list[float]:
    """Seconds taken by each of `runs` calls of `function`."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times
