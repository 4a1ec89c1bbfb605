"""Checks of geopmlaunch, printed as TAP.

    python3 check_geopmlaunch.py GEOPMLAUNCH

First its --geopm-dry-run output for each launcher: the commands it would
run, parsed back with shlex.  Then a few real runs with stand-in launchers
and controller (fake_mpi.py) on PATH: readiness, exit status, signals and
where LD_PRELOAD goes.
"""

import json
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time

GEOPMLAUNCH = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
BUILDDIR = os.environ.get("abs_top_builddir", os.path.dirname(os.path.dirname(HERE)))
BINDIR = os.path.join(BUILDDIR, "controller")
LIBDIR = os.path.join(BUILDDIR, "preload", ".libs")
KEY_FORM = re.compile(r"/geopm-\d+-\d+-[0-9a-f]{8}")


class Tap:
    def __init__(self):
        self.count = 0

    def check(self, description, condition, detail=""):
        self.count += 1
        print("{} {} - {}".format("ok" if condition else "not ok", self.count, description))
        if not condition and detail:
            for line in str(detail).splitlines():
                print("# " + line)
        return condition

    def done(self):
        print("1..{}".format(self.count))


TAP = Tap()


def clean_env(**extra):
    """The test's environment without anything geopmlaunch reads."""
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("GEOPM_", "SLURM_")) and name != "LD_PRELOAD"}
    env.update(GEOPM_LAUNCH_BINDIR=BINDIR, GEOPM_LAUNCH_LIBDIR=LIBDIR)
    env.update(extra)
    return env


def launch(args, env=None, cwd=None, timeout=60):
    """Runs geopmlaunch; returns when it exits.  Its output goes to files,
    not pipes: with pipes, the wait would also last as long as any process
    that inherited them (the controllers), and hide an early return."""
    command = [sys.executable, GEOPMLAUNCH] + args
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            status = subprocess.run(command, env=env or clean_env(), cwd=cwd, stdout=out,
                                    stderr=err, timeout=timeout, check=False).returncode
        except subprocess.TimeoutExpired:
            status = "killed after {} s".format(timeout)
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(command, status, out.read().decode(errors="replace"),
                                           err.read().decode(errors="replace"))


def dry_run(args, env=None, cwd=None):
    """{'controller': argv or None, 'application': argv} and the result."""
    result = launch(args[:1] + ["--geopm-dry-run"] + args[1:], env, cwd)
    lines = {}
    for line in result.stdout.splitlines():
        label, _, command = line.partition(": ")
        lines[label] = None if command.startswith("none") else shlex.split(command)
    return lines, result


def value_after(argv, option):
    """The value after the first option in argv, or None."""
    return argv[argv.index(option) + 1] if argv and option in argv else None


def rank_env(flavour, app):
    """{name: value} of what the application line gives the ranks."""
    env = {}
    for index, word in enumerate(app):
        if flavour == "ompi" and word == "-x":
            name, _, value = app[index + 1].partition("=")
            env[name] = value
        elif flavour == "mpich" and word == "-genv":
            env[app[index + 1]] = app[index + 2]
        elif flavour == "srun" and word.startswith("--export="):
            for item in word[len("--export="):].split(","):
                name, _, value = item.partition("=")
                env[name] = value
    return env


def without_inserted(flavour, app):
    """The application line without what geopmlaunch inserted."""
    words, index = [], 0
    while index < len(app):
        word = app[index]
        if flavour == "ompi" and word == "-x" and re.match(r"(LD_PRELOAD|GEOPM_)", app[index + 1]):
            index += 2
        elif flavour == "mpich" and word == "-genv" and re.match(r"(LD_PRELOAD|GEOPM_)",
                                                                 app[index + 1]):
            index += 3
        elif flavour == "srun" and word.startswith("--export="):
            index += 1
        else:
            words.append(word)
            index += 1
    return words


# ---------------------------------------------------------------------------
# Dry runs, one per launcher, with the same job: 8 ranks on hosts a and b.

