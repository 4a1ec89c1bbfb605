#!/usr/bin/env python3
"""Checks on a geopmctl report (GEOPM's YAML report) or trace (GEOPM's
'|'-separated CSV), for the integration tests.

Usage: report_check.py CHECK FILE [ARGS...]

Each invocation runs one check and prints one or more lines saying what it
compared; the exit status is 0 when the check holds, 1 when it does not,
77 when it cannot apply here (the line says why) and 2 on bad usage or an
unreadable file.  `report_check.py help` lists the checks.
"""

import json
import math
import os
import re
import socket
import sys


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from report_common import CheckError, load_report, region_hash, the_host  # noqa: E402

PASS, FAIL, SKIP, ERROR = 0, 1, 77, 2

# GEOPM's reserved region hashes (unmarked, epoch, application).
RESERVED_HASHES = {0x725E8066, 0x66C91423, 0x9D540C53}

TRACE_COLUMNS = ["TIME", "EPOCH_COUNT", "REGION_HASH", "REGION_HINT", "REGION_PROGRESS"]


def as_int(value):
    """A hash as written in a report or trace: YAML reads 0x... as an int,
    a quoted hash is a string."""
    if isinstance(value, int):
        return value
    return int(str(value).strip().strip('"'), 0)


def relative_error(got, expected):
    if expected == 0:
        return math.inf if got != 0 else 0.0
    return abs(got - expected) / abs(expected)


# ---- reading the report -------------------------------------------------


def regions(report):
    listed = the_host(report).get("Regions")
    if listed is None:
        return []
    if not isinstance(listed, list):
        raise CheckError("'Regions' is not a list")
    return listed


def the_region(report, name):
    found = [r for r in regions(report) if isinstance(r, dict) and r.get("region") == name]
    if len(found) != 1:
        names = [r.get("region") for r in regions(report) if isinstance(r, dict)]
        raise CheckError(f"expected one region named {name!r}, found {len(found)} among {names}")
    return found[0]


def totals(report, section):
    value = the_host(report).get(section)
    if not isinstance(value, dict):
        raise CheckError(f"the host has no {section!r} mapping")
    return value


def field(mapping, key, where):
    if key not in mapping:
        raise CheckError(f"{where} has no {key!r} field; it has {sorted(mapping)}")
    return mapping[key]


def processes(report):
    """The per-process records of the host: a list (or mapping) of mappings
    that each carry a pid, wherever the host section keeps them."""
    host = the_host(report)
    for key, value in host.items():
        entries = value.values() if isinstance(value, dict) else value
        if isinstance(value, (list, dict)) and entries:
            entries = list(entries)
            if all(isinstance(e, dict) and "pid" in e for e in entries):
                return key, entries
    raise CheckError(f"the host section has no per-process list (keys: {sorted(host)})")


# ---- checks on the report -----------------------------------------------


# The fields every report has, by section (GEOPM's names).
REGION_FIELDS = ["region", "hash", "runtime (s)", "count", "sync-runtime (s)",
                 "time-hint-network (s)"]
TOTALS_FIELDS = {
    "Unmarked Totals": ["runtime (s)", "count"],
    "Epoch Totals": ["runtime (s)", "count"],
    "Application Totals": ["runtime (s)", "count", "GEOPM overhead (s)",
                           "geopmctl memory HWM (B)"],
}


