"""A fixed-seed slice of the model fuzzer (tools/fuzz/): 500 mutants of the test models
through aot_compile, analyze, c_array and op_resolver (and analyze with the TFLM check
and golden on every tenth), the C of every accepted model under ASan and UBSan.

It prints the table of outcomes and fails on any traceback, internal error, signal,
hang, partial output, sanitizer report or generated C that gcc refuses. A finding
prints its case number and mutation; `bench/fuzz_models.py --start N --cases 1
--keep DIR` writes the mutant to reproduce it.
"""

import os

from tools.fuzz import campaign

SEED = 11
CASES = int(os.environ.get("RULES_TFLM_FUZZ_CASES", "500"))


def test_fuzz_slice(capsys):
  with capsys.disabled():  # the table goes to the test log, passed or failed
    report = campaign.run_campaign(SEED, CASES, log=print)
    print(report.text())
  assert report.findings == [], report.text()
  accepted = report.counts["aot_compile"].get("success", 0)
  assert report.counts["C under ASan+UBSan"].get("ok", 0) == accepted