FLAVOURS = {
    # flavour: (command, preload, user's line with --geopm options mixed in,
    #           the line the application must keep, placement of controllers)
    "ompi": ("mpirun.openmpi", "libgeopm_preload.so",
             ["-np", "8", "--geopm-report", "r.yaml", "--host", "a,b",
              "--geopm-trace=t.csv", "-x", "FOO=1", "--geopm-period", "0.01",
              "--geopm-profile=prof", "--geopm-timeout", "9", "./app", "-v", "in put"],
             ["-np", "8", "--host", "a,b", "-x", "FOO=1", "./app", "-v", "in put"],
             ["--map-by", "ppr:1:node", "-np", "2", "--host", "a,b"]),
    "mpich": ("mpiexec.mpich", "libgeopm_preload_mpich.so",
              ["-n", "8", "--geopm-report=r.yaml", "-hosts", "a,b", "--geopm-trace", "t.csv",
               "-genv", "FOO", "1", "--geopm-period=0.01", "--geopm-profile", "prof",
               "--geopm-timeout=9", "./app", "-v", "in put"],
              ["-n", "8", "-hosts", "a,b", "-genv", "FOO", "1", "./app", "-v", "in put"],
              ["-ppn", "1", "-n", "2", "-hosts", "a,b"]),
    "srun": ("srun", "libgeopm_preload.so",
             ["-N", "2", "--geopm-report", "r.yaml", "-n8", "--geopm-trace", "t.csv",
              "--cpu-bind=cores", "--geopm-period", "0.01", "--geopm-profile", "prof",
              "--geopm-timeout", "9", "./app", "-v", "in put"],
             ["-N", "2", "-n8", "--cpu-bind=cores", "./app", "-v", "in put"],
             ["--overlap", "-N", "2", "-n", "2", "--ntasks-per-node=1"]),
}


def check_flavour(flavour, workdir):
    command, preload, args, kept, placement = FLAVOURS[flavour]
    lines, result = dry_run([flavour] + args, cwd=workdir)
    ctl, app = lines.get("controller"), lines.get("application")
    detail = result.stdout + result.stderr
    if not TAP.check("{}: dry run prints both commands".format(flavour),
                     result.returncode == 0 and ctl and app, detail):
        return
    TAP.check("{}: controllers started with {}, one per node".format(flavour, command),
              ctl[0] == command and ctl[1:1 + len(placement)] == placement, shlex.join(ctl))
    geopmctl = os.path.join(BINDIR, "geopmctl")
    ctl_args = ctl[ctl.index(geopmctl) + 1:] if geopmctl in ctl else []
    TAP.check("{}: runs {} with --ready-line".format(flavour, geopmctl),
              "--ready-line" in ctl_args, shlex.join(ctl))
    TAP.check("{}: --num-proc 4 (8 ranks on 2 nodes)".format(flavour),
              value_after(ctl_args, "--num-proc") == "4", shlex.join(ctl))
    expected = {"--report": os.path.join(workdir, "r.yaml"),
                "--trace": os.path.join(workdir, "t.csv"), "--period": "0.01",
                "--profile": "prof", "--timeout": "9"}
    given = {name: value_after(ctl_args, name) for name in expected}
    TAP.check("{}: report, trace, period, profile and timeout passed to geopmctl".format(
        flavour), given == expected, "{} != {}".format(given, expected))
    env = rank_env(flavour, app)
    key = value_after(ctl_args, "--key")
    TAP.check("{}: one job key, in both lines".format(flavour),
              key is not None and KEY_FORM.fullmatch(key) and env.get("GEOPM_SHMKEY") == key,
              "key {} ranks {}".format(key, env.get("GEOPM_SHMKEY")))
    TAP.check("{}: ranks get LD_PRELOAD={}".format(flavour, preload),
              env.get("LD_PRELOAD") == os.path.join(LIBDIR, preload), shlex.join(app))
    preload_words = [word for word in app if "LD_PRELOAD" in word]
    TAP.check("{}: LD_PRELOAD only through the launcher's option for the ranks".format(flavour),
              len(preload_words) == 1 and app[0] == command
              and not any("LD_PRELOAD" in word for word in ctl), shlex.join(app))
    TAP.check("{}: ranks get GEOPM_TIMEOUT and GEOPM_PROFILE".format(flavour),
              env.get("GEOPM_TIMEOUT") == "9" and env.get("GEOPM_PROFILE") == "prof", env)
    TAP.check("{}: user's arguments kept in order, --geopm options removed".format(flavour),
              without_inserted(flavour, app) == [command] + kept, shlex.join(app))