def check_loads(path):
    """loads REPORT: the report is YAML with GEOPM's header keys and one
    host section (this machine) whose regions and totals have GEOPM's
    fields."""
    report = load_report(path)
    missing = [k for k in ("GEOPM Version", "Start Time", "Profile", "Agent", "Policy", "Hosts")
               if k not in report]
    host = the_host(report)
    if not isinstance(host, dict):
        raise CheckError(f"the host section is not a mapping: {host!r}")
    for section, keys in TOTALS_FIELDS.items():
        value = host.get(section)
        if not isinstance(value, dict):
            missing.append(f"Hosts/<host>/{section}")
            continue
        missing += [f"{section}/{k}" for k in keys if k not in value]
    if not isinstance(host.get("Regions"), list):
        missing.append("Hosts/<host>/Regions (a list)")
    for r in regions(report) if isinstance(host.get("Regions"), list) else []:
        missing += [f"Regions/{r.get('region', '?') if isinstance(r, dict) else r}/{k}"
                    for k in REGION_FIELDS if not isinstance(r, dict) or k not in r]
    hosts = sorted(report.get("Hosts", {}))
    print(f"top-level keys {sorted(report)}; hosts {hosts}; this host {socket.gethostname()!r}")
    if missing:
        print(f"missing: {missing}")
        return FAIL
    if hosts != [socket.gethostname()]:
        print(f"expected exactly this host, got {hosts}")
        return FAIL
    return PASS


def check_header(path, key, expected):
    """header REPORT KEY VALUE: a top-level field has this value."""
    got = field(load_report(path), key, "the report")
    print(f"{key}: expected {expected!r}, got {got!r}")
    return PASS if str(got) == expected else FAIL


def check_region_count(path, name, *expected):
    """region-count REPORT NAME N [N...]: the host's count of the region is
    exactly N (one of the Ns, where two readings of a rule are allowed)."""
    if not expected:
        raise TypeError("no expected count")
    got = field(the_region(load_report(path), name), "count", f"region {name!r}")
    wanted = [float(e) for e in expected]
    print(f"region {name!r} count: expected {' or '.join(expected)}, got {got!r}")
    return PASS if any(float(got) == w for w in wanted) else FAIL


def check_region_runtime(path, name, expected, tolerance):
    """region-runtime REPORT NAME SECONDS TOL: the host's runtime of the
    region is within TOL (relative, 0.05 = 5%) of SECONDS."""
    got = float(field(the_region(load_report(path), name), "runtime (s)", f"region {name!r}"))
    err = relative_error(got, float(expected))
    print(f"region {name!r} runtime: expected {float(expected):.4f} s "
          f"+-{float(tolerance):.0%}, got {got:.4f} s ({err:.2%} off)")
    return PASS if err <= float(tolerance) else FAIL


def check_region_nominal(path, name, nominal, tolerance, measured):
    """region-nominal REPORT NAME NOMINAL TOL MEASURED: the region's runtime
    is within TOL of its nominal length (iterations x ms).  That length is
    only what the processes get when each has a CPU of its own: when their
    own measure (MEASURED, mean seconds per process) is already more than
    TOL/2 over the nominal length, the machine is oversubscribed and the
    check cannot apply (77); the runtime is then compared with MEASURED by
    region-runtime instead."""
    nominal, tolerance, measured = float(nominal), float(tolerance), float(measured)
    got = float(field(the_region(load_report(path), name), "runtime (s)", f"region {name!r}"))
    if got < nominal * (1 - tolerance):
        print(f"region {name!r} runtime {got:.4f} s is less than its nominal length "
              f"{nominal:.4f} s: the program spins for at least that long")
        return FAIL
    if measured > nominal * (1 + tolerance / 2):
        print(f"the processes themselves measured {measured:.4f} s in {name!r} for a nominal "
              f"{nominal:.4f} s ({os.cpu_count()} CPUs, oversubscribed); "
              f"report {got:.4f} s is at least nominal")
        return SKIP
    err = relative_error(got, nominal)
    print(f"region {name!r} runtime: nominal {nominal:.4f} s +-{tolerance:.0%}, "
          f"got {got:.4f} s ({err:.2%} off)")
    return PASS if err <= tolerance else FAIL


def check_region_hint_time(path, name, hint, tolerance):
    """region-hint-time REPORT NAME HINT TOL: the region's time under its
    hint ('time-hint-HINT (s)') is within TOL of its runtime."""
    region = the_region(load_report(path), name)
    key = f"time-hint-{hint} (s)"
    got = float(field(region, key, f"region {name!r}"))
    runtime = float(field(region, "runtime (s)", f"region {name!r}"))
    err = relative_error(got, runtime)
    print(f"region {name!r} {key}: expected its runtime {runtime:.4f} s +-{float(tolerance):.0%}, "
          f"got {got:.4f} s")
    return PASS if err <= float(tolerance) else FAIL


