"""`python -m bench` (or `make bench`): every benchmark, each in its own process.

Each benchmark runs in a fresh interpreter so its peak-memory figures are its own, and one
benchmark's allocations cannot warm or fragment the heap for the next. Run one alone with
`python bench/bench_NAME.py --help` to choose sizes.
"""
import subprocess
import sys
from pathlib import Path

BENCHMARKS = ["bench_scoring", "bench_allocation", "bench_rerank", "bench_round", "bench_preview", "bench_provisional",
              "bench_matching"]


def main() -> int:
    folder = Path(__file__).parent
    failed = []
    for name in BENCHMARKS:
        print(f"== {name}", flush=True)
        if subprocess.run([sys.executable, str(folder / f"{name}.py")]).returncode != 0:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
