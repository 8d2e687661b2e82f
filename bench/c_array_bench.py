"""Benchmarks tools/c_array.py against `xxd -i` on the same 4 MiB file.

Prints, best of several runs of each whole process (c_array's command line,
tools/cli/c_array.py, as a Bazel action runs it, against the xxd command):
  - the time to generate C from the file, ours against `xxd -i`;
  - the time `gcc -c` takes to compile the generated C, ours against xxd's
    output (made a `const unsigned char` array, as users hand-edit it).

Run from the repository root: python bench/c_array_bench.py
"""

import pathlib
import random
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
SIZE = 4 * 1024 * 1024


def best_seconds(command: list[str], runs: int, stdout=None) -> float:
  """The shortest wall time of `runs` runs of `command`."""
  best = float("inf")
  for _ in range(runs):
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=REPO, stdout=stdout)
    best = min(best, time.perf_counter() - start)
  return best


def main() -> None:
  with tempfile.TemporaryDirectory() as tmp:
    tmp = pathlib.Path(tmp)
    model = tmp / "model.bin"
    model.write_bytes(random.Random(0).randbytes(SIZE))

    ours = [sys.executable, "-m", "tools.cli.c_array", f"--input={model}", f"--header={tmp / 'ours.h'}",
            f"--source={tmp / 'ours.c'}", "--array_name=model_data"]
    xxd_c = tmp / "xxd.c"
    xxd = ["sh", "-c", f"xxd -i -n model_data {model} | sed 's/^unsigned/const unsigned/' > {xxd_c}"]
    generate_ours = best_seconds(ours, runs=5)
    generate_xxd = best_seconds(xxd, runs=5)
    print(f"generate C from 4 MiB:  c_array {generate_ours:.2f} s   xxd -i {generate_xxd:.2f} s   "
          f"ratio {generate_ours / generate_xxd:.2f}x")

    compile_ours = best_seconds(["gcc", "-c", "-O2", "-I", str(tmp), str(tmp / "ours.c"), "-o",
                                 str(tmp / "ours.o")], runs=3)
    compile_xxd = best_seconds(["gcc", "-c", "-O2", str(xxd_c), "-o", str(tmp / "xxd.o")], runs=3)
    print(f"gcc -c the generated C: c_array {compile_ours:.2f} s   xxd -i {compile_xxd:.2f} s   "
          f"ratio {compile_ours / compile_xxd:.2f}x")


if __name__ == "__main__":
  main()