def check_region_hash(path, name):
    """region-hash REPORT NAME: the region's hash is crc32(NAME), written
    as GEOPM writes it: 0x%08x, unquoted (so that YAML reads a number)."""
    got = field(the_region(load_report(path), name), "hash", f"region {name!r}")
    expected = region_hash(name)
    with open(path) as f:
        text = f.read()
    written = re.search(r'region: "?' + re.escape(name) + r'"?\s*\n\s*hash: *(\S+)', text)
    written = written.group(1) if written else None
    print(f"region {name!r} hash: expected 0x{expected:08x} (crc32), written {written!r}")
    try:
        ok = as_int(got) == expected
    except ValueError:
        ok = False
    if written is None or not re.fullmatch(r"0x[0-9a-f]{8}|0x[0-9a-f]{16}", written):
        print("expected the hash written right after the region's name as 0x%08x "
              "(GEOPM's string_format_hex; older GEOPM wrote 0x%016x)")
        ok = False
    return PASS if ok else FAIL


def check_epoch_count(path, *expected):
    """epoch-count REPORT N [N...]: the host's epoch count is exactly N."""
    if not expected:
        raise TypeError("no expected count")
    got = field(totals(load_report(path), "Epoch Totals"), "count", "'Epoch Totals'")
    print(f"epoch count: expected {' or '.join(expected)}, got {got!r}")
    return PASS if any(float(got) == float(e) for e in expected) else FAIL


def check_totals_add_up(path, tolerance):
    """totals-add-up REPORT TOL: the regions' runtimes plus the unmarked
    runtime make the application runtime, within TOL."""
    report = load_report(path)
    region_sum = 0.0
    parts = []
    for r in regions(report):
        if as_int(r.get("hash", 0)) in RESERVED_HASHES:
            continue
        runtime = float(field(r, "runtime (s)", f"region {r.get('region')!r}"))
        region_sum += runtime
        parts.append(f"{r.get('region')}={runtime:.4f}")
    unmarked = float(field(totals(report, "Unmarked Totals"), "runtime (s)", "'Unmarked Totals'"))
    app = float(field(totals(report, "Application Totals"), "runtime (s)",
                      "'Application Totals'"))
    total = region_sum + unmarked
    err = relative_error(total, app)
    print(f"regions ({', '.join(parts)}) + unmarked {unmarked:.4f} = {total:.4f} s; "
          f"application {app:.4f} s ({err:.2%} off, tolerance {float(tolerance):.0%})")
    return PASS if err <= float(tolerance) else FAIL


def check_app_field(path, key):
    """app-field REPORT KEY: 'Application Totals' has KEY, a number >= 0."""
    value = field(totals(load_report(path), "Application Totals"), key, "'Application Totals'")
    print(f"Application Totals / {key}: {value!r}")
    return PASS if isinstance(value, (int, float)) and value >= 0 else FAIL


def check_process_count(path, expected):
    """process-count REPORT N: the host lists N processes."""
    key, entries = processes(load_report(path))
    print(f"{key}: expected {expected} processes, got {len(entries)}: "
          f"{[e.get('pid') for e in entries]}")
    return PASS if len(entries) == int(expected) else FAIL


def check_process_status(path, pid, status, program=None):
    """process-status REPORT PID STATUS [PROGRAM]: the process with this pid
    is listed with this status (and its program name contains PROGRAM)."""
    _, entries = processes(load_report(path))
    found = [e for e in entries if str(e.get("pid")) == pid]
    if len(found) != 1:
        print(f"expected one process with pid {pid}, found {len(found)} in {entries}")
        return FAIL
    entry = found[0]
    print(f"process {pid}: {entry}")
    ok = str(entry.get("status")) == status
    if not ok:
        print(f"expected status {status!r}, got {entry.get('status')!r}")
    if program is not None and program not in str(entry.get("program")):
        print(f"expected a program name containing {program!r}, got {entry.get('program')!r}")
        ok = False
    return PASS if ok else FAIL


