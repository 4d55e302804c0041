"""WordprocessingML names: the namespaces and a tag's qualified name."""

from __future__ import annotations

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_W = f"{{{W_NS}}}"


def w(tag: str) -> str:
    """The qualified name of a w: tag or attribute."""
    return _W + tag


def val(element, tag: str, default=None):
    """The w:val of `element`'s child `tag`, or default."""
    child = element.find(w(tag)) if element is not None else None
    if child is None:
        return default
    return child.get(w("val"), default)
