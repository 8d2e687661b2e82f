"""Tests of tools/c_text.py: model strings safe in comments, C names from flags checked."""

import pytest

from tools import c_text
from tools import common


@pytest.mark.parametrize("text,safe", [
    ("dense/BiasAdd;sequential/dense/MatMul", "dense/BiasAdd;sequential/dense/MatMul"),
    ('*/ puts("INJECTED"); /*', '* / puts("INJECTED"); / * '),
    ("*/*/", "* / * / "),
    ("a\nb\\", "a\\x0ab\\x5c"),
    ("??/", "\\x3f\\x3f/ "),
    ("\u00e9\U0001f600", "\\xe9\\U0001f600"),
])
def test_comment_text_cannot_end_or_splice_a_comment(text, safe):
  assert c_text.comment(text) == safe


def test_comment_is_cut_when_asked():
  assert c_text.comment("x" * 100, 10) == "xxxxxxx..."


@pytest.mark.parametrize("name,message", [
    ("mlp-act", "--prefix 'mlp-act' is not a valid C identifier"),
    ("1x", "is not a valid C identifier"),
    ("int", "--prefix 'int' is a reserved word"),
])
def test_identifiers(name, message):
  with pytest.raises(common.ToolError, match=message):
    c_text.check_identifier(name, "--prefix")


def test_a_prefix_may_be_a_reserved_word_and_namespaces_are_checked_by_part():
  c_text.check_identifier("int", "--prefix", whole=False)
  c_text.check_namespace("fw::models", "--namespace")
  with pytest.raises(common.ToolError, match="--namespace 'fw::'"):
    c_text.check_namespace("fw::", "--namespace")
