"""Fuzzes the model-reading tools with 10,000 mutated models and prints the table of outcomes.

The campaign of tools/fuzz/campaign.py: mutants of the small test models
(structural edits of FlatBuffer fields and byte-level damage) through
aot_compile, analyze, c_array and op_resolver, with analyze's TFLM check
and golden on every tenth, each run in a forked child with a timeout; the C
of every model aot_compile accepts is built with ASan and UBSan and run on
random inputs. Prints progress, the table, and each finding with its case
number; --keep writes the findings' mutants there.

Run from the repository root:
  ~/.cache/rules_tflm/venv/bin/python3 bench/fuzz_models.py [--cases N] [--seed S] [--start K]
"""

import argparse
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from tools.fuzz import campaign  # pylint: disable=wrong-import-position


def main() -> int:
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--cases", type=int, default=10_000, help="how many mutants")
  parser.add_argument("--seed", type=int, default=1, help="the campaign's seed")
  parser.add_argument("--start", type=int, default=0, help="the first case number")
  parser.add_argument("--tflm_every", type=int, default=10,
                      help="run the TFLM tools (analyze --require_tflm, golden) on every N-th case")
  parser.add_argument("--keep", type=pathlib.Path, help="write each finding's mutant here")
  args = parser.parse_args()
  report = campaign.run_campaign(args.seed, args.cases, args.start, tflm_every=args.tflm_every,
                                 log=lambda line: print(line, flush=True))
  print(report.text())
  if args.keep:
    args.keep.mkdir(parents=True, exist_ok=True)
    for f in report.findings:
      (args.keep / f"case_{f.number}_{f.tool}.tflite").write_bytes(f.data)
  return 1 if report.findings else 0


if __name__ == "__main__":
  sys.exit(main())
