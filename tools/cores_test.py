"""Tests of tools/cores.py: Python reads the table of cores the rules use."""

import pytest

from tools import common
from tools import cores
from tools import testing


def test_the_six_cores_in_order():
  table = cores.read_cores(testing.REPO)
  assert list(table) == ["cortex-m0", "cortex-m3", "cortex-m4", "cortex-m7", "cortex-m33",
                         "cortex-m55"]
  m0, m4 = table["cortex-m0"], table["cortex-m4"]
  assert (m0.machine, m0.flash_length, m0.ram_length, m0.stack_size) == ("microbit", 256 << 10,
                                                                          16 << 10, 4 << 10)
  assert m4.cpu_flags == ["-mcpu=cortex-m4", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"]
  assert {name for name, core in table.items() if core.simd} == {"cortex-m4", "cortex-m7",
                                                                  "cortex-m33", "cortex-m55"}


FIELDS = ('"description": "d", "machine": "m", "cpu_flags": ["-mcpu=x"], "simd": "", '
          '"flash_origin": 0, "flash_length": 1, "ram_origin": 2, "ram_length": 3, '
          '"stack_size": 4, "heap_size": 5')


def test_parse_a_table():
  table = cores.parse_cores('CORE_TABLE = {"x": {%s}}\nCORES = {}\n' % FIELDS)
  assert table == {"x": cores.Core("x", "d", "m", ["-mcpu=x"], "", 0, 1, 2, 3, 4, 5)}


@pytest.mark.parametrize("source,message", [
    ('CORE_TABLE = {"x": {"machine": 2 * _KIB}}', "is not a plain literal"),
    ('CORE_TABLE = {"x": {"machine": "m"}}', "core x has fields ['machine']"),
    ("CORES = {}", "no CORE_TABLE = {...} found"),
])
def test_a_table_that_is_not_plain_data(source, message):
  with pytest.raises(common.ToolError) as error:
    cores.parse_cores(source, "c.bzl")
  assert message in str(error.value) and str(error.value).startswith("c.bzl: ")
