"""Remove server paths from messages meant for outsiders (plain Python, no Django).

Error messages of the analytics core name files ("no classifications imported in
/srv/clusterobs-data/classifications"). Shown to an API client they reveal how the server is laid
out and help nobody; each absolute path is replaced by its last component, which still says
which file or directory was meant.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: An absolute POSIX path of at least two components, not preceded by anything that makes it
#: part of a URL ("https://host/a/b") or of a longer word.
POSIX_PATH = re.compile(r"(?<![\w:/.~-])(/(?:[\w.@+~-]+/)+[\w.@+~-]*)")
#: A Windows path ("C:\\data\\file.csv").
WINDOWS_PATH = re.compile(r"\b[A-Za-z]:\\(?:[^\\\s'\"<>|,;]+\\)*[^\\\s'\"<>|,;]*")
FILE_URL = re.compile(r"file://\S+")


def basename(path: str) -> str:
    parts = [p for p in re.split(r"[\\/]", path) if p]
    return parts[-1] if parts else ""


def redact_paths(
    text: str, *, keep_roots: Iterable[str] = (), strip_prefixes: Iterable[str] = ()
) -> str:
    """``text`` with every absolute path replaced by its last component.

    ``keep_roots``: first segments of the site's own URL paths ("api" keeps "/api/docs/").
    ``strip_prefixes``: directories removed first, so a path below them shrinks to its part
    below them even when a directory name has a space (which the path pattern stops at).
    """
    if "/" not in text and "\\" not in text:
        return text
    for prefix in sorted(strip_prefixes, key=len, reverse=True):
        text = text.replace(prefix.rstrip("/\\") + "/", "")
    keep = set(keep_roots)

    def posix(match: re.Match[str]) -> str:
        path = match.group(1)
        return path if path.strip("/").split("/", 1)[0] in keep else basename(path)

    text = FILE_URL.sub(lambda m: basename(m.group(0)), text)
    text = WINDOWS_PATH.sub(lambda m: basename(m.group(0)), text)
    return POSIX_PATH.sub(posix, text)
