"""docs/aot.md lists the ops and types the registry compiles."""

from tools.aot import harness
from tools.aot import op_table


def test_docs_table_is_up_to_date():
  text = (harness.REPO / "docs" / "aot.md").read_text()
  assert op_table.updated(text) == text, (
      f"docs/aot.md's op table is out of date; run `{op_table.UPDATE_COMMAND}` in the "
      "rules_tflm checkout (or bazel run //tools/aot:update_op_table)")


def test_table_rows():
  table = op_table.table()
  assert "| `CONV_2D` | int8, float32 |\n" in table
  assert "| `QUANTIZE` | int8, float32 to int8 |\n" in table
  assert "| `DEQUANTIZE` | int8 to float32 |\n" in table
  assert "| `RESHAPE` | any (the bytes are copied) |\n" in table
