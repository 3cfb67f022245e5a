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
            err_console.print(f"[bold red]Import failed, nothing was written.[/]\n{exc}")
            raise typer.Exit(1) from exc
        except (CommandError, FileNotFoundError, ValueError) as exc:
            err_console.print(f"[bold red]Error:[/] {exc}")
            raise typer.Exit(1) from exc

    return wrapper