def check_layouts(workdir):
    hostfile = os.path.join(workdir, "hosts")
    with open(hostfile, "w", encoding="utf-8") as out:
        out.write("# the nodes\nn1 slots=2\nn2 slots=2\n\nn3 slots=2 # last\nn1\n")
    cases = [
        ("ompi --hostfile: 3 distinct hosts, 6 ranks",
         ["ompi", "--hostfile", hostfile, "-np", "6", "app"], {}, "-np", "3", "2",
         ["--hostfile", hostfile]),
        ("ompi --map-by ppr:2:node -np 8: 4 nodes", ["ompi", "--map-by", "ppr:2:node", "-np",
                                                     "8", "app"], {}, "-np", "4", "2", []),
        ("ompi -H a:4,b:4,a -n 8: 2 nodes", ["ompi", "-H", "a:4,b:4,a", "-n", "8", "app"], {},
         "-np", "2", "4", ["-H", "a:4,b:4,a"]),
        ("ompi -np 3 --host a,b,c,d: 3 nodes", ["ompi", "-np", "3", "--host", "a,b,c,d", "app"],
         {}, "-np", "3", "1", []),
        ("ompi without ranks: 1 node, no --num-proc", ["ompi", "app"], {}, "-np", "1", None, []),
        ("mpich -f FILE -ppn 2 -n 4", ["mpich", "-f", hostfile, "-ppn", "2", "-n", "4", "app"],
         {}, "-n", "2", "2", ["-f", hostfile]),
        ("srun -n 6 in a 3-node allocation", ["srun", "-n", "6", "app"],
         {"SLURM_NNODES": "3"}, "-N", "3", "2", []),
        ("srun --ntasks-per-node 4 --nodes=2", ["srun", "--ntasks-per-node", "4", "--nodes=2",
                                                "app"], {}, "-N", "2", "4", []),
        ("srun -w list copied", ["srun", "-w", "n[1-2]", "-N", "2", "app"], {}, "-N", "2", None,
         ["-w", "n[1-2]"]),
    ]
    for description, args, extra, count_option, nodes, per_node, copied in cases:
        lines, result = dry_run(args, env=clean_env(**extra), cwd=workdir)
        ctl = lines.get("controller") or []
        ok = (result.returncode == 0 and value_after(ctl, count_option) == nodes
              and value_after(ctl, "--num-proc") == per_node
              and all(word in ctl for word in copied))
        TAP.check(description, ok, result.stdout + result.stderr)


def check_defaults_and_env(workdir):
    lines, result = dry_run(["ompi", "-np", "2", "/some/where/my_app", "arg"], cwd=workdir)
    ctl = lines.get("controller") or []
    TAP.check("report defaults to geopm.report here, profile to the application's name",
              value_after(ctl, "--report") == os.path.join(workdir, "geopm.report")
              and value_after(ctl, "--profile") == "my_app"
              and rank_env("ompi", lines.get("application") or []).get("GEOPM_PROFILE")
              == "my_app", result.stdout + result.stderr)
    TAP.check("no trace, period or timeout unless asked",
              not {"--trace", "--period", "--timeout"} & set(ctl), shlex.join(ctl))
    env = clean_env(GEOPM_REPORT="/tmp/env.report", GEOPM_PERIOD="0.5", GEOPM_TRACE="/tmp/tr",
                    GEOPM_PROGRAM_FILTER="my_app", GEOPM_PROFILE="envprof")
    lines, result = dry_run(["ompi", "-np", "2", "--geopm-report", "opt.report", "app"], env,
                            workdir)
    ctl = lines.get("controller") or []
    ranks = rank_env("ompi", lines.get("application") or [])
    TAP.check("GEOPM_* variables are read; options override them",
              value_after(ctl, "--report") == os.path.join(workdir, "opt.report")
              and value_after(ctl, "--period") == "0.5" and value_after(ctl, "--trace")
              == "/tmp/tr" and value_after(ctl, "--profile") == "envprof"
              and ranks.get("GEOPM_PROGRAM_FILTER") == "my_app", result.stdout + result.stderr)
    env = clean_env(LD_PRELOAD="/opt/other.so")
    lines, result = dry_run(["mpich", "-n", "2", "app"], env, workdir)
    TAP.check("the user's own LD_PRELOAD stays, after the runtime's",
              rank_env("mpich", lines.get("application") or []).get("LD_PRELOAD")
              == os.path.join(LIBDIR, "libgeopm_preload_mpich.so") + ":/opt/other.so",
              result.stdout)
    lines, result = dry_run(["srun", "--export=NONE", "-n", "2", "--geopm-program-filter",
                             "a,b", "app"], cwd=workdir)
    app = lines.get("application") or []
    exports = [word for word in app if word.startswith("--export")]
    TAP.check("srun: the user's --export=NONE is extended, not overridden",
              len(exports) == 1 and exports[0].startswith("--export=LD_PRELOAD=")
              and ",GEOPM_SHMKEY=" in exports[0], shlex.join(app))
    TAP.check("srun: a value with a comma goes through env(1), named in --export",
              app[:2] == ["env", "GEOPM_PROGRAM_FILTER=a,b"] and app[2] == "srun"
              and exports and exports[0].endswith(",GEOPM_PROGRAM_FILTER"), shlex.join(app))
    lines, result = dry_run(["ompi", "--geopm-ctl-disable", "-np", "2", "app"], cwd=workdir)
    ranks = rank_env("ompi", lines.get("application") or [])
    TAP.check("--geopm-ctl-disable: no controller; ranks preloaded, told not to wait",
              result.returncode == 0 and lines.get("controller", 0) is None
              and ranks.get("LD_PRELOAD") and ranks.get("GEOPM_TIMEOUT") == "0",
              result.stdout + result.stderr)
    lines, result = dry_run(["ompi", "-np", "2", "app", "--geopm-report", "x"], cwd=workdir)
    TAP.check("--geopm options after the application are left to it, with a warning",
              (lines.get("application") or [])[-3:] == ["app", "--geopm-report", "x"]
              and "warning" in result.stderr, result.stdout + result.stderr)


