"""What scripts/bench and its sections share: the table, the processes it
starts (geopmctl, the stress writers, MPI jobs with and without the
preload library), and the reading of reports.  Every process is started in
a session of its own and ended by its process group; every segment key is
removed at the end."""

import csv
import os
import re
import resource
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Callable, NamedTuple

PERIOD_S = 0.005  # geopmctl's default period, which every run keeps


class MpiFlavour(NamedTuple):
    name: str
    launcher: str
    preload: str
    count_option: str   # the launcher's option for the number of ranks
    # (NAME, VALUE) -> the launcher's words that give the ranks NAME=VALUE.
    env_words: Callable[[str, str], list]


MPI = {
    "ompi": MpiFlavour("Open MPI", "mpirun.openmpi", "libgeopm_preload.so", "-np",
                       lambda name, value: ["-x", name + "=" + value]),
    "mpich": MpiFlavour("MPICH", "mpiexec.mpich", "libgeopm_preload_mpich.so", "-n",
                        lambda name, value: ["-genv", name, value]),
}


class BenchError(Exception):
    """One benchmark could not be run; the others go on."""


def log(text):
    print("bench: " + text, file=sys.stderr, flush=True)


def median(values):
    return statistics.median(values) if values else float("nan")


def spread(values, fmt="{:.1f}"):
    return "[" + " ".join(fmt.format(v) for v in values) + "]"


# ---- the table -------------------------------------------------------------

class Row:
    """One line of the table.  value and baseline are numbers in unit (or
    text); met is True, False or None (no target, or not measurable)."""

    def __init__(self, section, figure, value, unit="", baseline=None, ratio=None,
                 target="", met=None, text=None):
        self.section = section
        self.figure = figure
        self.value = value
        self.unit = unit
        self.baseline = baseline
        self.ratio = ratio
        self.target = target
        self.met = met
        self.text = text  # shown instead of value when set


def number(value, unit):
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if value != value:  # NaN
        return "n/a"
    magnitude = abs(value)
    if magnitude >= 1000 or value == int(value) and magnitude >= 100:
        shown = "{:.0f}".format(value)
    elif magnitude >= 100:
        shown = "{:.1f}".format(value)
    elif magnitude >= 1:
        shown = "{:.2f}".format(value)
    else:
        shown = "{:.3g}".format(value)
    return shown + (" " + unit if unit else "")


def cells(row):
    value = row.text if row.text is not None else number(row.value, row.unit)
    baseline = number(row.baseline, row.unit)
    ratio = "-" if row.ratio is None else "{:.3f}".format(row.ratio)
    met = {True: "yes", False: "NO", None: "-"}[row.met]
    return [row.figure, value, baseline, ratio, row.target, met]


HEAD = ["figure", "value", "baseline", "ratio", "target", "met"]


def print_table(rows, out):
    table = [cells(row) for row in rows]
    widths = [max(len(line[i]) for line in table + [HEAD]) for i in range(len(HEAD))]
    right = {1, 2, 3}

    def line(fields):
        return "  ".join(f.rjust(w) if i in right else f.ljust(w)
                         for i, (f, w) in enumerate(zip(fields, widths))).rstrip()

    print(line(HEAD), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    section = None
    for row, fields in zip(rows, table):
        if row.section != section:
            section = row.section
            print("[{}]".format(section), file=out)
        print(line(fields), file=out)


def write_csv(rows, path):
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["section", "figure", "value", "baseline", "unit", "ratio", "target",
                      "met"])
        for row in rows:
            value = row.text if row.text is not None else row.value
            out.writerow([row.section, row.figure,
                          "" if value is None else value,
                          "" if row.baseline is None else row.baseline,
                          row.unit,
                          "" if row.ratio is None else "{:.4f}".format(row.ratio),
                          row.target,
                          {True: "yes", False: "no", None: ""}[row.met]])


# ---- processes -------------------------------------------------------------

