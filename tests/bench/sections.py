"""The sections of scripts/bench, one function each: it runs its
benchmarks and adds rows (figure, value, baseline, ratio, target) to the
table.  The memory and loss sections reuse what the controller and marker
sections measured, so those run first."""

import glob
import os
import re
import shutil
import subprocess
import time

from benchlib import MPI, PERIOD_S, BenchError, log, median, parse_fields, spread

# ---- 1. marker cost --------------------------------------------------------

def bench_markers(b):
    section = "1. marker cost (live geopmctl)"
    program = os.path.join(b.bench_bin, "bench_markers")
    pairs, reps = (500000, 5) if b.quick else (2000000, 5)
    runs = 1 if b.quick else 3
    pair, clock, gettime, exact = [], [], [], []
    tsc = None
    for _ in range(runs):
        ctl = b.start_controller(1, "markers")
        env = dict(b.env, GEOPM_SHMKEY=ctl.key, GEOPM_PROFILE="bench")
        try:
            out, _ = b.run([program, str(pairs), str(reps)], 300, env=env)
        except BenchError:
            b.abort_controller(ctl)
            raise
        b.finish_controller(ctl)
        if "live controller" not in out:
            raise BenchError("bench_markers did not attach to geopmctl: " + out)
        pair.append(float(parse_fields(out, r"enter\+exit pair\s+([\d.]+)").group(1)))
        clock.append(float(parse_fields(out, r"two runtime clock reads\s+([\d.]+)").group(1)))
        gettime.append(float(parse_fields(out, r"two clock_gettime calls\s+([\d.]+)").group(1)))
        tsc = parse_fields(out, r"runtime clock\s+(\w+)").group(1) == "tsc"
        made = int(parse_fields(out, r"pairs made\s+(\d+)").group(1))
        host = b.report(ctl.report)
        counted = sum(b.region_count(p, "bench") for p in host.get("Processes") or [])
        exact.append((made, counted))
    log("markers: pair {} ns, two runtime clock reads {} ns, two clock_gettime {} ns".format(
        spread(pair, "{:.2f}"), spread(clock, "{:.2f}"), spread(gettime, "{:.2f}")))
    p, c, g = median(pair), median(clock), median(gettime)
    b.add(section, "runtime clock", None, text="TSC (invariant)" if tsc else "clock_gettime",
          target="TSC where invariant")
    b.add(section, "enter+exit pair vs two runtime clock reads", p, "ns", c, p / c,
          "<= 1.3 x baseline", p / c <= 1.3)
    b.add(section, "enter+exit pair vs two clock_gettime calls", p, "ns", g, p / g,
          "<= 30 ns (TSC invariant)" if tsc else "- (no invariant TSC)",
          (p <= 30.0) if tsc else None)
    b.loss_markers = exact


# ---- 2. wrapper cost -------------------------------------------------------

def ab_runs(pairs, run_a, run_b, what):
    a, bb = [], []
    for _ in range(pairs):
        a.append(run_a())
        bb.append(run_b())
    log("{}: without {} with {}".format(what, spread(a, "{:.2f}"), spread(bb, "{:.2f}")))
    return a, bb


def ns_per_call(out):
    return float(parse_fields(out, r"ns_per_call ([\d.]+)").group(1))


