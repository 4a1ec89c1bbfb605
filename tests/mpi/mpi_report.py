#!/usr/bin/env python3
"""Checks on a geopmctl report (GEOPM's YAML report) for the MPI
integration tests.

Usage: mpi_report.py CHECK REPORT [ARGS...]
       mpi_report.py first-marker TRACE

Each invocation runs one check, prints what it compared, and exits 0 when
the check holds, 1 when it does not, 2 on bad usage or a report that
cannot be read.  `mpi_report.py help` lists the checks.
"""

import inspect
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from report_common import CheckError, load_report as load, region_hash, the_host as host_of  # noqa: E402

PASS, FAIL, ERROR = 0, 1, 2


def region_list(listed, where):
    if listed is None:
        return []
    if not isinstance(listed, list) or not all(isinstance(r, dict) for r in listed):
        raise CheckError(f"{where}: 'Regions' is not a list of mappings")
    return listed


def host_regions(report):
    return region_list(host_of(report).get("Regions"), "host")


def processes(report):
    listed = host_of(report).get("Processes")
    if listed is None:
        return []
    if not isinstance(listed, list) or not all(isinstance(p, dict) for p in listed):
        raise CheckError("'Processes' is not a list of mappings")
    return listed


def process_regions(process):
    return region_list(process.get("Regions"), f"process {process.get('pid')}")


def find(regions, name):
    return [r for r in regions if r.get("region") == name]


def one(regions, name, where):
    found = find(regions, name)
    if len(found) != 1:
        names = [r.get("region") for r in regions]
        raise CheckError(f"{where}: expected one region {name!r}, found {len(found)} in {names}")
    return found[0]


def number(mapping, key, where):
    value = mapping.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CheckError(f"{where}: {key!r} is not a number: {value!r}")
    return value


def as_int(value):
    if isinstance(value, int):
        return value
    return int(str(value).strip().strip('"'), 0)


# ---- checks ---------------------------------------------------------------


def check_loads(path):
    """loads REPORT: YAML with GEOPM's header keys, one host section with
    'Regions', the three totals and 'Application Totals' fields."""
    report = load(path)
    missing = [k for k in ("GEOPM Version", "Start Time", "Profile", "Agent", "Policy", "Hosts")
               if k not in report]
    host = host_of(report)
    for section in ("Unmarked Totals", "Epoch Totals", "Application Totals"):
        if not isinstance(host.get(section), dict):
            missing.append(section)
    for region in host_regions(report):
        for key in ("region", "hash", "runtime (s)", "count", "sync-runtime (s)",
                    "time-hint-network (s)"):
            if key not in region:
                missing.append(f"{region.get('region')}: {key}")
    print(f"{len(host_regions(report))} regions, {len(processes(report))} processes")
    if missing:
        print(f"missing: {missing}")
        return FAIL
    return PASS


def check_region_count(path, name, expected):
    """region-count REPORT NAME COUNT: the host's count of region NAME is
    exactly COUNT."""
    region = one(host_regions(load(path)), name, "host")
    got = region.get("count")
    print(f"host {name} count: expected {expected}, got {got}")
    return PASS if got == int(expected) else FAIL


def check_process_counts(path, name, expected, nproc):
    """process-counts REPORT NAME COUNT NPROC: NPROC processes are listed,
    and each counts exactly COUNT calls of region NAME."""
    procs = processes(load(path))
    status = PASS if len(procs) == int(nproc) else FAIL
    print(f"processes: expected {nproc}, got {len(procs)}")
    for proc in procs:
        found = find(process_regions(proc), name)
        got = found[0].get("count") if len(found) == 1 else f"{len(found)} entries"
        print(f"rank {proc.get('rank')} (pid {proc.get('pid')}) {name} count: "
              f"expected {expected}, got {got}")
        if got != int(expected):
            status = FAIL
    return status


