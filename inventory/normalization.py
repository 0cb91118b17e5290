import re

_SEPARATORS = re.compile(r"[\s\-./\\]+")


def normalize_code(text: str) -> str:
    """Canonical form of a part number or material designation.

    "6205-2RS", "6205 2rs" and "62052RS" are one number; so are "1.0503" and "10503".
    """
    return _SEPARATORS.sub("", (text or "").upper())
