"""A throwaway Virtuoso (Debian's virtuoso-opensource) on loopback, for the push tests.

The packaged ``virtuoso.ini`` is copied with every path moved to
a temporary folder and both ports (SQL and HTTP) bound to 127.0.0.1 on free ports, so the
test never touches the system database, needs no root and is reachable from nowhere else.
The server runs in the foreground as our child, so stopping it is killing one known pid.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

#: The package's own copy first: /etc's is made from it by the postinst (which rewrites
#: ports from debconf) and is the admin's to edit.
PACKAGED_INIS = (
    Path("/usr/share/virtuoso-opensource-7/virtuoso.ini"),
    Path("/etc/virtuoso-opensource-7/virtuoso.ini"),
)
USER = PASSWORD = "dba"  # the packaged database's administrator
START_TIMEOUT = 90.0  # seconds; a fresh database is created in about 5


@dataclass(frozen=True)
class Virtuoso:
    base: str  #: http://127.0.0.1:PORT
    workdir: Path
    process: subprocess.Popen[bytes]

    @property
    def gsp(self) -> str:
        """Graph Store Protocol, HTTP digest authentication (dba/dba)."""
        return f"{self.base}/sparql-graph-crud-auth"

    @property
    def sparql(self) -> str:
        """The public, read-only SPARQL endpoint."""
        return f"{self.base}/sparql"

    def log_tail(self, lines: int = 30) -> str:
        """The end of virtuoso.log (in the foreground Virtuoso also copies it to stdout,
        where whatever it printed before opening the log, such as an ini error, is)."""
        for name in ("virtuoso.log", "stdout.txt"):
            path = self.workdir / name
            if path.is_file() and path.stat().st_size:
                tail = path.read_text(errors="replace").splitlines()[-lines:]
                return f"--- {path}\n" + "\n".join(tail)
        return f"(no log in {self.workdir})"


def require_virtuoso() -> str:
    """Path of virtuoso-t; CI installs it, so there its absence fails instead of skipping."""
    path = shutil.which("virtuoso-t")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("virtuoso is not installed; .ci/run must install it")
        pytest.skip(
            "virtuoso is not installed here (Debian package virtuoso-opensource; CI installs "
            "it), so the push round trip against a real triple store is skipped"
        )
    if not any(ini.is_file() for ini in PACKAGED_INIS):
        pytest.fail(f"virtuoso-t is installed but none of {PACKAGED_INIS} is there")
    return path


def _free_ports(n: int) -> list[int]:
    """n distinct free loopback ports (held together while chosen, so they differ)."""
    sockets = [socket.socket() for _ in range(n)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [int(s.getsockname()[1]) for s in sockets]
    finally:
        for s in sockets:
            s.close()


def write_ini(workdir: Path, sql_port: int, http_port: int) -> Path:
    """The packaged ini with our paths and ports, edited line by line.

    configparser cannot be used: the packaged file repeats keys in [Parameters].
    """
    section = ""
    out: list[str] = []
    db = workdir
    replace: dict[str, dict[str, object]] = {
        "Database": {
            "DatabaseFile": db / "virtuoso.db",
            "ErrorLogFile": db / "virtuoso.log",
            "LockFile": db / "virtuoso.lck",
            "TransactionFile": db / "virtuoso.trx",
            "xa_persistent_file": db / "virtuoso.pxa",
        },
        "TempDatabase": {
            "DatabaseFile": db / "virtuoso-temp.db",
            "TransactionFile": db / "virtuoso-temp.trx",
        },
        "Parameters": {
            "ServerPort": f"127.0.0.1:{sql_port}",
            "DirsAllowed": f"., {db}",
        },
        "HTTPServer": {
            "ServerPort": f"127.0.0.1:{http_port}",
            "ServerRoot": db,
        },
        "URIQA": {"DefaultHost": f"127.0.0.1:{http_port}"},
    }
    packaged = next(ini for ini in PACKAGED_INIS if ini.is_file())
    for line in packaged.read_text(encoding="utf-8").splitlines():
        header = re.fullmatch(r"\s*\[([^]]+)\]\s*", line)
        if header:
            section = header.group(1).strip()
        key = (
            line.split("=", 1)[0].strip()
            if "=" in line and not line.lstrip().startswith(";")
            else ""
        )
        if section == "Plugins" and key.startswith("Load"):
            continue  # the wiki-hosting plugins: nothing here uses them
        value = replace.get(section, {}).pop(key, None)
        out.append(f"{key} = {value}" if value is not None else line)
    missing = {section: list(keys) for section, keys in replace.items() if keys}
    if missing:  # Virtuoso would fall back to the system paths and ports
        pytest.fail(f"{packaged} lacks keys this test must set: {missing}")
    ini = workdir / "virtuoso.ini"
    ini.write_text("\n".join(out) + "\n", encoding="utf-8")
    return ini


def start(workdir: Path, *, timeout: float = START_TIMEOUT) -> Virtuoso:
    """A running Virtuoso whose HTTP server answers SPARQL; fails with its log if not.

    A port chosen free can be taken before Virtuoso binds it; then it exits with "Failed
    listen" and we try again on other ports, in a fresh folder.
    """
    binary = require_virtuoso()
    for attempt in range(1, 4):
        server = _launch(binary, workdir / f"run{attempt}")
        if _wait_until_up(server, timeout):
            return server
        log = server.log_tail()
        if attempt < 3 and "Failed" in log and "listen" in log:
            continue
        pytest.fail(f"virtuoso-t did not come up ({_state(server)}):\n{log}")
    raise AssertionError("unreachable")


def _launch(binary: str, workdir: Path) -> Virtuoso:
    workdir.mkdir(parents=True)
    sql_port, http_port = _free_ports(2)
    ini = write_ini(workdir, sql_port, http_port)
    with (workdir / "stdout.txt").open("wb") as out:
        process = subprocess.Popen(
            [binary, "+configfile", str(ini), "+foreground"],
            cwd=workdir,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # a Ctrl-C in pytest does not reach it; stop() does
        )
    return Virtuoso(f"http://127.0.0.1:{http_port}", workdir, process)


def _wait_until_up(server: Virtuoso, timeout: float) -> bool:
    """True once SPARQL answers; False (the process stopped) if it exits or times out."""
    deadline = time.monotonic() + timeout
    while server.process.poll() is None and time.monotonic() < deadline:
        try:
            if httpx.get(server.sparql, params={"query": "ASK {}"}, timeout=5).status_code == 200:
                return True
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    stop(server)
    return False


def _state(server: Virtuoso) -> str:
    code = server.process.returncode
    return (
        f"timed out; stopped with {code}"
        if code in (-signal.SIGTERM, -signal.SIGKILL)
        else f"exit code {code}"
    )


def stop(server: Virtuoso, *, timeout: float = 30.0) -> None:
    """SIGTERM (Virtuoso checkpoints and exits), then SIGKILL if it lingers."""
    process = server.process
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
