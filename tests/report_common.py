"""Reading geopmctl reports (GEOPM's YAML report) for the test checkers:
tests/integration/report_check.py and tests/mpi/mpi_report.py."""

import socket
import zlib

import yaml


class CheckError(Exception):
    """The report cannot be checked at all (missing, not YAML, wrong shape)."""


def region_hash(name):
    """The hash GEOPM gives a region name: its CRC-32 (zlib's)."""
    return zlib.crc32(name.encode()) & 0xFFFFFFFF


def load_report(path):
    try:
        with open(path) as f:
            report = yaml.safe_load(f)
    except OSError as e:
        raise CheckError(f"cannot read the report: {e}")
    except yaml.YAMLError as e:
        raise CheckError(f"the report is not valid YAML: {e}")
    if not isinstance(report, dict):
        raise CheckError(f"the report is not a YAML mapping but {type(report).__name__}")
    return report


def the_host(report):
    """This machine's section: the report of a one-node job has exactly one."""
    hosts = report.get("Hosts")
    if not isinstance(hosts, dict) or not hosts:
        raise CheckError("the report has no 'Hosts' mapping")
    name = socket.gethostname()
    if name in hosts:
        host = hosts[name]
    elif len(hosts) == 1:
        host = next(iter(hosts.values()))
    else:
        raise CheckError(f"no host section named {name!r} among {sorted(hosts)}")
    if not isinstance(host, dict):
        raise CheckError(f"the host section is not a mapping: {host!r}")
    return host
