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
    order, rotating); \p prepare() runs before each round, untimed. A command
    is an argv, or a list of argvs (its placements, common.placements()) of
    which round i runs the (i mod count)-th. \p pin keeps them on one CPU.
    Returns one list of times per command."""
    placed = [command if isinstance(command[0], list) else [command] for command in commands]
    affinity = os.sched_getaffinity(0)
    if pin:
        os.sched_setaffinity(0, {min(affinity)})
    try:
        for _ in range(warmup):
            for argv in (argv for argvs in placed for argv in argvs):
                run_once(argv, env)
        times = [[] for _ in commands]
        for i in range(runs):
            if prepare:
                prepare()
            for k in range(len(commands)):
                which = (i + k) % len(commands)
                argvs = placed[which]
                times[which].append(run_once(argvs[i % len(argvs)], env))
        return times
    finally:
        os.sched_setaffinity(0, affinity)


def time_pairs(first, second, runs, env=None, warmup=0, prepare=None, pin=False):
    """time_interleaved of two commands: the order swaps from one pair to the next."""
    return time_interleaved([first, second], runs, env, warmup, prepare, pin)


def interval(values, placements=1):
    """The median of \\p values and its 95 % bootstrap interval. With several
    \\p placements (value i measured on placement i mod placements), each
    bootstrap round draws placements, then runs within each drawn one, so that
    the interval holds how much placements differ, not only runs."""
    rng = random.Random(1)
    groups = [values[k::placements] for k in range(placements)]

    def resample():
        if placements == 1:
            return rng.choices(values, k=len(values))
        return [value for group in rng.choices(groups, k=placements)
                for value in rng.choices(group, k=len(group))]

    medians = sorted(statistics.median(resample()) for _ in range(BOOTSTRAP_ROUNDS))
    figure = {"median": statistics.median(values), "low": medians[int(0.025 * BOOTSTRAP_ROUNDS)],
              "high": medians[int(0.975 * BOOTSTRAP_ROUNDS) - 1], "runs": len(values)}
    if placements > 1:
        figure["placements"] = placements
    return figure


def difference_interval(first, second, placements=1):
    """The median of the paired differences first - second, with its interval."""
    return interval([a - b for a, b in zip(first, second)], placements)


def ratio_interval(first, second, placements=1):
    """The median of the paired ratios first / second, with its interval."""
    return interval([a / b for a, b in zip(first, second)], placements)


def shown(figure, scale=1.0, digits=2, overhead=False):
    """A figure as the tables show it: "median [low, high]"; an overhead whose
    interval holds zero is "< high" (no negative overheads), one run is its value."""
    # Rounded first, so that a tiny negative shows as 0.000, not -0.000.
    median, low, high = (round(figure[k] * scale, digits) + 0.0 for k in ("median", "low", "high"))
    if figure["runs"] == 1:
        return f"{median:.{digits}f}"
    if overhead and low <= 0 <= high:
        return f"< {high:.{digits}f}"
    return f"{median:.{digits}f} [{low:.{digits}f}, {high:.{digits}f}]"


def load():
    """The machine's load averages over 1, 5 and 15 minutes."""
    return list(os.getloadavg())
