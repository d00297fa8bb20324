#!/usr/bin/env python3
"""What a durable commit costs on this disk: time of N 4 KiB page writes
followed by one fdatasync, with the pages scattered over a 256 MiB file
(like an LMDB commit's B-tree pages) or written as one sequential run
(like an SQLite WAL append). bench/README.md uses it to explain the
durable save ratios.

Usage: flush_probe.py [DIR]   (default: $TMPDIR or /tmp; needs 256 MiB)
"""
import os
import random
import statistics
import sys
import tempfile
import time

FILE_BYTES = 256 << 20
PAGE = 4096
ROUNDS = 30


def timed(fd, write_pages):
    """Median milliseconds of write_pages() plus fdatasync."""
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        write_pages()
        os.fdatasync(fd)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else tempfile.gettempdir()
    fd, path = tempfile.mkstemp(prefix="tks-flush-", dir=directory)
    try:
        # Step 1: a file with real blocks, so writes do not allocate.
        for offset in range(0, FILE_BYTES, 1 << 20):
            os.pwrite(fd, os.urandom(1 << 20), offset)
        os.fsync(fd)
        page = os.urandom(PAGE)
        rng = random.Random(1)
        pages_in_file = FILE_BYTES // PAGE

        # Step 2: scattered and sequential writes of N pages.
        print("pages  scattered+fdatasync  sequential+fdatasync (median ms)")
        next_offset = 0
        for n in (1, 2, 4, 8, 16, 32, 64, 128):
            def scattered():
                for _ in range(n):
                    os.pwrite(fd, page, rng.randrange(pages_in_file) * PAGE)

            def sequential():
                nonlocal next_offset
                if next_offset + n * PAGE > FILE_BYTES:
                    next_offset = 0
                os.pwrite(fd, page * n, next_offset)
                next_offset += n * PAGE

            print("%5d  %19.2f  %20.2f" % (n, timed(fd, scattered),
                                            timed(fd, sequential)))
    finally:
        os.close(fd)
        os.unlink(path)


if __name__ == "__main__":
    main()