def the_process(report, pid):
    _, entries = processes(report)
    found = [e for e in entries if str(e.get("pid")) == str(pid)]
    if len(found) != 1:
        raise CheckError(f"expected one process with pid {pid}, found {len(found)} among "
                         f"{[e.get('pid') for e in entries]}")
    return found[0]


def check_process_region_count(path, pid, name, expected):
    """process-region-count REPORT PID NAME N: the process's own count of
    the region is exactly N."""
    process = the_process(load_report(path), pid)
    listed = process.get("Regions") or []
    found = [r for r in listed if isinstance(r, dict) and r.get("region") == name]
    if len(found) != 1:
        print(f"process {pid}: expected one region {name!r}, found {len(found)} in {listed}")
        return FAIL
    got = field(found[0], "count", f"process {pid} region {name!r}")
    print(f"process {pid} region {name!r} count: expected {expected}, got {got!r}")
    return PASS if float(got) == float(expected) else FAIL


def check_process_field(path, pid, key, expected):
    """process-field REPORT PID KEY N: a number of the process's section
    (for example 'epoch count') is exactly N."""
    got = field(the_process(load_report(path), pid), key, f"process {pid}")
    print(f"process {pid} {key}: expected {expected}, got {got!r}")
    return PASS if float(got) == float(expected) else FAIL


def show_get(path, *keys):
    """get REPORT KEY...: prints the value at Hosts/<host>/KEY/... as JSON
    (a region is named by 'region:NAME')."""
    report = load_report(path)
    value = the_host(report)
    for key in keys:
        if key.startswith("region:"):
            value = the_region(report, key[len("region:"):])
        else:
            value = field(value, key, "/".join(keys))
    print(json.dumps(value))
    return PASS


# ---- the processes' own output ------------------------------------------


def measured_lines(paths):
    """The 'region_app: measured key=value ...' lines of the given outputs."""
    found = []
    for path in paths:
        with open(path) as f:
            for line in f:
                if line.startswith("region_app: measured "):
                    found.append(dict(w.split("=", 1) for w in line.split()[2:]))
    return found


def show_mean_measured(key, *paths):
    """mean-measured KEY OUTPUT...: prints the mean over the outputs of
    region_app's measured KEY (compute_s, memory_s, loop_s, total_s)."""
    values = [float(m[key]) for m in measured_lines(paths)]
    if not values:
        raise CheckError(f"no 'measured' line in {paths}")
    print(f"{sum(values) / len(values):.6f}")
    return PASS


# ---- checks on the trace -------------------------------------------------


def load_trace(path):
    """Returns (comment lines, column names, rows as dicts)."""
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except OSError as e:
        raise CheckError(f"cannot read the trace: {e}")
    comments = [line for line in lines if line.startswith("#")]
    body = [line for line in lines if line and not line.startswith("#")]
    if not body:
        raise CheckError("the trace has no header row")
    columns = body[0].split("|")
    rows = []
    for number, line in enumerate(body[1:], start=2):
        cells = line.split("|")
        if len(cells) != len(columns):
            raise CheckError(f"row {number} has {len(cells)} cells for {len(columns)} columns: "
                             f"{line!r}")
        rows.append(dict(zip(columns, cells)))
    return comments, columns, rows


def check_trace_format(path):
    """trace-format TRACE: '#' header lines first, then a header row that
    starts with GEOPM's columns, then rows of as many cells."""
    with open(path) as f:
        first = f.readline()
    comments, columns, rows = load_trace(path)
    print(f"{len(comments)} '#' lines, columns {columns}, {len(rows)} rows")
    ok = True
    if not first.startswith("#"):
        print(f"the trace does not start with a '#' line: {first!r}")
        ok = False
    if columns[:len(TRACE_COLUMNS)] != TRACE_COLUMNS:
        print(f"the header row does not start with {'|'.join(TRACE_COLUMNS)}")
        ok = False
    return PASS if ok else FAIL