def check_network_is_runtime(path, name):
    """network-is-runtime REPORT NAME: region NAME's time is all network
    time (time-hint-network equals runtime) and is above zero."""
    region = one(host_regions(load(path)), name, "host")
    runtime = number(region, "runtime (s)", name)
    network = number(region, "time-hint-network (s)", name)
    print(f"{name}: runtime {runtime} s, time-hint-network {network} s")
    return PASS if runtime > 0 and math.isclose(network, runtime, rel_tol=1e-6, abs_tol=2e-9) \
        else FAIL


def check_hint_positive(path, name, hint):
    """hint-positive REPORT NAME HINT: region NAME has time under the hint
    (time-hint-HINT above zero)."""
    region = one(host_regions(load(path)), name, "host")
    key = f"time-hint-{hint} (s)"
    value = number(region, key, name)
    print(f"{name}: {key} {value}, runtime {region.get('runtime (s)')}")
    return PASS if value > 0 else FAIL


def check_hints_add_up(path, name):
    """hints-add-up REPORT NAME: region NAME's time-hint-* add up to its
    runtime (within 1%)."""
    region = one(host_regions(load(path)), name, "host")
    runtime = number(region, "runtime (s)", name)
    hints = {k: v for k, v in region.items() if k.startswith("time-hint-")}
    total = sum(hints.values())
    print(f"{name}: runtime {runtime} s, hint times add up to {total} s "
          f"({ {k: v for k, v in hints.items() if v} })")
    return PASS if math.isclose(total, runtime, rel_tol=0.01, abs_tol=1e-6) else FAIL


def check_no_host_region(path, name):
    """no-host-region REPORT NAME: the host section lists no region NAME."""
    names = [r.get("region") for r in host_regions(load(path))]
    print(f"host regions: {names}")
    return PASS if name not in names else FAIL


def check_no_process_region(path, name):
    """no-process-region REPORT NAME: no process section lists region NAME
    (not even with a count of 0)."""
    status = PASS
    for proc in processes(load(path)):
        for region in find(process_regions(proc), name):
            print(f"rank {proc.get('rank')} (pid {proc.get('pid')}) lists {name}: "
                  f"count {region.get('count')}, runtime {region.get('runtime (s)')}")
            status = FAIL
    if status == PASS:
        print(f"no process lists {name}")
    return status


def check_regions_exactly(path, *names):
    """regions-exactly REPORT NAME...: the host's regions are exactly these
    (no call counted under another name)."""
    got = sorted(r.get("region") for r in host_regions(load(path)))
    print(f"host regions: expected {sorted(names)}, got {got}")
    return PASS if got == sorted(names) else FAIL


def check_hash(path, name):
    """hash REPORT NAME: region NAME's hash is crc32(NAME), as in GEOPM."""
    region = one(host_regions(load(path)), name, "host")
    expected = region_hash(name)
    got = as_int(region.get("hash"))
    print(f"{name} hash: expected {expected:#010x}, got {got:#010x}")
    return PASS if got == expected else FAIL


def check_processes(path, nproc, program, status="finished"):
    """processes REPORT NPROC PROGRAM [STATUS]: NPROC processes, ranks 0 to
    NPROC-1 once each, all running PROGRAM and all in STATUS."""
    procs = processes(load(path))
    result = PASS
    ranks = sorted(p.get("rank") for p in procs)
    print(f"ranks: expected {list(range(int(nproc)))}, got {ranks}")
    if ranks != list(range(int(nproc))):
        result = FAIL
    for proc in procs:
        print(f"rank {proc.get('rank')} pid {proc.get('pid')}: program {proc.get('program')!r}, "
              f"status {proc.get('status')}")
        if proc.get("program") != program or proc.get("status") != status:
            result = FAIL
    return result


def check_process_status(path, pid, status):
    """process-status REPORT PID STATUS: the process PID is listed once,
    in STATUS (finished, died)."""
    procs = processes(load(path))
    found = [p for p in procs if str(p.get("pid")) == str(pid)]
    others = ", ".join(f"{p.get('pid')}: {p.get('status')}" for p in procs)
    print(f"processes: {others}")
    if len(found) != 1:
        print(f"pid {pid} is listed {len(found)} times")
        return FAIL
    print(f"pid {pid}: expected {status}, got {found[0].get('status')}")
    return PASS if found[0].get("status") == status else FAIL


