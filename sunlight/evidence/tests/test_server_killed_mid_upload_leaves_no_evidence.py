"""REC-6: killing the server (SIGKILL, master and workers) in the middle of an upload leaves no evidence row, no file
in either store and no half record; the upload then resumes from the last acknowledged offset on a new server."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .live import LiveServer, TusClient, write_video

MiB = 1024 * 1024


@contextmanager
def fresh_database() -> Iterator[str]:
    """ "" (a SQLite file of the server's own) on SQLite runs; a new, dropped-afterwards database on PostgreSQL runs."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield ""
        return
    import psycopg

    name = f"sunlight_kill_{uuid.uuid4().hex[:10]}"
    base = url.rsplit("/", 1)[0]
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def partial_size(root: Path) -> int:
    parts = list((root / "uploads").glob("*.part"))
    return parts[0].stat().st_size if parts else 0


def test_sigkill_mid_upload_leaves_no_evidence_and_the_upload_resumes(tmp_path):
    video = tmp_path / "clip.mp4"
    digest = write_video(video, 24 * MiB)
    with fresh_database() as database_url:
        server = LiveServer(tmp_path / "site", database_url=database_url)
        server.prepare()
        server.start()
        try:
            client = TusClient(server)
            client.login()
            path = client.create(server.record, 24 * MiB, sha256=digest)
            with video.open("rb") as source:
                status, _headers, body = client.patch_file(path, source, 0, 8 * MiB)
                assert status == 204, body.decode()

                # The next PATCH promises the remaining 16 MiB; 6 MiB arrive, then the server is killed.
                sock = client.open_patch(path, 8 * MiB, 16 * MiB)
                source.seek(8 * MiB)
                sock.sendall(source.read(6 * MiB))
                wait_for(lambda: partial_size(server.root) >= 13 * MiB)  # the server is writing them
                server.kill()
                sock.close()

            after_kill = server.counts()
            assert after_kill["stored_files"] == [] and after_kill["av_files"] == 0 and after_kill["copies"] == 0
            assert after_kill["stored_entries"] == 0
            assert all(not files for files in after_kill["store_files"].values()), after_kill["store_files"]
            assert after_kill["sessions"] == [{"status": "receiving", "offset": 8 * MiB, "length": 24 * MiB}]

            server.start()  # a new server process; the browser's session cookie is still valid
            assert client.offset(path) == 8 * MiB
            with video.open("rb") as source:
                deadline = time.monotonic() + 30
                while True:  # the killed request's lease (2 s here) must run out first: 423 until then
                    status, headers, body = client.patch_file(path, source, 8 * MiB, 16 * MiB)
                    if status not in (0, 423) or time.monotonic() > deadline:
                        break
                    time.sleep(0.5)
            assert status == 204, body.decode()
            assert headers["Sunlight-Evidence-Sha256"] == digest
            done = server.counts()
            assert done["stored_files"] == [digest] and done["copies"] == 2 and done["av_files"] == 1
            name = f"sha256/{digest[:2]}/{digest[2:4]}/{digest}"
            assert done["store_files"] == {"a": [name], "b": [name]}
            assert not list((server.root / "uploads").glob("*.part"))
        finally:
            server.kill()