def check_trace_rows(path, minimum):
    """trace-rows TRACE N: at least N rows (one per period sampled)."""
    _, _, rows = load_trace(path)
    print(f"{len(rows)} rows, expected at least {minimum}")
    return PASS if len(rows) >= int(minimum) else FAIL


def check_trace_hash(path, name):
    """trace-hash TRACE NAME: some row's REGION_HASH is crc32(NAME)."""
    _, _, rows = load_trace(path)
    expected = region_hash(name)
    seen = {}
    for row in rows:
        try:
            h = as_int(row["REGION_HASH"])
        except ValueError:
            print(f"REGION_HASH {row['REGION_HASH']!r} is not a number")
            return FAIL
        seen[h] = seen.get(h, 0) + 1
    print(f"rows with {name!r} (0x{expected:08x}): {seen.get(expected, 0)}; hashes seen: "
          + ", ".join(f"0x{h:08x} x{n}" for h, n in sorted(seen.items())))
    return PASS if expected in seen else FAIL


def check_trace_epoch(path, final=None):
    """trace-epoch TRACE [FINAL]: EPOCH_COUNT never decreases (and its last
    value is FINAL)."""
    _, _, rows = load_trace(path)
    values = [float(row["EPOCH_COUNT"]) for row in rows]
    for i in range(1, len(values)):
        if values[i] < values[i - 1]:
            print(f"EPOCH_COUNT decreases at row {i + 1}: {values[i - 1]} then {values[i]}")
            return FAIL
    if not values:
        print("no rows")
        return FAIL
    print(f"EPOCH_COUNT from {values[0]:g} to {values[-1]:g}, never decreasing")
    if final is not None and values[-1] != float(final):
        print(f"expected the last EPOCH_COUNT to be {final}")
        return FAIL
    return PASS


def check_trace_time(path):
    """trace-time TRACE: TIME increases from row to row."""
    _, _, rows = load_trace(path)
    values = [float(row["TIME"]) for row in rows]
    for i in range(1, len(values)):
        if values[i] <= values[i - 1]:
            print(f"TIME does not increase at row {i + 1}: {values[i - 1]} then {values[i]}")
            return FAIL
    print(f"TIME from {values[0] if values else None} to {values[-1] if values else None}")
    return PASS if values else FAIL


CHECKS = {
    "loads": check_loads,
    "header": check_header,
    "region-count": check_region_count,
    "region-runtime": check_region_runtime,
    "region-nominal": check_region_nominal,
    "region-hint-time": check_region_hint_time,
    "region-hash": check_region_hash,
    "epoch-count": check_epoch_count,
    "totals-add-up": check_totals_add_up,
    "app-field": check_app_field,
    "process-count": check_process_count,
    "process-status": check_process_status,
    "process-region-count": check_process_region_count,
    "process-field": check_process_field,
    "get": show_get,
    "mean-measured": show_mean_measured,
    "trace-format": check_trace_format,
    "trace-rows": check_trace_rows,
    "trace-hash": check_trace_hash,
    "trace-epoch": check_trace_epoch,
    "trace-time": check_trace_time,
}


def main(argv):
    if len(argv) < 2 or argv[1] not in CHECKS:
        print(__doc__)
        for name, function in CHECKS.items():
            print("  " + function.__doc__.splitlines()[0])
        return PASS if len(argv) == 2 and argv[1] == "help" else ERROR
    try:
        return CHECKS[argv[1]](*argv[2:])
    except TypeError as e:
        print(f"bad arguments for {argv[1]}: {e}")
        return ERROR
    except CheckError as e:
        print(str(e))
        return FAIL


if __name__ == "__main__":
    sys.exit(main(sys.argv))
