"""A real Sunlight server in a subprocess (gunicorn), with its own database and stores, and a small tus client.

Used by the kill test (a server SIGKILLed mid-upload) and by bench/evidence.py. Everything runs on
127.0.0.1 and stops by itself: requests have timeouts and the server is killed by process group at the end.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any, BinaryIO

BIN = Path(sys.executable).parent
PASSWORD = "Evidence#Live2026"

SEED = """
import json, datetime
from django.utils import timezone
from sunlight.org.choices import Level, Role
from sunlight.org.models import Agency, Region, RoleGrant, Unit, User
from sunlight.org.tests.factories import make_uscc
from sunlight.evidence.services import av_record_register
region = Region.objects.create(code="341221", name="临泉县", level=Level.COUNTY)
agency = Agency.objects.create(name="临泉县市场监督管理局", credit_code=make_uscc(77), level=Level.COUNTY, region=region)
unit = Unit.objects.create(agency=agency, name="执法大队")
user = User(username="live_officer", full_name="王立新", agency=agency, unit=unit, must_change_password=False)
user.set_password(%(password)r)
user.save()
RoleGrant.objects.create(user=user, role=Role.OFFICER)
end = timezone.now() - datetime.timedelta(hours=1)
record = av_record_register(acting_user=user, title="现场检查", scene="on_site", device_number="DSJ-1",
    recorded_from=end - datetime.timedelta(minutes=30), recorded_to=end, place="人民路88号")
print(json.dumps({"record": str(record.public_id)}))
"""

COUNTS = """
import json
from pathlib import Path
from django.conf import settings
from sunlight.evidence.models import AVFile, StoredCopy, StoredFile, UploadSession
from sunlight.core.models import LedgerEntry
files = {k: sorted(str(p.relative_to(c["url"])) for p in Path(c["url"]).rglob("*") if p.is_file())
         for k, c in settings.SUNLIGHT_EVIDENCE_STORES.items() if Path(c["url"]).exists()}