def check_refused():
    cases = [
        (["ompi", "--geopm-period", "0", "-np", "2", "app"], {}, "--geopm-period"),
        (["ompi", "--geopm-period=-1", "app"], {}, "--geopm-period"),
        (["ompi", "--geopm-period", "nan", "app"], {}, "--geopm-period"),
        (["ompi", "--geopm-timeout", "1.5", "app"], {}, "--geopm-timeout"),
        (["ompi", "--geopm-timeout=x", "app"], {}, "--geopm-timeout"),
        (["ompi", "--geopm-report=", "app"], {}, "--geopm-report"),
        (["ompi", "--geopm-xyz", "1", "app"], {}, "--geopm-xyz"),
        (["ompi", "--geopm-dry-run=yes", "app"], {}, "--geopm-dry-run"),
        (["ompi", "app", "--geopm-period"], {}, None),  # the app's own argument
        # A count that is not a number is the launcher's to refuse.
        (["ompi", "-np", "\u00b2", "app"], {}, None),
        (["ompi", "-np", "2", "--geopm-profile"], {}, "--geopm-profile"),
        (["ompi", "-np", "2", "app"], {"GEOPM_PERIOD": "abc"}, "GEOPM_PERIOD"),
        (["ompi", "-np", "2", "app"], {"GEOPM_TIMEOUT": "-3"}, "GEOPM_TIMEOUT"),
        (["ompi", "-np", "2"], {}, "application"),
        (["lsf", "-n", "2", "app"], {}, "lsf"),
        ([], {}, "launcher"),
    ]
    for args, extra, named in cases:
        result = launch(args[:1] + ["--geopm-dry-run"] + args[1:] if args else args,
                        clean_env(**extra))
        words = " ".join(shlex.quote(arg) for arg in args) or "(nothing)"
        if named is None:
            TAP.check("not refused: {}".format(words), result.returncode == 0, result.stderr)
            continue
        TAP.check("refused with status 2, naming {}: {} {}".format(
            named, " ".join("{}={}".format(*item) for item in extra.items()), words),
            result.returncode == 2 and named in result.stderr,
            "status {}\n{}".format(result.returncode, result.stderr))
    result = launch(["--help"])
    TAP.check("--help names every option and variable",
              result.returncode == 0 and all(word in result.stdout for word in (
                  "--geopm-report", "--geopm-trace", "--geopm-period", "--geopm-timeout",
                  "--geopm-profile", "--geopm-program-filter", "--geopm-ctl-disable",
                  "--geopm-dry-run", "GEOPM_REPORT", "GEOPM_PROGRAM_FILTER", "ompi", "mpich",
                  "srun")), result.stdout)
    result = launch(["--version"])
    TAP.check("--version", result.returncode == 0 and re.match(r"geopmlaunch .*\d", result.stdout),
              result.stdout + result.stderr)


