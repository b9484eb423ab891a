"""A local read-only SPARQL endpoint over the graph, and the store servers the tests share (Oxigraph, Virtuoso).

`serve` dumps the dataset as N-Quads into a temporary directory, bulk-loads it with `oxigraph load`, and runs
`oxigraph serve-read-only --union-default-graph` on it (bound to 127.0.0.1 by default): queries see the union
of the layers as their default graph and every layer as its named graph; updates are refused. The `oxigraph`
binary comes with the `oxigraph` package on PyPI (a project dependency).

`VirtuosoServer` runs OpenLink Virtuoso (Debian's `virtuoso-opensource`: `virtuoso-t`, `isql-vt`) over a database
folder of its own, with a copy of the package's `virtuoso.ini` that binds its SQL and HTTP ports to 127.0.0.1,
lifts the result-row cap and the query time limit (both would cut answers short, silently) and the cost estimate's
limit (it refuses some of the answers' queries), and grants the
`SPARQL` user the `SPARQL_UPDATE` role (updates, DROP/MOVE and the Graph Store Protocol at `/sparql-graph-crud`).
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from .sparql import StoreError, nquads


def oxigraph_binary() -> str:
    """The `oxigraph` command: beside this Python's scripts first, then on the PATH."""
    name = "oxigraph.exe" if os.name == "nt" else "oxigraph"
    for folder in (sysconfig.get_path("scripts"), str(Path(sys.executable).parent)):
        candidate = Path(folder) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which("oxigraph")
    if not found:
        raise StoreError("the oxigraph server is not installed: pip install 'oxigraph>=0.5,<0.6'")
    return found


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


#: The default port of `sistercity-kg serve`: Oxigraph's own (`oxigraph serve --bind 127.0.0.1:7878`).
DEFAULT_PORT = 7878


def check_port_free(host: str, port: int) -> None:
    """A port another program listens on is said so, in one line, before anything is loaded."""
    import errno

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        try:
            s.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise StoreError(f"port {port} on {host} is taken (another program listens there): "
                                 f"give another one with --port") from None
            raise StoreError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def answers(query_url: str, timeout: float = 1.0) -> bool:
    """True when the endpoint answers `ASK {}`."""
    url = query_url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


class OxigraphServer:
    """An `oxigraph serve` (or `serve-read-only`) process on host:port over a database directory."""

    def __init__(self, location: Path | str, host: str = "127.0.0.1", port: int | None = None,
                 read_only: bool = False, union_default_graph: bool = False):
        self.location = Path(location)
        self.host = host
        self.port = port or free_port(host)
        self.read_only = read_only
        self.union_default_graph = union_default_graph
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://{_url_host(self.host)}:{self.port}"

    @property
    def query_url(self) -> str:
        return self.base_url + "/query"

    @property
    def update_url(self) -> str:
        return self.base_url + "/update"

    @property
    def store_url(self) -> str:
        return self.base_url + "/store"

    def start(self, wait: float = 20.0) -> "OxigraphServer":
        cmd = [oxigraph_binary(), "serve-read-only" if self.read_only else "serve", "--location",
               str(self.location), "--bind", f"{self.host}:{self.port}"]
        if self.union_default_graph:
            cmd.append("--union-default-graph")
        self.process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = self.process.stderr.read().decode("utf-8", "replace").strip().splitlines()
                self.process = None
                if err and ("in use" in err[-1].lower() or "AddrInUse" in err[-1]):
                    raise StoreError(f"port {self.port} on {self.host} is taken (another program listens there): "
                                     f"give another one with --port")
                raise StoreError(f"oxigraph did not start on {self.host}:{self.port}: "
                                 f"{err[-1] if err else 'exited'}")
            if answers(self.query_url, timeout=0.5):
                return self
            time.sleep(0.05)
        self.stop()
        raise StoreError(f"oxigraph did not answer on {self.query_url} within {wait:.0f} s")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stderr:
            self.process.stderr.close()
        self.process = None

    def __enter__(self):
        return self.start() if self.process is None else self

    def __exit__(self, *exc):
        self.stop()


VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
#: What the copy of virtuoso.ini changes: (section, key) → value; {sql}/{http}/{db} filled in.
VIRTUOSO_SETTINGS = {
    ("Database", "DatabaseFile"): "{db}/virtuoso.db", ("Database", "ErrorLogFile"): "{db}/virtuoso.log",
    ("Database", "LockFile"): "{db}/virtuoso.lck", ("Database", "TransactionFile"): "{db}/virtuoso.trx",
    ("Database", "xa_persistent_file"): "{db}/virtuoso.pxa",
    ("TempDatabase", "DatabaseFile"): "{db}/virtuoso-temp.db",
    ("TempDatabase", "TransactionFile"): "{db}/virtuoso-temp.trx",
    ("Parameters", "ServerPort"): "{host}:{sql}", ("Parameters", "DirsAllowed"): ".",
    ("HTTPServer", "ServerPort"): "{host}:{http}",
    ("SPARQL", "ResultSetMaxRows"): "100000000",      # the package's 10000 cuts results short
    ("SPARQL", "MaxQueryExecutionTime"): "0",        # "anytime" answers: partial results, silently
    ("SPARQL", "MaxQueryCostEstimationTime"): "0",   # its estimate refuses answers' queries (10⁸ s "estimated")
    ("URIQA", "DefaultHost"): "{host}:{http}",
}
#: The SQL that lets the anonymous SPARQL user update (INSERT, DROP, MOVE; the Graph Store Protocol).
VIRTUOSO_GRANTS = 'GRANT SPARQL_UPDATE TO "SPARQL";'