def check_process_count(path, nproc):
    """process-count REPORT NPROC: the report lists NPROC processes (a
    report that lists none may leave 'Processes' out)."""
    procs = processes(load(path))
    print(f"processes: expected {nproc}, got {len(procs)}")
    return PASS if len(procs) == int(nproc) else FAIL


def check_mpi_regions(path):
    """mpi-regions REPORT: the host lists MPI regions, every one with a
    count above zero, all network (or io for MPI_File_*) time; prints them."""
    regions = [r for r in host_regions(load(path)) if str(r.get("region")).startswith("MPI_")]
    status = PASS if regions else FAIL
    for region in regions:
        name = region.get("region")
        hint = "io" if name.startswith("MPI_File_") else "network"
        count = region.get("count")
        runtime = number(region, "runtime (s)", name)
        hinted = number(region, f"time-hint-{hint} (s)", name)
        print(f"{name}: count {count}, runtime {runtime} s, time-hint-{hint} {hinted} s")
        if not (isinstance(count, (int, float)) and count > 0) or \
                not math.isclose(hinted, runtime, rel_tol=1e-6, abs_tol=2e-9):
            status = FAIL
    if not regions:
        print("no MPI region in the report")
    return status


def check_get(path, *keys):
    """get REPORT KEY...: prints the value at host section > KEY > ...
    (a region by its name under 'Regions')."""
    value = host_of(load(path))
    for key in keys:
        if isinstance(value, list):
            value = one(value, key, "list")
        elif isinstance(value, dict) and key in value:
            value = value[key]
        else:
            raise CheckError(f"no {key!r} in the report")
    print(value)
    return PASS


def check_first_marker(path):
    """first-marker TRACE: prints the time (seconds after the controller
    started) of the trace's first row in a marked region; fails when no
    row is."""
    unmarked = 0x725E8066
    try:
        with open(path) as f:
            lines = [line.strip() for line in f if line.strip() and not line.startswith("#")]
    except OSError as e:
        raise CheckError(f"cannot read the trace: {e}")
    if not lines or lines[0].split("|")[:3] != ["TIME", "EPOCH_COUNT", "REGION_HASH"]:
        raise CheckError("the trace has no GEOPM header line")
    for line in lines[1:]:
        fields = line.split("|")
        if len(fields) >= 3 and as_int(fields[2]) != unmarked:
            print(fields[0])
            return PASS
    print("no row in a marked region")
    return FAIL


CHECKS = {
    "loads": check_loads,
    "region-count": check_region_count,
    "process-counts": check_process_counts,
    "network-is-runtime": check_network_is_runtime,
    "hint-positive": check_hint_positive,
    "hints-add-up": check_hints_add_up,
    "no-host-region": check_no_host_region,
    "no-process-region": check_no_process_region,
    "regions-exactly": check_regions_exactly,
    "hash": check_hash,
    "processes": check_processes,
    "process-status": check_process_status,
    "process-count": check_process_count,
    "mpi-regions": check_mpi_regions,
    "get": check_get,
    "first-marker": check_first_marker,
}


def main(argv):
    if len(argv) < 3 or argv[1] not in CHECKS:
        print(__doc__)
        for function in CHECKS.values():
            print(function.__doc__)
        return ERROR if len(argv) < 2 or argv[1] != "help" else PASS
    check = CHECKS[argv[1]]
    try:
        inspect.signature(check).bind(*argv[2:])
    except TypeError as e:
        print(f"usage: {check.__doc__.splitlines()[0]} ({e})")
        return ERROR
    try:
        return check(*argv[2:])
    except CheckError as e:
        print(e)
        return ERROR


if __name__ == "__main__":
    sys.exit(main(sys.argv))
