"""Command line of tools/analyze.py: the JSON report (and summary) of a .tflite model."""

from absl import app
from absl import flags

from tools import analyze
from tools import common

_MODEL = flags.DEFINE_string("model", None, "Path to the .tflite file.", required=True)
_REPORT = flags.DEFINE_string("report", None, "Path of the JSON report to write.", required=True)
_SUMMARY = flags.DEFINE_string("summary", None, "Path of a short text summary to write.")
_MODEL_LABEL = flags.DEFINE_string("model_label", None, "Name of the model in messages.")
_TFLM_CHECK = flags.DEFINE_bool("tflm_check", True, "Run the model in the TFLM interpreter.")
_REQUIRE_TFLM = flags.DEFINE_bool("require_tflm", False, "Fail unless TFLM can run the model.")
_MARGIN = flags.DEFINE_integer("arena_margin_percent", 10,
                               "Added to the smallest arena for the recommended arena size.")
_MAX_FLASH = flags.DEFINE_integer("max_flash_bytes", 0, "Fail if the model is larger; 0 = no budget.")
_MAX_ARENA = flags.DEFINE_integer("max_arena_bytes", 0,
                                  "Fail if the recommended arena is larger; 0 = no budget.")
_EARLIER_REPORT = flags.DEFINE_string(
    "earlier_report", None, "A report of the same model by an earlier run (tflite_model's): its "
    "TFLM measurement is reused instead of measured again.")


def main(argv: list[str]) -> None:
  del argv  # Unused.
  analyze.write_report(_MODEL.value, _REPORT.value, _SUMMARY.value, _MODEL_LABEL.value,
                       _TFLM_CHECK.value, _REQUIRE_TFLM.value, _MARGIN.value, _MAX_FLASH.value,
                       _MAX_ARENA.value, _EARLIER_REPORT.value)


if __name__ == "__main__":
  app.run(common.run_tool(main, "analyze", lambda: _MODEL.value))
