"""Benchmark of the evidence upload path (REC-6): a large file through the real HTTP endpoint (tus, gunicorn).

Run with `make bench` (all benchmarks), `make bench BENCH=evidence` or `.venv/bin/python bench/evidence.py`. Size and
chunk size from the environment:

    SUNLIGHT_BENCH_EVIDENCE_BYTES   file size in bytes (default 2 GiB = 2147483648)
    SUNLIGHT_BENCH_EVIDENCE_CHUNK   bytes per PATCH request (default 64 MiB; the browser client uses 8 MiB)
    SUNLIGHT_BENCH_DIR              where the file, the stores and the database go (default: a temporary directory)

It starts a real server (gunicorn, one sync worker, SQLite, two store directories) in a subprocess, logs in, uploads
the file in PATCHes streamed from disk, and reports:

* the server's memory growth: the worker's peak RSS during the upload minus its RSS just before (target < 100 MB),
  sampled every 20 ms with psutil;
* the throughput as a ratio: the time of `sha256sum FILE` plus `cp FILE COPY` (measured in the same run) divided by
  the upload's time from creation to the response of the last PATCH (target >= 0.5). The upload's time includes
  receiving and hashing the stream, writing both copies (fsynced), re-reading both to verify them, and registering
  the evidence with its ledger entry.

It never asserts: the figures depend on the machine. Everything runs on 127.0.0.1 and the server is killed at the end.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psutil

from sunlight.evidence.tests.live import LiveServer, TusClient, write_video

MiB = 1024 * 1024


class RssSampler(threading.Thread):
    """Samples the RSS of a set of processes every `interval` seconds and keeps the peak of each."""

    def __init__(self, pids: list[int], interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.processes = [psutil.Process(pid) for pid in pids]
        self.interval = interval
        self.peak = {p.pid: p.memory_info().rss for p in self.processes}
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            for process in self.processes:
                with contextlib.suppress(psutil.NoSuchProcess):
                    self.peak[process.pid] = max(self.peak[process.pid], process.memory_info().rss)
            time.sleep(self.interval)

    def stop(self) -> dict[int, int]:
        self.stopped.set()
        self.join()
        return self.peak


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    size = int(os.environ.get("SUNLIGHT_BENCH_EVIDENCE_BYTES", str(2 * 1024**3)))
    chunk = int(os.environ.get("SUNLIGHT_BENCH_EVIDENCE_CHUNK", str(64 * MiB)))
    base = os.environ.get("SUNLIGHT_BENCH_DIR")
    work = Path(tempfile.mkdtemp(prefix="sunlight-bench-evidence-", dir=base))
    server = LiveServer(work / "site", extra_env={"SUNLIGHT_EVIDENCE_MAX_BYTES": str(max(size, 1) * 2)})
    try:
        print(f"evidence upload benchmark: {size / MiB:.0f} MiB file, {chunk / MiB:.0f} MiB per PATCH, in {work}")
        source = work / "video.mp4"
        digest = write_video(source, size)

        # Baseline, same file, same disk: hash it, copy it.
        t_hash = timed(["sha256sum", str(source)])
        t_copy = timed(["cp", str(source), str(work / "copy.mp4")])
        (work / "copy.mp4").unlink()
        baseline = t_hash + t_copy

        server.prepare()
        server.start(workers=1)
        client = TusClient(server)
        client.login()
        warm = work / "warm.mp4"
        write_video(warm, 2 * MiB, seed=2)  # the first upload imports and warms every module on the way
        with warm.open("rb") as fh:
            client.upload_file(server.record, fh, 2 * MiB, chunk=MiB)

        pids = server.pids()
        worker = pids[-1]
        before = psutil.Process(worker).memory_info().rss
        sampler = RssSampler(pids)
        sampler.start()
        start = time.perf_counter()
        with source.open("rb") as fh:
            headers = client.upload_file(server.record, fh, size, chunk=chunk)
        elapsed = time.perf_counter() - start
        peak = sampler.stop()
        growth = peak[worker] - before
        if headers.get("Sunlight-Evidence-Sha256") != digest:
            print(f"ERROR: the server reports {headers.get('Sunlight-Evidence-Sha256')}, expected {digest}")
            return 1

        ratio = baseline / elapsed
        print()
        print(f"{'measure':<44}{'value':>14}")
        print(f"{'sha256sum (baseline)':<44}{t_hash:>12.2f} s")
        print(f"{'cp (baseline)':<44}{t_copy:>12.2f} s")
        print(f"{'upload: create .. last PATCH answered':<44}{elapsed:>12.2f} s")
        print(f"{'upload throughput':<44}{size / MiB / elapsed:>9.0f} MiB/s")
        print(f"{'throughput ratio (baseline / upload)':<44}{ratio:>14.2f}   target >= 0.5")
        print(f"{'worker RSS before':<44}{before / MiB:>10.1f} MiB")
        print(f"{'worker RSS peak during upload':<44}{peak[worker] / MiB:>10.1f} MiB")
        print(f"{'server memory growth':<44}{growth / MiB:>10.1f} MiB   target < 100 MiB")
        print(f"{'SHA-256 reported by the server':<44} {digest[:16]}… (matches)")
        return 0
    finally:
        server.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
