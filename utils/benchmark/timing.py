"""Timings a reader can trust: each command runs in one loop of our own
(compared commands interleaved, pair by pair, so that a drift of the machine
touches both alike), and every figure is a median with its 95 % bootstrap
interval."""
import os
import random
import statistics
import time

BOOTSTRAP_ROUNDS = 2000


def run_once(argv, env=None):
    """Runs \\p argv with its output discarded; returns its wall time in
    seconds. A failure is an error: a benchmark of a failing command means nothing."""
    actions = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_RDWR, 0) for fd in (0, 1, 2)]
    start = time.perf_counter_ns()
    pid = os.posix_spawn(argv[0], argv, os.environ if env is None else env, file_actions=actions)
    _, status = os.waitpid(pid, 0)
    seconds = (time.perf_counter_ns() - start) / 1e9
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({os.waitstatus_to_exitcode(status)})")
    return seconds


def time_runs(argv, runs, env=None, prepare=None):
    """\\p runs wall times of \\p argv; \\p prepare() runs before each, untimed."""
    times = []
    for _ in range(runs):
        if prepare:
            prepare()
        times.append(run_once(argv, env))
    return times


def time_interleaved(commands, runs, env=None, warmup=0, prepare=None, pin=False):
    """Wall times of each of \p commands, run in rounds (each round in another
    order, rotating); \p prepare() runs before each round, untimed. \p pin
    keeps them on one CPU. Returns one list of times per command."""
    affinity = os.sched_getaffinity(0)
    if pin:
        os.sched_setaffinity(0, {min(affinity)})
    try:
        for _ in range(warmup):
            for command in commands:
                run_once(command, env)
        times = [[] for _ in commands]
        for i in range(runs):
            if prepare:
                prepare()
            for k in range(len(commands)):
                which = (i + k) % len(commands)
                times[which].append(run_once(commands[which], env))
        return times
    finally:
        os.sched_setaffinity(0, affinity)


def time_pairs(first, second, runs, env=None, warmup=0, prepare=None, pin=False):
    """time_interleaved of two commands: the order swaps from one pair to the next."""
    return time_interleaved([first, second], runs, env, warmup, prepare, pin)


def interval(values):
    """The median of \\p values and its 95 % bootstrap interval."""
    rng = random.Random(1)
    medians = sorted(statistics.median(rng.choices(values, k=len(values)))
                     for _ in range(BOOTSTRAP_ROUNDS))
    return {"median": statistics.median(values), "low": medians[int(0.025 * BOOTSTRAP_ROUNDS)],
            "high": medians[int(0.975 * BOOTSTRAP_ROUNDS) - 1], "runs": len(values)}


def difference_interval(first, second):
    """The median of the paired differences first - second, with its interval."""
    return interval([a - b for a, b in zip(first, second)])


def ratio_interval(first, second):
    """The median of the paired ratios first / second, with its interval."""
    return interval([a / b for a, b in zip(first, second)])


def shown(figure, scale=1.0, digits=2, overhead=False):
    """A figure as the tables show it: "median [low, high]"; an overhead whose
    interval holds zero is "< high" (no negative overheads), one run is its value."""
    median, low, high = (figure[k] * scale for k in ("median", "low", "high"))
    if figure["runs"] == 1:
        return f"{median:.{digits}f}"
    if overhead and low <= 0 <= high:
        return f"< {high:.{digits}f}"
    return f"{median:.{digits}f} [{low:.{digits}f}, {high:.{digits}f}]"


def load():
    """The machine's load averages over 1, 5 and 15 minutes."""
    return list(os.getloadavg())