# ---------------------------------------------------------------------------
# Real runs with stand-ins.

class FakeSite:
    """A folder with fake launchers on PATH, a fake geopmctl and preloads."""

    def __init__(self, root):
        self.root = root
        self.bin = os.path.join(root, "bin")
        self.ctl_dir = os.path.join(root, "ctl")
        self.lib = os.path.join(root, "lib")
        self.log = os.path.join(root, "launcher.log")
        self.done = os.path.join(root, "app.done")
        for folder in (self.bin, self.ctl_dir, self.lib):
            os.makedirs(folder)
        fake = os.path.join(HERE, "fake_mpi.py")
        for name in ("mpirun.openmpi", "mpiexec.mpich", "srun"):
            self._script(os.path.join(self.bin, name), "exec {} {} launcher {} {} \"$@\"".format(
                shlex.quote(sys.executable), shlex.quote(fake), shlex.quote(self.log), name))
        self._script(os.path.join(self.ctl_dir, "geopmctl"), "exec {} {} geopmctl \"$@\"".format(
            shlex.quote(sys.executable), shlex.quote(fake)))
        # The libraries geopmlaunch finds the application linked with.
        self._script(os.path.join(self.bin, "ldd"), 'printf "%s\\n" "${FAKE_LDD:-}"')
        for name in ("libgeopm_preload.so", "libgeopm_preload_mpich.so"):
            open(os.path.join(self.lib, name), "w").close()

    @staticmethod
    def _script(path, line):
        with open(path, "w", encoding="utf-8") as out:
            out.write("#!/bin/sh\n" + line + "\n")
        os.chmod(path, 0o755)

    def env(self, **extra):
        settings = dict(PATH=self.bin + os.pathsep + os.environ.get("PATH", ""),
                        GEOPM_LAUNCH_BINDIR=self.ctl_dir, GEOPM_LAUNCH_LIBDIR=self.lib,
                        FAKE_APP_DONE=self.done, SLURM_JOB_ID="1")
        settings.update(extra)
        return clean_env(**settings)

    def reset(self):
        """Removes what the last run left: a stale report must not pass
        for the next run's."""
        for name in os.listdir(self.root):
            path = os.path.join(self.root, name)
            if os.path.isfile(path):
                os.remove(path)

    def launcher_log(self):
        if not os.path.exists(self.log):
            return []
        with open(self.log, encoding="utf-8") as stream:
            return [json.loads(line) for line in stream]

    def report(self, path):
        try:
            with open(path, encoding="utf-8") as stream:
                return json.load(stream)
        except (OSError, ValueError):
            return None


def app_line(site, script):
    """An application that marks itself done (for the fake controllers),
    then runs script in sh."""
    return ["sh", "-c", ": > {}; {}".format(shlex.quote(site.done), script)]


