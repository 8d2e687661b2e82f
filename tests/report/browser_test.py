"""The report pages in a real browser: they load without console messages, the screenshot
is not blank and matches the one in docs/, the plots have a bar per tensor (and per bin of
the error histogram), and every number shown is the JSON's."""

import json
import pathlib
import re

import numpy as np
import pytest

from tests.report import browser
from tests.report import screenshots
from tools import model_report


@pytest.mark.parametrize("page, numbers, _shot, _height", screenshots.PAGES)
def test_the_page_loads_and_shows_the_json(page, numbers, _shot, _height):
  report = json.loads(pathlib.Path(numbers).read_text())
  dom, console = browser.dom(pathlib.Path(page))
  assert console == [], console
  assert not re.search(r"\s(src|href)=", dom), "the page links to something"
  plans = [key for key in ("aot", "tflm") if key in report["memory"]]
  svgs = re.findall(r'<svg class="plan".*?</svg>', dom, re.S)
  assert [len(re.findall(r'<rect class="bar"', svg)) for svg in svgs] == [
      len(report["memory"][key]["bars"]) for key in plans]
  bins = report.get("accuracy", {}).get("error_histogram", {}).get("counts", [])
  assert len(re.findall(r'<rect class="bin"', dom)) == len(bins)
  shown = model_report.shown_numbers(dom)
  assert len(shown) == dom.count("<span data-json=") > 0
  for path, text in shown:
    assert model_report.matches(text, model_report.lookup(report, path)), (path, text)


@pytest.mark.parametrize("page, _numbers, shot, height", screenshots.PAGES)
def test_the_screenshot_is_not_blank_and_docs_has_it(page, _numbers, shot, height, tmp_path):
  png = tmp_path / "page.png"
  assert browser.screenshot(pathlib.Path(page), png, height) == []
  pixels = browser.pixels(png.read_bytes())
  assert pixels.shape[:2] == (height, browser.WIDTH)
  ink = (pixels[..., :3] < 250).any(axis=2).mean()
  colors = len(np.unique(pixels[..., :3].reshape(-1, 3), axis=0))
  assert ink > 0.05 and colors > 16, f"blank screenshot: {ink:.1%} ink, {colors} colors"
  kept = browser.pixels(pathlib.Path(shot).read_bytes())
  assert kept.shape == pixels.shape and np.array_equal(kept, pixels), (
      f"{shot} is stale (the page has changed): run `bazel run //tests/report:update_screenshots`")
