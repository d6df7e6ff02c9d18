"""``TemplateRow``: the lines of a long list, as Django's templates read them fastest.

For ``{{ row.name }}`` Django's template engine first tries ``row["name"]``, and reads
the attribute only after that raised (the documented order: dictionary, attribute, list
index). An object without item access raises and catches a ``TypeError`` on every
lookup: about half a microsecond, which a page of many rows pays a few hundred times (the
inbox, the area page; docs/performance.md, "a ninth round"). A row that answers the
first lookup with its attribute is read at once, and reads exactly as before: a missing
name raises ``AttributeError``, which the engine treats as it treated the ``TypeError``.
"""

from __future__ import annotations


class TemplateRow:
    """Mix into a dataclass whose instances a template shows in a list."""

    __slots__ = ()

    # The attribute itself, looked up in C: no frame of Python per lookup.
    __getitem__ = object.__getattribute__
