"""The consoles the `bansos` commands print to (rich)."""

from __future__ import annotations

from rich.console import Console

# Written to a file or a pipe (a script, a log), a line is not cut at 80 columns: a path, a hash or
# a reason code split over two lines is no longer what a script or a reader can use.
PIPED_WIDTH = 400


def console(stderr: bool = False) -> Console:
    """A console for stdout (or stderr); off a terminal, wide and without soft wrapping."""
    made = Console(stderr=stderr)
    if made.is_terminal:
        return made
    return Console(stderr=stderr, width=max(made.width, PIPED_WIDTH), soft_wrap=True)
