"""Stand-ins for mpirun.openmpi, mpiexec.mpich, srun and geopmctl, so that
the tests can run geopmlaunch for real on one machine without MPI.

    fake_mpi.py launcher LOG NAME ARGS...   (NAME: mpirun.openmpi, mpiexec.mpich, srun)
    fake_mpi.py geopmctl ARGS...

The launcher logs its argv and its own LD_PRELOAD to LOG (one JSON object a
line), drops its placement options, gives the variables it was told to pass
to the "ranks" (with LD_PRELOAD renamed RANK_LD_PRELOAD, so that nothing is
really preloaded), and runs the command: as itself (exec), or, for the
controllers' line (one per node), once per node.

The controller prints its ready line, then waits until FAKE_APP_DONE exists
(or it gets SIGTERM), and writes its argv, its LD_PRELOAD and how it ended
to --report as JSON.  FAKE_CTL_MODE changes that: "never-ready" waits
without printing, "die" exits 3 at once, "hang" ignores FAKE_APP_DONE.
"""

import json
import os
import signal
import subprocess
import sys
import time

# Launcher options with one value (two for -genv), as the tests use them.
ONE_VALUE = {"-np", "-n", "-N", "--map-by", "--host", "-H", "--hostfile", "-ppn", "-hosts",
             "-f", "--ntasks-per-node", "-w"}


def parse_launcher(args):
    """(copies, rank environment, command)."""
    copies, env, index = 1, {}, 0
    one_per_node = "ppr:1:node" in args or "-ppn" in args or "--ntasks-per-node=1" in args
    while index < len(args) and args[index].startswith("-"):
        arg = args[index]
        if arg == "-x":
            name, _, value = args[index + 1].partition("=")
            env[name] = value
            index += 2
        elif arg == "-genv":
            env[args[index + 1]] = args[index + 2]
            index += 3
        elif arg.startswith("--export="):
            for item in arg[len("--export="):].split(","):
                name, has_value, value = item.partition("=")
                if has_value:
                    env[name] = value
                elif name not in ("ALL", "NONE") and name in os.environ:
                    env[name] = os.environ[name]
            index += 1
        elif arg in ONE_VALUE:
            if arg in ("-np", "-n") and one_per_node:
                copies = int(args[index + 1])
            index += 2
        else:
            index += 1
    return copies, env, args[index:]


def launcher(log_path, name, args):
    with open(log_path, "a", encoding="utf-8") as log:
        log.write(json.dumps({"argv": [name] + args,
                              "LD_PRELOAD": os.environ.get("LD_PRELOAD")}) + "\n")
    copies, rank_env, command = parse_launcher(args)
    env = dict(os.environ)
    if "LD_PRELOAD" in rank_env:
        env["RANK_LD_PRELOAD"] = rank_env.pop("LD_PRELOAD")
    env.update(rank_env)
    if copies == 1:
        os.execvpe(command[0], command, env)
    children = [subprocess.Popen(command, env=dict(env, FAKE_NODE=str(node)))
                for node in range(copies)]

    def forward(signum, frame):
        for child in children:
            child.send_signal(signum)
    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    return max(abs(child.wait()) for child in children)


def option_value(args, name):
    return args[args.index(name) + 1] if name in args else None


def geopmctl(args):
    mode = os.environ.get("FAKE_CTL_MODE", "normal")
    ended = {"how": None}

    def on_term(signum, frame):
        ended["how"] = "signal {}".format(signum)
    signal.signal(signal.SIGTERM, on_term)
    if mode == "die":
        return 3
    if mode != "never-ready":
        # One write, as geopmctl's: the copies share the pipe.
        line = "geopmctl ready fakehost{}\n".format(os.environ.get("FAKE_NODE", ""))
        os.write(sys.stdout.fileno(), line.encode())
    done = os.environ.get("FAKE_APP_DONE", "")
    deadline = time.monotonic() + 60
    while ended["how"] is None and time.monotonic() < deadline:
        if mode == "normal" and done and os.path.exists(done):
            # Late on purpose: geopmlaunch must wait for the report.
            time.sleep(0.3)
            ended["how"] = "app done"
        time.sleep(0.02)
    report = option_value(args, "--report")
    if report:
        with open(report + os.environ.get("FAKE_NODE", ""), "w", encoding="utf-8") as out:
            json.dump({"argv": args, "LD_PRELOAD": os.environ.get("LD_PRELOAD"),
                       "ended": ended["how"]}, out)
    return 0


def main():
    role = sys.argv[1]
    if role == "launcher":
        return launcher(sys.argv[2], sys.argv[3], sys.argv[4:])
    return geopmctl(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