def bench_wrappers(b):
    section = "2. wrapper cost (ns added per call)"
    pairs = 2 if b.quick else 5
    local_pairs = 1 if b.quick else 3
    scale = 4 if b.quick else 1
    # (mode, ranks, calls a batch for Open MPI and for MPICH, calls on the
    # critical path of one timed operation, figure).  MPICH's ranks
    # busy-poll, so that its 2-rank calls take microseconds whenever other
    # work shares the two cores: fewer of them keep its runs short.
    modes = (("self", 1, (1000000, 1000000), 1, "MPI_Barrier(MPI_COMM_SELF)"),
             ("barrier", 2, (100000, 25000), 1, "MPI_Barrier, 2 ranks"),
             ("pingpong", 2, (100000, 25000), 4, "8-byte Send/Recv round trip / 4 calls"))
    local = (("rank", "MPI_Comm_rank"), ("size", "MPI_Comm_size"), ("wtime", "MPI_Wtime"))
    for flavour in ("ompi", "mpich"):
        program = b.mpi_program(flavour)
        if program is None or not b.have_flavour(flavour):
            b.add(section, MPI[flavour].name, None, text="not built (skipped)")
            continue
        for mode, nproc, calls, per, label in modes:
            cmd = [program, mode, str(calls[flavour == "mpich"] // scale), "7"]
            try:
                a, w = ab_runs(pairs, lambda: ns_per_call(b.run_plain(flavour, nproc, cmd)[0]),
                               lambda: ns_per_call(b.run_profiled(flavour, nproc, cmd)[0]),
                               "{} {}".format(flavour, mode))
            except BenchError as e:
                b.add(section, "{}: {}".format(MPI[flavour].name, label), None,
                      text="failed: " + str(e)[:60])
                log("{} {}: {}".format(flavour, mode, e))
                continue
            base, added = median(a) / per, (median(w) - median(a)) / per
            b.add(section, "{}: {}".format(MPI[flavour].name, label), added, "ns", base,
                  median(w) / median(a), "<= 20 ns added", added <= 20.0)
        defined = nm_defined(os.path.join(b.libs, MPI[flavour].preload))
        for mode, function in local:
            wrapped = function in defined
            cmd = [program, mode, "2000000", "7"]
            try:
                a, w = ab_runs(local_pairs,
                               lambda: ns_per_call(b.run_plain(flavour, 1, cmd)[0]),
                               lambda: ns_per_call(b.run_profiled(flavour, 1, cmd)[0]),
                               "{} {}".format(flavour, mode))
            except BenchError as e:
                b.add(section, "{}: {}".format(MPI[flavour].name, function), None,
                      text="failed: " + str(e)[:60])
                continue
            added = median(w) - median(a)
            b.add(section, "{}: {} ({})".format(MPI[flavour].name, function,
                                                "wrapped" if wrapped else "not wrapped"),
                  added, "ns", median(a), median(w) / median(a),
                  "not wrapped, or <= 2 ns", (not wrapped) or added <= 2.0)


def nm_defined(library):
    result = subprocess.run(["nm", "-D", "--defined-only", library], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    return {line.split()[-1] for line in result.stdout.decode().splitlines() if line.strip()}


# ---- 3. controller cost ----------------------------------------------------

def schedstat_ns(pid):
    """Time pid has run on a CPU, in ns (precise, unlike /proc/PID/stat)."""
    try:
        with open("/proc/{}/schedstat".format(pid)) as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def trace_times(prefix):
    paths = glob.glob(prefix + "-*")
    if len(paths) != 1:
        raise BenchError("expected one trace file {}-<host>, found {}".format(prefix, paths))
    times = []
    with open(paths[0]) as f:
        for line in f:
            if line.startswith("#") or line.startswith("TIME"):
                continue
            times.append(float(line.split("|", 1)[0]))
    return times


class MemoryWatch:
    """The largest RssAnon (private), RssShmem (the segment's pages it
    mapped) and VmHWM seen in /proc/PID/status of a running process."""

    FIELDS = ("VmHWM", "RssAnon", "RssShmem")

    def __init__(self, pid):
        self.pid = pid
        self.most = {name: 0 for name in self.FIELDS}
        self.last = 0.0

    def poll(self, every=0.05):
        now = time.monotonic()
        if now - self.last < every:
            return
        self.last = now
        try:
            with open("/proc/{}/status".format(self.pid)) as f:
                for line in f:
                    name, _, rest = line.partition(":")
                    if name in self.most:
                        self.most[name] = max(self.most[name], int(rest.split()[0]) * 1024)
        except (OSError, ValueError, IndexError):
            pass


def attached(path):
    with open(path) as f:
        return "attached" in f.read()


def wait_until(moment, watch):
    while time.monotonic() < moment:
        watch.poll()
        time.sleep(0.005)


def controller_run(b, nproc, seconds, burst, pause_us):
    """One run of geopmctl with nproc stress writers, all started together
    once every one has attached.  geopmctl's CPU time is read from
    /proc/PID/schedstat (ns) at the two ends of the steady state; the
    samples in that window come from the trace."""
    writer = os.path.join(b.bench_bin, "bench_writer")
    ctl = b.start_controller(nproc, "ctl{}".format(nproc), trace=True)
    watch = MemoryWatch(ctl.process.pid)
    env = dict(b.env, GEOPM_SHMKEY=ctl.key, GEOPM_PROFILE="bench")
    writers, outputs = [], []
    go_read, go_write = os.pipe()
    try:
        for i in range(nproc):
            out_path = b.path("{}-writer-{}.out".format(ctl.key.lstrip("/"), i))
            outputs.append(out_path)
            with open(out_path, "w") as out:
                writers.append(b.popen([writer, str(seconds), str(burst), str(pause_us),
                                        "stdin"], env=env, stdin=go_read, stdout=out))
        os.close(go_read)
        go_read = None
        deadline = time.monotonic() + 60
        waiting = list(outputs)
        while waiting:
            watch.poll()
            if time.monotonic() > deadline:
                raise BenchError("{} writers did not attach within 60 s".format(len(waiting)))
            for w in writers:
                if w.poll() is not None:
                    raise BenchError("a writer exited with {} before it started".format(
                        w.returncode))
            waiting = [p for p in waiting if not attached(p)]
            time.sleep(0.02)
        os.close(go_write)
        go_write = None
        go = time.monotonic()
        wait_until(go + 0.3, watch)
        t0, cpu0 = time.monotonic(), schedstat_ns(ctl.process.pid)
        wait_until(go + seconds - 0.2, watch)
        t1, cpu1 = time.monotonic(), schedstat_ns(ctl.process.pid)
        for w in writers:
            while w.poll() is None:
                watch.poll()
                if time.monotonic() > go + seconds + 60:
                    raise BenchError("a writer did not end")
                time.sleep(0.005)
            if w.returncode != 0:
                raise BenchError("a writer exited with {}".format(w.returncode))
    except BaseException:
        for w in writers:
            b.stop(w)
        b.abort_controller(ctl)
        raise
    finally:
        for fd in (go_read, go_write):
            if fd is not None:
                os.close(fd)
    usage, wall = b.finish_controller(ctl, during=watch.poll)
    made = 0
    for path in outputs:
        with open(path) as f:
            made += int(parse_fields(f.read(), r"pairs (\d+)").group(1))
    host = b.report(ctl.report)
    procs = host.get("Processes") or []
    counted = sum(b.region_count(p, "bench_writer") for p in procs)
    totals = host.get("Application Totals") or {}
    times = trace_times(ctl.trace)
    if cpu0 is None or cpu1 is None or t1 <= t0:
        raise BenchError("geopmctl's CPU time could not be read during the run")
    # Trace times count from the controller's start, which is within a
    # few ms of ctl.started.
    w0, w1 = t0 - ctl.started, t1 - ctl.started
    in_window = [t for t in times if w0 <= t <= w1]
    deviation = [y - x - PERIOD_S for x, y in zip(in_window, in_window[1:])]
    cpu_total = usage.ru_utime + usage.ru_stime
    steady_cpu = (cpu1 - cpu0) * 1e-9
    return {
        "cpu_fraction": steady_cpu / (t1 - t0),
        "per_rank_sample_ns": steady_cpu / max(len(in_window), 1) / nproc * 1e9,
        "per_sample_ns": steady_cpu / max(len(in_window), 1) * 1e9,
        "samples": len(in_window),
        "expected_samples": (t1 - t0) / PERIOD_S,
        "jitter_median_ms": median([abs(d) for d in deviation]) * 1e3,
        "jitter_max_ms": max(deviation) * 1e3 if deviation else float("nan"),
        "cpu_total_s": cpu_total,
        "wall_s": wall,
        "hwm_b": float(totals.get("geopmctl memory HWM (B)", "nan")),
        "anon_b": watch.most["RssAnon"],
        "shmem_b": watch.most["RssShmem"],
        "made": made,
        "counted": counted,
        "lost_events": sum(int(p.get("trace events lost", 0)) for p in procs),
    }


def controller_series(b, sizes, runs, seconds, burst, pause_us, what):
    results = {}
    for nproc in sizes:
        got = []
        for _ in range(runs):
            try:
                got.append(controller_run(b, nproc, seconds, burst, pause_us))
            except BenchError as e:
                log("controller {} procs ({}): {}".format(nproc, what, e))
        if not got:
            continue
        results[nproc] = got
        log("controller {} procs ({}): % of a core {}, ns per rank per sample {}, samples {} "
            "of {:.0f}, jitter median/max ms {} / {}, whole-run CPU {} s over {} s, peak RSS "
            "MiB {} (private {}, segment {})".format(
                nproc, what, spread([r["cpu_fraction"] * 100 for r in got], "{:.3f}"),
                spread([r["per_rank_sample_ns"] for r in got]),
                [r["samples"] for r in got], got[0]["expected_samples"],
                spread([r["jitter_median_ms"] for r in got], "{:.3f}"),
                spread([r["jitter_max_ms"] for r in got], "{:.2f}"),
                spread([r["cpu_total_s"] for r in got], "{:.3f}"),
                spread([r["wall_s"] for r in got], "{:.2f}"),
                spread([r["hwm_b"] / 2**20 for r in got], "{:.2f}"),
                spread([r["anon_b"] / 2**20 for r in got], "{:.2f}"),
                spread([r["shmem_b"] / 2**20 for r in got], "{:.2f}")))
    return results


def bench_controller(b):
    section = "3. controller cost (period 0.005 s; CPU baseline: a bare 200 Hz sleep loop)"
    sizes = (2, 16, 256) if b.quick else (2, 16, 64, 256)
    runs = 1 if b.quick else 3
    seconds = 3 if b.quick else 8
    # Writers at full speed: 600 pairs (1200 events) a burst, a burst about
    # every 4 ms, more than the ring's 1024 events each period, so every
    # sample drains a full ring of every writer: the most work a rank can
    # give the controller.  (Without the pauses 256 writers would take both
    # cores; the controller's work per sample is the same.)
    # The baseline: a process that only sleeps and wakes once a period.
    idle = []
    for _ in range(runs):
        out, _ = b.run([os.path.join(b.bench_bin, "bench_idle"), str(PERIOD_S), "3"], 60)
        idle.append(float(parse_fields(out, r"percent_core ([\d.]+)").group(1)))
    log("sleeping and waking every {} s: % of a core {}".format(PERIOD_S,
                                                               spread(idle, "{:.3f}")))
    floor = median(idle)
    results = controller_series(b, sizes, runs, seconds, 600, 4000, "full rings")
    # Light writers: 5 pairs every 5 ms, so that the figures show the cost
    # of reading the slots apart from that of draining the rings.
    light_sizes = () if b.quick else (16, 256)
    light = controller_series(b, light_sizes, runs, seconds, 5, 5000, "light")
    if not results:
        raise BenchError("no controller run succeeded")
    for nproc in sizes:
        if nproc not in results:
            b.add(section, "{} procs".format(nproc), None, text="failed")
            continue
        fraction = median([r["cpu_fraction"] for r in results[nproc]]) * 100
        b.add(section, "geopmctl CPU, {} procs, full rings".format(nproc), fraction, "% core",
              floor, fraction / floor if floor > 0 else None,
              target="<= 1 % at 16 procs" if nproc == 16 else "",
              met=(fraction <= 1.0) if nproc == 16 else None)
    for nproc in sizes:
        if nproc in results:
            per = median([r["per_rank_sample_ns"] for r in results[nproc]])
            b.add(section, "CPU per rank per sample, {} procs, full rings".format(nproc), per,
                  "ns", target="<= 1000 ns", met=per <= 1000.0)
    # Linear: one more rank costs the same per sample (the slope between
    # sizes) from 16 to 256 processes.
    per_sample = {n: median([r["per_sample_ns"] for r in results[n]]) for n in results}
    if 16 in per_sample and 256 in per_sample:
        slope = (per_sample[256] - per_sample[16]) / 240
        b.add(section, "marginal CPU per rank per sample, 16..256", slope, "ns",
              target="<= 1000 ns", met=slope <= 1000.0)
        # The slopes between the smaller sizes and the larger ones: the
        # fixed cost of a sample is in neither.
        known = sorted(per_sample)
        top, mid = known[-1], known[-2]
        below = known[-3] if len(known) >= 3 else None
        if below is None:
            raise BenchError("linearity needs three sizes")
        low = (per_sample[mid] - per_sample[below]) / (mid - below)
        high = (per_sample[top] - per_sample[mid]) / (top - mid)
        figure = "linearity: slope {}..{} vs slope {}..{}".format(mid, top, below, mid)
        ratio = high / low if low > 0 else float("nan")
        b.add(section, figure, high, "ns", low, ratio, "ratio ~1 (0.75..1.33)",
              0.75 <= ratio <= 1.33)
    for nproc in light_sizes:
        if nproc in light:
            fraction = median([r["cpu_fraction"] for r in light[nproc]]) * 100
            per = median([r["per_rank_sample_ns"] for r in light[nproc]])
            b.add(section, "geopmctl CPU, {} procs, light writers".format(nproc), fraction,
                  "% core", floor, fraction / floor if floor > 0 else None,
                  target="<= 1 % at 16 procs" if nproc == 16 else "",
                  met=(fraction <= 1.0) if nproc == 16 else None)
            b.add(section, "CPU per rank per sample, {} procs, light".format(nproc), per,
                  "ns", target="<= 1000 ns", met=per <= 1000.0)
    if 16 in light and 256 in light:
        light_sample = {n: median([r["per_sample_ns"] for r in light[n]]) for n in light}
        slope = (light_sample[256] - light_sample[16]) / 240
        b.add(section, "marginal CPU per rank per sample, light, 16..256", slope, "ns",
              target="<= 1000 ns", met=slope <= 1000.0)
    for nproc in sizes:
        if nproc in results:
            got = results[nproc]
            b.add(section, "period jitter |interval-period| median / max, {} procs".format(
                nproc), median([r["jitter_median_ms"] for r in got]), "ms",
                text="{:.3f} / {:.2f} ms".format(median([r["jitter_median_ms"] for r in got]),
                                                  max(r["jitter_max_ms"] for r in got)),
                target="(no target)")
    b.controller_results = results


# ---- 4. start-up -----------------------------------------------------------

def bench_startup(b):
    section = "4. start-up (Open MPI, 2 ranks)"
    program = b.mpi_program("ompi")
    if program is None or not b.have_flavour("ompi"):
        b.add(section, "start-up", None, text="Open MPI not built (skipped)")
        return
    pairs = 2 if b.quick else 7
    cmd = [program, "init"]
    plain, profiled, attach, plain_wall, whole_wall = [], [], [], [], []
    for _ in range(pairs):
        out, wall = b.run_plain("ompi", 2, cmd)
        plain.append(float(parse_fields(out, r"mean_ns ([\d.]+)").group(1)) * 1e-6)
        plain_wall.append(wall)
        out, _, report, whole = b.run_profiled("ompi", 2, cmd, tag="init")
        profiled.append(float(parse_fields(out, r"mean_ns ([\d.]+)").group(1)) * 1e-6)
        whole_wall.append(whole)
        for p in b.report(report).get("Processes") or []:
            attach.append(float(p.get("GEOPM overhead (s)", "nan")) * 1e3)
    log("MPI_Init ms: without {} with {}; attach ms {}".format(
        spread(plain, "{:.1f}"), spread(profiled, "{:.1f}"), spread(attach, "{:.3f}")))
    added = median(profiled) - median(plain)
    b.add(section, "MPI_Init time added per rank (A/B)", added, "ms", median(plain),
          median(profiled) / median(plain), "<= 1 ms", added <= 1.0)
    a = median(attach)
    b.add(section, "attach time per rank (report: GEOPM overhead)", a, "ms",
          target="<= 1 ms", met=a <= 1.0)
    if b.geopmlaunch:
        launch = []
        plain_wall = []
        env = dict(b.env, GEOPM_LAUNCH_BINDIR=os.path.dirname(b.geopmctl),
                   GEOPM_LAUNCH_LIBDIR=b.libs)
        for i in range(pairs):
            plain_wall.append(b.run_plain("ompi", 2, cmd)[1])
            report = b.path("launch-{}.report".format(i))
            launch.append(b.run([b.geopmlaunch, "ompi", "--geopm-report", report, "-np", "2"] +
                                cmd, 300, env=env)[1])
        figure = "geopmlaunch run of a trivial program"
    else:
        # The launcher is not built: the same steps by hand, timed from the
        # controller's start to its exit.
        launch = whole_wall
        figure = "geopmctl + mpirun (no geopmlaunch built)"
        b.notes.append("scripts/geopmlaunch was not built: the launch figure is geopmctl "
                       "started by hand, then mpirun with the preload library, timed from the "
                       "controller's start to its exit.")
    log("launch s: plain {} runtime {}".format(spread(plain_wall, "{:.3f}"),
                                              spread(launch, "{:.3f}")))
    added = median(launch) - median(plain_wall)
    b.add(section, figure, added, "s", median(plain_wall),
          median(launch) / median(plain_wall), "<= +0.2 s", added <= 0.2)


# ---- 5. memory -------------------------------------------------------------

def bench_memory(b):
    section = "5. memory"
    program = os.path.join(b.bench_bin, "bench_markers")
    out, _ = b.run([program, "1", "1"], 60)
    slot = int(parse_fields(out, r"segment bytes per rank\s+(\d+)").group(1))
    b.add(section, "segment bytes per rank (sizeof slot)", slot / 1024, "KiB",
          target="<= 128 KiB", met=slot <= 128 * 1024)
    results = getattr(b, "controller_results", None)
    if not results:
        # The controller section did not run: one run at 256 processes.
        results = {256: [controller_run(b, 256, 3, 600, 4000)]}
    top = max(results)
    hwm = median([r["hwm_b"] for r in results[top]]) / 2**20
    b.add(section, "geopmctl peak RSS, {} procs (report HWM)".format(top), hwm, "MiB",
          target="<= 16 MiB", met=hwm <= 16.0)
    # wait4's ru_maxrss is not shown: it counts the Python process that
    # forked geopmctl, before exec, and so reads ~20 MiB whatever geopmctl
    # does.
    anon = median([r["anon_b"] for r in results[top]]) / 2**20
    shmem = median([r["shmem_b"] for r in results[top]]) / 2**20
    b.add(section, "  of which private (RssAnon, sampled)", anon, "MiB", target="(no target)")
    b.add(section, "  of which segment pages (RssShmem, sampled)", shmem, "MiB",
          target="(no target)")
    segment = (128 + top * slot) / 2**20
    b.add(section, "segment size, {} procs (mapped, shared)".format(top), segment, "MiB",
          target="(no target)")


# ---- 6. real applications --------------------------------------------------

def lammps_input(b, steps):
    source = "/usr/share/lammps/examples/melt/in.melt"
    with open(source) as f:
        text = f.read()
    text = re.sub(r"(?m)^run\s+\d+", "run\t\t{}".format(steps), text)
    path = b.path("in.melt")
    with open(path, "w") as f:
        f.write(text)
    return path


def hpcc_input(n, nb):
    """HPCC's input (tests/hpccinf.txt.in, shared with the HPCC test)."""
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "hpccinf.txt.in")
    with open(path) as f:
        return f.read().replace("@N@", str(n)).replace("@NB@", str(nb))


def app_pairs(b, name, nproc, cmd, pairs, cwd=None, before=None):
    """Alternate runs without and with the runtime.  Returns the wall
    times, their ratios, and the ratios of the CPU time of the whole job
    (ranks, launcher, and geopmctl in the runs with the runtime)."""
    plain, profiled, ratios, cpu_ratios = [], [], [], []
    for _ in range(pairs):
        if before:
            before()
        a = b.run_plain("ompi", nproc, cmd, cwd=cwd, timeout=600)[1]
        a_cpu = b.last_cpu
        if before:
            before()
        w = b.run_profiled("ompi", nproc, cmd, cwd=cwd, timeout=600, tag=name)[1]
        plain.append(a)
        profiled.append(w)
        ratios.append(w / a)
        cpu_ratios.append(b.last_cpu / a_cpu if a_cpu > 0 else float("nan"))
    log("{} wall s: without {} with {}; CPU time ratios {}".format(
        name, spread(plain, "{:.3f}"), spread(profiled, "{:.3f}"),
        spread(cpu_ratios, "{:.3f}")))
    return plain, profiled, ratios, cpu_ratios


def app_rows(b, section, name, figure, nproc, cmd, pairs, cwd, before=None):
    """Runs app_pairs and adds the application's two rows: its wall time
    (target: 1 % at most) and the CPU time of the job."""
    try:
        plain, profiled, ratios, cpu_ratios = app_pairs(b, name, nproc, cmd, pairs, cwd=cwd,
                                                        before=before)
    except BenchError as e:
        b.add(section, name, None, text="failed: " + str(e)[:60])
        return
    r = median(ratios)
    b.add(section, figure, median(profiled), "s", median(plain), r, "<= 1.01", r <= 1.01)
    b.add(section, "{}: CPU time of the job (median ratio)".format(name), None, "",
          ratio=median(cpu_ratios), target="(no target)")


def bench_apps(b):
    section = "6. real applications (Open MPI; ratio: median of the pairs' ratios)"
    pairs = 1 if b.quick else 5
    if not b.have_flavour("ompi"):
        b.add(section, "applications", None, text="Open MPI not built (skipped)")
        return
    lmp = shutil.which("lmp")
    if lmp and os.path.exists("/usr/share/lammps/examples/melt/in.melt"):
        steps = 1000 if b.quick else 5000
        path = lammps_input(b, steps)
        app_rows(b, section, "lammps", "lammps melt, {} steps, 2 ranks: wall".format(steps), 2,
                 [lmp, "-in", path, "-log", "none", "-screen", "none"], pairs, b.tmp)
    else:
        b.add(section, "lammps", None, text="lmp or its melt example missing (skipped)")
    hpcc = shutil.which("hpcc")
    if hpcc:
        work = b.path("hpcc")
        os.makedirs(work, exist_ok=True)
        with open(os.path.join(work, "hpccinf.txt"), "w") as f:
            f.write(hpcc_input(1000, 80))

        def fresh():
            try:
                os.unlink(os.path.join(work, "hpccoutf.txt"))
            except OSError:
                pass
        app_rows(b, section, "hpcc", "hpcc, N=1000, P=2 Q=2, 4 ranks: wall", 4, [hpcc], pairs,
                 work, before=fresh)
    else:
        b.add(section, "hpcc", None, text="hpcc missing (skipped)")


# ---- 7. no loss at speed ---------------------------------------------------

def exact_row(b, section, figure, made, counted):
    diff = counted - made
    b.add(section, figure, diff, "",
          text="exact" if diff == 0 else "{:+d} of {}".format(diff, made),
          target="exact", met=diff == 0)


def bench_loss(b):
    section = "7. no loss at speed (report counts)"
    program = b.mpi_program("ompi")
    if program is not None and b.have_flavour("ompi"):
        per_batch = 125000 if b.quick else 1250000
        out, _, report, _ = b.run_profiled("ompi", 2, [program, "self", str(per_batch), "7"],
                                           tag="loss")
        barriers = int(parse_fields(out, r"barriers (\d+)").group(1))
        procs = b.report(report).get("Processes") or []
        counted = [b.region_count(p, "MPI_Barrier") for p in procs]
        made = barriers * 2
        calls = per_batch * 8
        exact_row(b, section, "MPI_Barrier(SELF), {:,} calls x 2 ranks".format(calls), made,
                  sum(counted) if len(counted) == 2 else -1)
    else:
        b.add(section, "MPI_Barrier", None, text="Open MPI not built (skipped)")
    markers = getattr(b, "loss_markers", None)
    if markers:
        made = sum(m for m, _ in markers)
        counted = sum(c for _, c in markers)
        exact_row(b, section, "enter/exit pairs at full speed, {} run(s) of {:,}".format(
            len(markers), markers[0][0]), made, counted)
    results = getattr(b, "controller_results", None)
    if results:
        top = max(results)
        made = sum(r["made"] for r in results[top])
        counted = sum(r["counted"] for r in results[top])
        exact_row(b, section, "stress writers, {} procs, {:,} pairs".format(top, made), made,
                  counted)


# In the order they run.
RUNNERS = {
    "markers": bench_markers,
    "wrappers": bench_wrappers,
    "controller": bench_controller,
    "startup": bench_startup,
    "memory": bench_memory,
    "apps": bench_apps,
    "loss": bench_loss,
}


SECTIONS = tuple(RUNNERS)
