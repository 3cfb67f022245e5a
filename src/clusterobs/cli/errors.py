"""Turn expected failures into a clear message and a non-zero exit code."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console

P = ParamSpec("P")
R = TypeVar("R")

err_console = Console(stderr=True)


class CommandError(Exception):
    """An error whose message is meant for the user as it is."""


def reports_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Print known errors (import validation, bad arguments) without a traceback; exit 1."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from clusterobs.imports.errors import ImportValidationError

        try:
            return func(*args, **kwargs)
        except ImportValidationError as exc:
            _say("Import failed, nothing was written.\n", exc)
            raise typer.Exit(1) from exc
        except (CommandError, FileNotFoundError, ValueError) as exc:
            _say("Error: ", exc)
            raise typer.Exit(1) from exc

    return wrapper


def _say(lead: str, message: object) -> None:
    """The lead in bold red, then the message as plain text: file names and advice such as
    ``[spark]`` are printed as they are, never read as console markup, and never wrapped at the
    terminal's width (a log line or ``grep`` must find "row 5" whole, however long the path)."""
    err_console.print(lead, style="bold red", end="", soft_wrap=True)
    err_console.print(str(message), markup=False, highlight=False, soft_wrap=True)


def exits_on_error(func: Callable[P, R]) -> Callable[P, R]:
    """Engine commands: report bad input (file, row, field) without a traceback; exit code 1;
    nothing written."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except (ValueError, FileNotFoundError, KeyError) as exc:
            message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
            _say("Error, nothing was written: ", message)
            raise typer.Exit(1) from exc

    return wrapper
