"""Checks at analysis that the C names a rule generates from its attributes are C identifiers."""

_FIRST = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"
_REST = _FIRST + "0123456789"

def _is_identifier(text):
    if not text or text[0] not in _FIRST:
        return False
    for char in text.elems():
        if char not in _REST:
            return False
    return True

def _suggestion(text):
    fixed = "".join([char if char in _REST else "_" for char in text.elems()])
    return fixed if fixed[:1] in _FIRST.elems() else "_" + fixed

def check_c_identifier(ctx, attribute, value, defaulted_to_name = False):
    """Fails the build, naming `attribute`, unless `value` is a C identifier.

    Args:
      ctx: The rule's context.
      attribute: (str) The attribute of the public rule that gives `value`.
      value: (str) The name to check.
      defaulted_to_name: (bool) Whether `value` is the default, the target's name.
    """
    if _is_identifier(value):
        return
    origin = " (its default: the target's name)" if defaulted_to_name else ""
    fail(("%s: %s = \"%s\"%s is not a C identifier, so the generated C would not compile; " +
          "set %s to letters, digits and underscores that do not start with a digit, " +
          "e.g. %s = \"%s\".") % (
        _public_label(ctx),
        attribute,
        value,
        origin,
        attribute,
        attribute,
        _suggestion(value),
    ))

def check_cc_namespace(ctx, attribute, value):
    """Fails the build, naming `attribute`, unless `value` is empty or C++ identifiers joined by `::`."""
    if not value or all([_is_identifier(part) for part in value.split("::")]):
        return
    fail(("%s: %s = \"%s\" is not a C++ namespace; set it to identifiers joined by ::, " +
          "e.g. %s = \"firmware::models\", or leave it out for C linkage.") % (
        _public_label(ctx),
        attribute,
        value,
        attribute,
    ))

def _public_label(ctx):
    """The label of the target the user declared: the rule's `library` attribute names it."""
    return "//%s:%s" % (ctx.label.package, ctx.attr.library)