class Controller:
    def __init__(self, process, key, report, trace, started):
        self.process = process
        self.key = key
        self.report = report
        self.trace = trace
        self.started = started


class Bench:
    def __init__(self, options, build_dir):
        self.quick = options.quick
        self.build_dir = build_dir
        self.tmp = tempfile.mkdtemp(prefix="geopm-bench.")
        self.keep = options.keep
        self.processes = []
        self.keys = []
        self.count = 0
        self.rows = []
        self.notes = []
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith("GEOPM_") and k != "LD_PRELOAD"}
        # Open MPI refuses root unless told, and some runs have more ranks
        # than cores.
        self.env.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
                        OMPI_MCA_rmaps_base_oversubscribe="1")
        self.geopmctl = os.path.join(build_dir, "controller", "geopmctl")
        self.libs = os.path.join(build_dir, "preload", ".libs")
        self.bench_bin = os.path.join(build_dir, "tests", "bench")
        launcher = os.path.join(build_dir, "scripts", "geopmlaunch")
        self.geopmlaunch = launcher if os.access(launcher, os.X_OK) else None

    # -- housekeeping --

    def add(self, *args, **kw):
        row = Row(*args, **kw)
        self.rows.append(row)
        return row

    def name(self, tag):
        self.count += 1
        return "{}-{}".format(tag, self.count)

    def new_key(self, tag):
        key = "/geopm-bench-{}-{}".format(os.getpid(), self.name(tag))
        self.keys.append(key)
        return key

    def path(self, name):
        return os.path.join(self.tmp, name)

    def popen(self, cmd, env=None, stdin=subprocess.DEVNULL, **kw):
        process = subprocess.Popen(cmd, env=env or self.env, start_new_session=True,
                                   stdin=stdin, **kw)
        self.processes.append(process)
        return process

    def stop(self, process, how=signal.SIGKILL):
        """Ends a process this script started, with its own process group
        (each is started in a session of its own)."""
        if process.returncode is None and process.poll() is None:
            try:
                os.killpg(process.pid, how)
            except OSError:
                pass

    def cleanup(self):
        for process in self.processes:
            self.stop(process)
        for process in self.processes:
            try:
                process.wait(timeout=5)
            except (subprocess.TimeoutExpired, ChildProcessError):
                pass
        for key in self.keys:
            try:
                os.unlink("/dev/shm/" + key.lstrip("/"))
            except OSError:
                pass
        if self.keep:
            log("kept " + self.tmp)
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def run(self, cmd, timeout, env=None, cwd=None):
        """Runs cmd in the foreground; returns (stdout, wall seconds).  The
        CPU time of cmd and of the descendants it waited for (an MPI
        launcher's ranks) is left in self.last_cpu."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        process = self.popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop(process)
            process.communicate()
            raise BenchError("{} ran past {} s".format(os.path.basename(cmd[0]), timeout))
        wall = time.monotonic() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.last_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        if process.returncode != 0:
            raise BenchError("{} exited with {}: {}".format(
                " ".join(cmd[:6]), process.returncode, err.decode(errors="replace")[-600:]))
        return out.decode(errors="replace"), wall

    # -- the controller --

    def start_controller(self, nproc, tag, trace=False):
        key = self.new_key(tag)
        base = self.path(self.name(tag))
        report = base + ".report"
        trace_prefix = base + ".trace" if trace else None
        cmd = [self.geopmctl, "--key", key, "--num-proc", str(nproc), "--timeout", "20",
               "--ready-line", "--report", report]
        if trace_prefix:
            cmd += ["--trace", trace_prefix]
        started = time.monotonic()
        with open(base + ".err", "w") as err:
            process = self.popen(cmd, stdout=subprocess.PIPE, stderr=err)
        ready, _, _ = select.select([process.stdout], [], [], 20)
        line = process.stdout.readline().decode(errors="replace") if ready else ""
        if not line.startswith("geopmctl ready"):
            self.stop(process)
            with open(base + ".err") as err:
                raise BenchError("geopmctl printed no ready line: " + err.read()[-600:])
        return Controller(process, key, report, trace_prefix, started)

    def finish_controller(self, ctl, timeout=60, during=None):
        """Waits for geopmctl to exit by itself; returns its resource use
        (wait4), its wall time from start to exit, and its exit status.
        during() is called every 10 ms while it runs."""
        deadline = time.monotonic() + timeout
        pid = ctl.process.pid
        while True:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done == pid:
                break
            if time.monotonic() > deadline:
                self.stop(ctl.process, signal.SIGTERM)
                os.wait4(pid, 0)
                ctl.process.returncode = -1
                raise BenchError("geopmctl did not end within {} s".format(timeout))
            if during:
                during()
            time.sleep(0.01)
        ctl.process.returncode = os.waitstatus_to_exitcode(status)
        ctl.process.stdout.close()
        wall = time.monotonic() - ctl.started
        if ctl.process.returncode != 0:
            raise BenchError("geopmctl exited with {}".format(ctl.process.returncode))
        return usage, wall

    def abort_controller(self, ctl):
        self.stop(ctl.process, signal.SIGTERM)
        try:
            ctl.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.stop(ctl.process)

    # -- MPI --

    def mpi_program(self, flavour):
        path = os.path.join(self.bench_bin, "bench_mpi_" + flavour)
        return path if os.access(path, os.X_OK) else None

    def have_flavour(self, flavour):
        return (shutil.which(MPI[flavour].launcher) is not None and
                os.path.exists(os.path.join(self.libs, MPI[flavour].preload)))

    def mpi_cmd(self, flavour, nproc, cmd, key=None):
        mpi = MPI[flavour]
        line = [mpi.launcher, mpi.count_option, str(nproc)]
        if key:
            line += mpi.env_words("LD_PRELOAD", os.path.join(self.libs, mpi.preload))
            line += mpi.env_words("GEOPM_SHMKEY", key)
        return line + cmd

    def run_plain(self, flavour, nproc, cmd, timeout=300, cwd=None):
        """(stdout, wall) of cmd on nproc ranks without the runtime."""
        return self.run(self.mpi_cmd(flavour, nproc, cmd), timeout, cwd=cwd)

    def run_profiled(self, flavour, nproc, cmd, timeout=300, cwd=None, tag="mpi"):
        """The same under a fresh geopmctl and the preload library;
        returns (stdout, wall of the application, report path, wall from
        the controller's start to its exit).  self.last_cpu is the CPU time
        of the job and of geopmctl."""
        ctl = self.start_controller(nproc, tag)
        try:
            out, wall = self.run(self.mpi_cmd(flavour, nproc, cmd, ctl.key), timeout, cwd=cwd)
        except BenchError:
            self.abort_controller(ctl)
            raise
        cpu = self.last_cpu
        usage, whole = self.finish_controller(ctl)
        self.last_cpu = cpu + usage.ru_utime + usage.ru_stime
        return out, wall, ctl.report, whole

    # -- reports --

    def report(self, path):
        """The host section of a one-node report."""
        try:
            # Imported here: without PyYAML, what needs no report still runs.
            from report_common import CheckError, load_report, the_host
        except ImportError as e:
            raise BenchError("python3 yaml (PyYAML) is needed to read reports ({})".format(e))
        try:
            return the_host(load_report(path))
        except CheckError as e:
            raise BenchError("report {}: {}".format(path, e))

    @staticmethod
    def region_count(process, region):
        for entry in process.get("Regions") or []:
            if entry.get("region") == region:
                return int(entry.get("count", 0))
        return 0


def parse_fields(text, pattern):
    match = re.search(pattern, text)
    if not match:
        raise BenchError("unexpected output: {!r} (wanted {})".format(text[-300:], pattern))
    return match
