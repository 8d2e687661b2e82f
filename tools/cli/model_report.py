"""Command line of tools/model_report.py: a model's report page (HTML) and its numbers (JSON)."""

from absl import app
from absl import flags

from tools import common
from tools import model_report

_MODEL = flags.DEFINE_string("model", None, "Path to the .tflite file.", required=True)
_ANALYSIS = flags.DEFINE_string("analysis", None, "tools/analyze.py's JSON report of the model.",
                                required=True)
_HTML = flags.DEFINE_string("html", None, "Path of the page to write.", required=True)
_JSON = flags.DEFINE_string("json", None, "Path of the JSON to write.", required=True)
_MODEL_LABEL = flags.DEFINE_string("model_label", None, "Name of the model on the page.")
_PROFILES = flags.DEFINE_list("profiles", [], "tools/profile_run.py's results, one per core.")
_REFERENCE = flags.DEFINE_string("reference", None, "The float model, with --dataset.")
_DATASET = flags.DEFINE_string("dataset", None, ".npz (x, y) to compare the model and --reference on.")
_TASK = flags.DEFINE_enum("task", "regression", ["regression", "classification"],
                          "What the dataset's y is, as for tflite_accuracy_test.")
_MAX_FLASH = flags.DEFINE_integer("max_flash_bytes", 0, "The flash budget; 0 = none.",
                                  lower_bound=0)
_MAX_RAM = flags.DEFINE_integer("max_ram_bytes", 0, "The RAM budget; 0 = none.", lower_bound=0)
_CLOCK_MHZ = flags.DEFINE_float("clock_mhz", 0, "The device's clock, for the duty cycle.",
                                lower_bound=0)
_INFERENCES_PER_SECOND = flags.DEFINE_float(
    "inferences_per_second", 0, "How often the device runs the model, for the duty cycle.",
    lower_bound=0)


def main(argv: list[str]) -> None:
  del argv  # Unused.
  model_report.write(_MODEL.value, _ANALYSIS.value, _HTML.value, _JSON.value,
                     _MODEL_LABEL.value or _MODEL.value, _PROFILES.value, _CLOCK_MHZ.value,
                     _INFERENCES_PER_SECOND.value, _REFERENCE.value, _DATASET.value, _TASK.value,
                     _MAX_FLASH.value, _MAX_RAM.value)


if __name__ == "__main__":
  app.run(common.run_tool(main, "model_report", lambda: _MODEL.value))