def check_runs(root):
    site = FakeSite(root)
    report = os.path.join(root, "report")
    seen = os.path.join(root, "seen")
    script = ('echo "$RANK_LD_PRELOAD $GEOPM_SHMKEY $LD_PRELOAD" > {}; exit 3'
              .format(shlex.quote(seen)))
    for flavour, (_, preload, *_) in FLAVOURS.items():
        site.reset()
        begun = time.monotonic()
        result = launch([flavour, "-n", "2", "--geopm-report", report]
                        + app_line(site, script), site.env(), root)
        ctl_report = site.report(report) or {}
        log = site.launcher_log()
        TAP.check("{} run: the application's exit status (3), after the report".format(flavour),
                  result.returncode == 3 and ctl_report.get("ended") == "app done",
                  "status {} report {}\n{}".format(result.returncode, ctl_report, result.stderr))
        with open(seen, encoding="utf-8") as stream:
            rank_preload, key, own_preload = (stream.read().split() + [None] * 3)[:3]
        TAP.check("{} run: LD_PRELOAD for the ranks only, not for {} or geopmctl".format(
            flavour, log[0]["argv"][0] if log else "the launcher"),
            rank_preload == os.path.join(site.lib, preload) and own_preload is None
            and len(log) == 2 and all(entry["LD_PRELOAD"] is None for entry in log)
            and ctl_report.get("LD_PRELOAD") is None
            and key == value_after(ctl_report.get("argv"), "--key"),
            "{} {} {}\n{}".format(rank_preload, key, log, ctl_report))
        TAP.check("{} run: took well under the controllers' grace".format(flavour),
                  time.monotonic() - begun < 8, time.monotonic() - begun)

    site.reset()
    result = launch(["ompi", "-np", "4", "--host", "a,b", "--geopm-report", report]
                    + app_line(site, "kill -TERM $$"), site.env(), root)
    TAP.check("two nodes: waits for both ready lines; killed by SIGTERM -> status 143",
              result.returncode == 143 and site.report(report + "0") and site.report(report + "1"),
              "status {}\n{}".format(result.returncode, result.stderr))

    site.reset()
    begun = time.monotonic()
    result = launch(["ompi", "-np", "2", "--geopm-timeout", "1"] + app_line(site, "true"),
                    site.env(FAKE_CTL_MODE="never-ready"), root)
    TAP.check("no ready line within --geopm-timeout: status 1, application not run",
              result.returncode == 1 and "ready" in result.stderr and len(site.launcher_log()) == 1
              and time.monotonic() - begun < 10, "status {}\n{}".format(result.returncode,
                                                                        result.stderr))

    site.reset()
    result = launch(["ompi", "-np", "2"] + app_line(site, "true"),
                    site.env(FAKE_CTL_MODE="die"), root)
    TAP.check("controllers exit before ready: status 1 with a message",
              result.returncode == 1 and "exited" in result.stderr
              and len(site.launcher_log()) == 1, result.stderr)

    site.reset()
    begun = time.monotonic()
    result = launch(["ompi", "-np", "2", "--geopm-timeout", "0", "--geopm-report", report]
                    + app_line(site, "true"), site.env(FAKE_CTL_MODE="hang"), root, timeout=60)
    ended = (site.report(report) or {}).get("ended")
    TAP.check("controllers that outlive the bound get SIGTERM, with a warning",
              result.returncode == 0 and ended == "signal 15" and "warning" in result.stderr
              and 9 < time.monotonic() - begun < 30,
              "status {} ended {} after {:.1f} s\n{}".format(
                  result.returncode, ended, time.monotonic() - begun, result.stderr))

    site.reset()
    started = os.path.join(root, "started")
    process = subprocess.Popen(
        [sys.executable, GEOPMLAUNCH, "ompi", "-np", "2", "--geopm-report", report, "sh", "-c",
         ": > {}; exec sleep 30".format(shlex.quote(started))],
        env=site.env(), cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while not os.path.exists(started) and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    try:
        _, err = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
    TAP.check("SIGTERM to geopmlaunch reaches the application and the controllers",
              process.returncode == 143 and (site.report(report) or {}).get("ended")
              == "signal 15", "status {} report {}\n{}".format(
                  process.returncode, site.report(report), err.decode(errors="replace")))

    mpich_linked = "\tlibmpich.so.12 => /usr/lib/libmpich.so.12 (0x0)"
    for flavour, warned in (("ompi", True), ("mpich", False)):
        site.reset()
        result = launch([flavour, "-n", "2"] + app_line(site, "true"),
                        site.env(FAKE_LDD=mpich_linked), root)
        warning = ("is linked with MPICH (libmpich), but the ompi launcher preloads "
                   "libgeopm_preload.so")
        TAP.check("{} launcher, application linked with MPICH: {}".format(
            flavour, "a warning naming both" if warned else "no warning"),
            result.returncode == 0 and (warning in result.stderr) == warned
            and ("warning" in result.stderr) == warned, result.stderr)

    result = launch(["ompi", "-np", "2", "true"], site.env(GEOPM_LAUNCH_LIBDIR=root), root)
    TAP.check("a missing preload library: status 1, naming it",
              result.returncode == 1 and os.path.join(root, "libgeopm_preload.so")
              in result.stderr, result.stderr)
    env = site.env()
    del env["SLURM_JOB_ID"]
    result = launch(["srun", "-n", "2", "true"], env, root)
    TAP.check("srun outside an allocation: status 1", result.returncode == 1
              and "SLURM_JOB_ID" in result.stderr, result.stderr)


def main():
    with tempfile.TemporaryDirectory(prefix="geopmlaunch-test-") as root:
        workdir = os.path.join(root, "work")
        os.makedirs(workdir)
        for flavour in FLAVOURS:
            check_flavour(flavour, workdir)
        check_layouts(workdir)
        check_defaults_and_env(workdir)
        check_refused()
        check_runs(os.path.join(root, "run"))
    TAP.done()
    return 0


if __name__ == "__main__":
    sys.exit(main())
