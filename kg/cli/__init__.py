"""The ``kg`` command: a thin shell over the Python API.

This package is the only code that prints or chooses exit codes:

    0  success (``kg build``: the written graph conforms to the shapes;
       stories that did not were set aside and reported)
    1  does not conform (``kg validate``; ``kg build --strict`` when any story
       was set aside or any result was reported; ``kg build`` when the written
       graph itself does not conform, e.g. two feeds disagree about one node)
    2  bad input or usage: a feed or file that cannot be read, bad options
    3  internal error (a bug: please report it)

``parser`` is the grammar, ``build`` the build command and its summary,
``commands`` the commands over a built graph, ``output`` the shared lines.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import NoReturn

from kg.cli.output import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_NONCONFORMING, EXIT_OK, err
from kg.cli.parser import make_parser
from kg.errors import KGError
from kg.runtime import collector_off_until_exit


def run() -> NoReturn:
    """The ``kg`` executable: one command, then the process exits."""
    raise SystemExit(main(sys.argv[1:], exits=True))


def main(argv: Sequence[str] | None = None, *, exits: bool = False) -> int:
    """Run one command; ``exits``: the process ends when this returns."""
    args = make_parser().parse_args(argv)
    try:
        if args.command == "build":
            from kg.cli.build import build_command

            if exits:  # nothing after the build needs the cycle collector
                collector_off_until_exit()
            return build_command(args)
        from kg.cli import commands

        command = {
            "query": commands.query_command,
            "serve": commands.serve_command,
            "export": commands.export_command,
            "push": commands.push_command,
            "validate": commands.validate_command,
        }[args.command]
        return command(args)
    except KGError as e:
        err(f"error: {e}")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        err("interrupted")
        return 130
    except Exception as e:  # the one place a bug becomes an exit code
        err(f"internal error: {type(e).__name__}: {e} (please report this)")
        return EXIT_INTERNAL


__all__ = ["EXIT_BAD_INPUT", "EXIT_INTERNAL", "EXIT_NONCONFORMING", "EXIT_OK", "main", "run"]