print(json.dumps({
    "stored_files": list(StoredFile.objects.values_list("sha256", flat=True)),
    "copies": StoredCopy.objects.count(),
    "av_files": AVFile.objects.count(),
    "sessions": list(UploadSession.objects.values("status", "offset", "length")),
    "stored_entries": LedgerEntry.objects.filter(kind="evidence.stored").count(),
    "store_files": files,
}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    """A gunicorn process (its own process group) serving Sunlight from `root` (database, stores, uploads)."""

    root: Path
    database_url: str = ""
    extra_env: dict[str, str] = field(default_factory=dict)
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    record: str = ""

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SUNLIGHT_")}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "sunlight.settings",
                "SUNLIGHT_VAR_DIR": str(self.root / "var"),
                "DATABASE_URL": self.database_url or f"sqlite:///{self.root / 'var' / 'live.sqlite3'}",
                "SUNLIGHT_EVIDENCE_STORE_A": str(self.root / "store-a"),
                "SUNLIGHT_EVIDENCE_STORE_B": str(self.root / "store-b"),
                "SUNLIGHT_EVIDENCE_UPLOAD_DIR": str(self.root / "uploads"),
                "SUNLIGHT_EVIDENCE_UPLOAD_LEASE_SECONDS": "2",
                "SUNLIGHT_ALLOWED_HOSTS": "127.0.0.1,localhost",
            }
        )
        env.update(self.extra_env)
        return env

    def manage(self, *args: str) -> str:
        result = subprocess.run(  # noqa: S603
            [str(BIN / "sunlight"), *args], env=self.env, capture_output=True, text=True, timeout=300, check=False
        )
        if result.returncode:
            raise RuntimeError(f"sunlight {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def python(self, code: str) -> Any:
        """Run Django code in a separate process against the server's database; returns its JSON output."""
        script = "import django\ndjango.setup()\n" + code
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-c", script], env=self.env, capture_output=True, text=True, timeout=120, check=False
        )
        if result.returncode:
            raise RuntimeError(f"script failed:\n{result.stderr}")
        return json.loads(result.stdout.strip().splitlines()[-1])

    def prepare(self) -> None:
        """Migrate a fresh database and seed one officer with one AV record."""
        (self.root / "var").mkdir(parents=True, exist_ok=True)
        self.manage("migrate", "--noinput", "-v0")
        self.record = self.python(SEED % {"password": PASSWORD})["record"]

    def start(self, *, workers: int = 1, worker_class: str = "sync") -> None:
        self.port = free_port()
        log = (self.root / f"gunicorn-{self.port}.log").open("wb")
        self.process = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "gunicorn"),
                "sunlight.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--worker-class",
                worker_class,
                "--timeout",
                "300",
                "--graceful-timeout",
                "2",
            ],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killing the group kills master and workers
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {log.name}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start within 30 s")

    def kill(self) -> None:
        """SIGKILL the whole server (master and workers) — no clean-up code of ours runs."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None

    def pids(self) -> list[int]:
        """The master's and its workers' process ids (for memory measurements)."""
        import psutil

        if self.process is None:
            return []
        master = psutil.Process(self.process.pid)
        return [master.pid, *(child.pid for child in master.children(recursive=True))]

    def counts(self) -> Any:
        return self.python(COUNTS)


class TusClient:
    """A logged-in staff session speaking tus 1.0.0 to a live server."""

    def __init__(self, server: LiveServer) -> None:
        self.server = server
        self.cookies: dict[str, str] = {}

    def _connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=120, blocksize=1024 * 1024)

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        headers.update(extra or {})
        return headers

    def _keep(self, response: http.client.HTTPResponse) -> None:
        for value in response.headers.get_all("Set-Cookie") or []:
            cookie: SimpleCookie = SimpleCookie()
            cookie.load(value)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        connection = self._connection()
        try:
            connection.request(method, path, body=body, headers=self._headers(headers))
            response = connection.getresponse()
            data = response.read()
            self._keep(response)
            return response.status, dict(response.headers.items()), data
        finally:
            connection.close()

    def login(self, username: str = "live_officer", password: str = PASSWORD) -> None:
        status, _headers, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert status == 200 and token is not None
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.group(1).decode(), "username": username, "password": password}
        )
        status, headers, _page = self.request(
            "POST", "/accounts/login/", form.encode(), {"Content-Type": "application/x-www-form-urlencoded"}
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login failed: {status} {headers}")

    def create(self, record: str, length: int, filename: str = "现场.mp4", sha256: str = "") -> str:
        meta = {"record": record, "filename": filename, "filetype": "video/mp4"}
        if sha256:
            meta["sha256"] = sha256
        encoded = ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in meta.items())
        status, headers, body = self.request(
            "POST",
            "/workbench/evidence/tus/",
            b"",
            {"Tus-Resumable": "1.0.0", "Upload-Length": str(length), "Upload-Metadata": encoded},
        )
        if status != 201:
            raise RuntimeError(f"create failed: {status} {body.decode()}")
        return urllib.parse.urlsplit(headers["Location"]).path

    def offset(self, path: str) -> int:
        status, headers, _body = self.request("HEAD", path, headers={"Tus-Resumable": "1.0.0"})
        if status != 200:
            raise RuntimeError(f"HEAD {path}: {status}")
        return int(headers["Upload-Offset"])

    def patch_file(self, path: str, source: BinaryIO, offset: int, length: int) -> tuple[int, dict[str, str], bytes]:
        """Send `length` bytes of `source` from `offset`, streamed from the file (never whole in memory)."""
        source.seek(offset)
        headers = self._headers(
            {
                "Tus-Resumable": "1.0.0",
                "Upload-Offset": str(offset),
                "Content-Type": "application/offset+octet-stream",
                "Content-Length": str(length),
            }
        )
        connection = self._connection()
        try:
            connection.putrequest("PATCH", path)
            for key, value in headers.items():
                connection.putheader(key, value)
            connection.endheaders()
            remaining = length
            try:
                while remaining:
                    block = source.read(min(1024 * 1024, remaining))
                    if not block:
                        raise RuntimeError("source ended early")
                    connection.send(block)
                    remaining -= len(block)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server answered early (e.g. 423) and closed; its answer may still be readable
            try:
                response = connection.getresponse()
                body = response.read()
            except (ConnectionError, http.client.HTTPException):
                return 0, {}, b"connection closed by the server"
            return response.status, dict(response.headers.items()), body
        finally:
            connection.close()

    def upload_file(self, record: str, source: BinaryIO, size: int, *, chunk: int) -> dict[str, str]:
        """A whole upload in PATCHes of `chunk` bytes; returns the last response's headers."""
        path = self.create(record, size)
        offset = 0
        headers: dict[str, str] = {}
        while offset < size:
            length = min(chunk, size - offset)
            status, headers, body = self.patch_file(path, source, offset, length)
            if status != 204:
                raise RuntimeError(f"PATCH at {offset}: {status} {body.decode()}")
            offset += length
        return headers

    def open_patch(self, path: str, offset: int, declared: int) -> socket.socket:
        """Start a PATCH that promises `declared` bytes and send nothing yet; returns the raw socket."""
        sock = socket.create_connection(("127.0.0.1", self.server.port), timeout=30)
        headers = self._headers(
            {
                "Host": f"127.0.0.1:{self.server.port}",
                "Tus-Resumable": "1.0.0",
                "Upload-Offset": str(offset),
                "Content-Type": "application/offset+octet-stream",
                "Content-Length": str(declared),
            }
        )
        head = f"PATCH {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        sock.sendall(head.encode("latin-1"))
        return sock


def write_video(path: Path, size: int, *, seed: int = 1) -> str:
    """A file of `size` bytes that starts like an MP4, written in blocks; returns its SHA-256."""
    head = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    hasher = hashlib.sha256()
    block = hashlib.sha256(str(seed).encode()).digest() * (1024 * 1024 // 32)
    with path.open("wb") as out:
        written = 0
        first = True
        while written < size:
            data = (head + block[len(head) :]) if first else block
            data = data[: size - written]
            out.write(data)
            hasher.update(data)
            written += len(data)
            first = False
    return hasher.hexdigest()


def iter_blocks(path: Path, block: int = 1024 * 1024) -> Iterator[bytes]:
    with path.open("rb") as fh:
        while data := fh.read(block):
            yield data