def virtuoso_binaries() -> tuple[str, str]:
    """(`virtuoso-t`, `isql-vt`) on the PATH, or a StoreError saying how to install them."""
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if not server or not isql or not VIRTUOSO_INI.is_file():
        raise StoreError("OpenLink Virtuoso is not installed: apt-get install virtuoso-opensource "
                         "(virtuoso-t, isql-vt, /etc/virtuoso-opensource-7/virtuoso.ini)")
    return server, isql


def virtuoso_ini(template: str, values: dict[tuple[str, str], str]) -> str:
    """The package's virtuoso.ini with `values` ((section, key) → value) set, line by line (comments kept)."""
    out, section, done = [], None, set()

    def missing(sec):
        return [f"{k} = {v}" for (s, k), v in values.items() if s == sec and (s, k) not in done]

    for line in template.splitlines():
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            out[len(out):] = missing(section)
            section = stripped[1:-1]
            out.append(line)
            continue
        key = stripped.split("=", 1)[0].strip() if "=" in stripped and not stripped.startswith(";") else None
        if key and (section, key) in values:
            if (section, key) not in done:
                out.append(f"{key} = {values[(section, key)]}")
                done.add((section, key))
            continue
        out.append(line)
    out[len(out):] = missing(section)
    return "\n".join(out) + "\n"


class VirtuosoServer:
    """A `virtuoso-t +foreground` process over a database folder, its SQL and HTTP ports on 127.0.0.1."""

    def __init__(self, location: Path | str, host: str = "127.0.0.1", port: int | None = None,
                 sql_port: int | None = None):
        self.location = Path(location)
        self.host = host
        self.port = port or free_port(host)
        self.sql_port = sql_port or free_port(host)
        self.process: subprocess.Popen | None = None
        self._log = None

    @property
    def base_url(self) -> str:
        return f"http://{_url_host(self.host)}:{self.port}"

    @property
    def query_url(self) -> str:
        return self.base_url + "/sparql"

    update_url = query_url

    @property
    def store_url(self) -> str:
        return self.base_url + "/sparql-graph-crud"

    def isql(self, sql: str, timeout: float = 60) -> str:
        """Run SQL as the database administrator (a fresh database's dba/dba) through `isql-vt`."""
        _, isql = virtuoso_binaries()
        result = subprocess.run([isql, f"{self.host}:{self.sql_port}", "dba", "dba", f"exec={sql}"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout)
        if result.returncode != 0 or "*** Error" in result.stdout:
            lines = [l for l in result.stdout.splitlines() if l.strip()]
            errors = [l for l in lines if "*** Error" in l] or lines[-1:]
            raise StoreError(f"isql-vt on {self.host}:{self.sql_port}: {errors[0] if errors else result.returncode}")
        return result.stdout

    def start(self, wait: float = 60.0) -> "VirtuosoServer":
        server, _ = virtuoso_binaries()
        self.location.mkdir(parents=True, exist_ok=True)
        values = {k: v.format(db=self.location, host=self.host, sql=self.sql_port, http=self.port)
                  for k, v in VIRTUOSO_SETTINGS.items()}
        ini = self.location / "virtuoso.ini"
        ini.write_text(virtuoso_ini(VIRTUOSO_INI.read_text(encoding="utf-8"), values), encoding="utf-8")
        self._log = open(self.location / "virtuoso.out", "ab")
        self.process = subprocess.Popen([server, "+foreground", "+configfile", str(ini)], cwd=self.location,
                                        stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.process = None
                log = (self.location / "virtuoso.out").read_text("utf-8", "replace").strip().splitlines()
                self.stop()
                raise StoreError(f"virtuoso did not start on {self.host}:{self.port}: {log[-1] if log else 'exited'}")
            if answers(self.query_url, timeout=0.5):
                try:
                    self.isql(VIRTUOSO_GRANTS)
                    return self
                except StoreError as exc:
                    if "already have role" in str(exc):   # a database started before (a restart)
                        return self
                    # else the SQL port comes up a moment after the HTTP one
            time.sleep(0.1)
        self.stop()
        raise StoreError(f"virtuoso did not answer on {self.query_url} within {wait:.0f} s")

    def stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()   # virtuoso-t checkpoints and exits on SIGTERM
                try:
                    self.process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self):
        return self.start() if self.process is None else self

    def __exit__(self, *exc):
        self.stop()


def build_database(kg, location: Path | str) -> Path:
    """Bulk-load the dataset (N-Quads, one named graph per layer) into an Oxigraph database at `location`."""
    location = Path(location)
    location.mkdir(parents=True, exist_ok=True)
    dump = location.parent / (location.name + ".nq")
    dump.write_bytes(nquads(kg))
    try:
        result = subprocess.run([oxigraph_binary(), "load", "--location", str(location), "--file", str(dump)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    finally:
        dump.unlink(missing_ok=True)
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()
        raise StoreError(f"oxigraph load failed: {lines[-1] if lines else result.returncode}")
    return location


@contextmanager
def serving(kg, host: str = "127.0.0.1", port: int = DEFAULT_PORT):
    """A read-only endpoint over `kg` for the duration of the `with` block; yields the running server."""
    check_port_free(host, port)
    tmp = tempfile.mkdtemp(prefix="sckg-serve-")
    try:
        db = build_database(kg, Path(tmp) / "db")
        server = OxigraphServer(db, host, port, read_only=True, union_default_graph=True)
        with server:
            yield server
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


__all__ = ["DEFAULT_PORT", "check_port_free", "OxigraphServer", "VirtuosoServer", "virtuoso_binaries", "build_database", "serving", "free_port", "answers", "oxigraph_binary"]
