"""Docs stay true: every command and option is documented, every term has its entry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph

from kg.cli.parser import make_parser
from kg.validate import SHAPES_DIR
from kg.vocab import KG, SH

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
MODEL = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")


def _subcommands() -> dict[str, list[str]]:
    parser = make_parser()
    (action,) = [a for a in parser._actions if a.dest == "command"]
    return {
        name: [o for a in sub._actions for o in a.option_strings if o.startswith("--")]
        for name, sub in action.choices.items()  # type: ignore[union-attr]
    }


@pytest.mark.parametrize("command", sorted(_subcommands()))
def test_every_command_and_option_is_in_the_readme(command):
    assert f"kg {command}" in README
    for option in _subcommands()[command]:
        if option != "--help":
            assert option in README, f"{command} {option} is not documented in README.md"


def test_quickstart_is_two_commands_and_ci_runs_the_test_one():
    quickstart = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.+?)\n```", quickstart, re.S)
    assert len(commands) == 2
    assert "kg build examples/" in commands[0]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci.splitlines()


def test_every_kg_term_and_target_class_is_in_the_model_doc():
    for name in KG.__annotations__:
        assert f"kg:{name}" in MODEL, name
    shapes = Graph()
    for path in SHAPES_DIR.glob("*.ttl"):
        shapes.parse(path)
    for cls in set(shapes.objects(None, SH.targetClass)):
        prefixed = shapes.namespace_manager.normalizeUri(cls)
        assert prefixed in MODEL, prefixed


def test_exit_codes_documented_in_readme_match_the_cli():
    from kg import cli

    table = dict(re.findall(r"^\| (\d) \| (.+?) \|$", README, re.M))
    assert set(table) == {"0", "1", "2", "3"}
    assert (cli.EXIT_OK, cli.EXIT_NONCONFORMING, cli.EXIT_BAD_INPUT, cli.EXIT_INTERNAL) == (
        0,
        1,
        2,
        3,
    )
