#!/usr/bin/env python3
"""Checks of geopmctl reports for the fault scenarios: many jobs at once,
so that a scenario of a hundred rounds starts Python once.

Usage: fault_check.py CHECK ARGS...

  jobs MANIFEST
      Each line of MANIFEST is "REPORT PAIRS EPOCHS VICTIM PID...": in the
      report, every PID is finished and counts exactly PAIRS visits of the
      region "marker" and EPOCHS epochs; VICTIM ("-" for none) is the pid
      of a claim_victim process that must be listed as died; no other
      process is listed.  Prints one line per failing job and a summary.
  events REPORT PUSHED PID...
      Every PID's "trace events" plus "trace events lost" is exactly PUSHED
      (each event it made was either delivered or counted lost), some were
      lost, and Application Totals' "trace events lost" is their sum.

The exit status is 0 when the check holds, 1 when it does not, 2 on bad
usage.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                "integration"))
from report_check import (CheckError, field, load_report, processes,  # noqa: E402
                          the_process, the_region, totals)

PASS, FAIL, ERROR = 0, 1, 2


def process_region_count(process, name):
    found = [r for r in process.get("Regions") or []
             if isinstance(r, dict) and r.get("region") == name]
    return float(field(found[0], "count", f"region {name!r}")) if len(found) == 1 else None


def job_problems(report_path, pairs, epochs, victim, pids):
    """What is wrong with one job's report, as a list of strings."""
    report = load_report(report_path)
    problems = []
    _, entries = processes(report)
    listed = sorted(str(e.get("pid")) for e in entries)
    wanted = sorted(pids + ([victim] if victim != "-" else []))
    if listed != wanted:
        problems.append(f"processes {listed}, expected {wanted}")
    for pid in pids:
        process = the_process(report, pid)
        count = process_region_count(process, "marker")
        epoch_count = float(field(process, "epoch count", f"process {pid}"))
        if process.get("status") != "finished" or count != pairs or epoch_count != epochs:
            problems.append(f"pid {pid}: status {process.get('status')}, marker count {count}, "
                            f"epoch count {epoch_count} (expected finished, {pairs}, {epochs})")
    if victim != "-":
        process = the_process(report, victim)
        if process.get("status") != "died" or "claim_victim" not in str(process.get("program")):
            problems.append(f"victim {victim}: status {process.get('status')}, program "
                            f"{process.get('program')} (expected died, claim_victim)")
    else:
        count = float(field(the_region(report, "marker"), "count", "region 'marker'"))
        if count != pairs:
            problems.append(f"host count of 'marker' {count}, expected {pairs}")
    return problems


def check_jobs(manifest):
    with open(manifest) as f:
        jobs = [line.split() for line in f if line.strip()]
    failed = 0
    for number, words in enumerate(jobs, start=1):
        report_path, pairs, epochs, victim, pids = (words[0], float(words[1]), float(words[2]),
                                                    words[3], words[4:])
        try:
            problems = job_problems(report_path, pairs, epochs, victim, pids)
        except CheckError as e:
            problems = [str(e)]
        if problems:
            failed += 1
            print(f"job {number} ({os.path.basename(report_path)}): {'; '.join(problems)}")
    print(f"{len(jobs) - failed} of {len(jobs)} reports exact (every process's counts, "
          f"the dead named as died)")
    return PASS if jobs and failed == 0 else FAIL


def check_events(report_path, pushed, *pids):
    report = load_report(report_path)
    ok = True
    lost_sum = 0.0
    for pid in pids:
        process = the_process(report, pid)
        events = float(field(process, "trace events", f"process {pid}"))
        lost = float(field(process, "trace events lost", f"process {pid}"))
        lost_sum += lost
        print(f"pid {pid}: {events:g} trace events delivered + {lost:g} lost = "
              f"{events + lost:g} (made {pushed})")
        ok = ok and events + lost == float(pushed) and lost > 0
    app_lost = float(field(totals(report, "Application Totals"), "trace events lost",
                           "'Application Totals'"))
    print(f"Application Totals: trace events lost {app_lost:g} (sum over processes "
          f"{lost_sum:g})")
    return PASS if ok and app_lost == lost_sum and app_lost > 0 else FAIL


CHECKS = {"jobs": check_jobs, "events": check_events}


def main(argv):
    if len(argv) < 2 or argv[1] not in CHECKS:
        print(__doc__)
        return ERROR
    try:
        return CHECKS[argv[1]](*argv[2:])
    except TypeError as e:
        print(f"bad arguments for {argv[1]}: {e}")
        return ERROR
    except (CheckError, OSError) as e:
        print(str(e))
        return FAIL


if __name__ == "__main__":
    sys.exit(main(sys.argv))
