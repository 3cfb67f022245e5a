"""All-or-nothing result directories: a reader sees the old directory or the new, never a part.

Why one function: the mapping engine, the complexity build and the spatial statistics all
publish a directory of files plus a manifest; each once had its own copy of this dance.
``write(tmp)`` fills a temporary sibling of ``out``; only when it returns is ``out`` swapped
for it (the old one renamed aside, then removed). A killed write leaves a ``.<name>.*``
sibling that :func:`recover` cleans up (and an old result renamed aside is put back).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


def _readable(directory: Path) -> None:
    """``mkdtemp`` makes a directory only its owner can read; a result is read by the web
    server too, so it gets the permissions of any new directory (the umask's)."""
    umask = os.umask(0)
    os.umask(umask)
    directory.chmod(0o777 & ~umask)


def recover(out: Path) -> None:
    """Undo what a killed write left at ``out``: put an old result renamed aside back when the
    new one never arrived, and remove stale temporary directories."""
    old = out.with_name(f".{out.name}.old")
    if old.exists() and not out.exists():
        old.rename(out)
    for stale in out.parent.glob(f".{out.name}.*"):
        if stale.is_dir() and stale != old:
            shutil.rmtree(stale, ignore_errors=True)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def write_directory(out: Path, write: Callable[[Path], object]) -> Path:
    """Run ``write(tmp)`` in a temporary sibling of ``out`` and move it into place."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    recover(out)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    _readable(tmp)
    try:
        write(tmp)
        if out.exists():
            old = out.with_name(f".{out.name}.old")
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out
