"""The kg command, in process and as a real subprocess: exit codes and messages."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kg.cli import main

from .conftest import MUTATED, SEED


def test_build_writes_outputs_and_summarises(tmp_path, capsys):
    assert main(["build", str(SEED), "--out", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    # not a terminal: no progress bar, one summary line
    assert err.splitlines() == [
        "kg: 1 feed(s) ok, 0 failed; items: 3 new, 0 updated, 0 unchanged, 0 kept from earlier "
        f"reads, 0 set aside; 3 papers; 0 warnings; conforms; store {tmp_path / 'store'}"
    ]
    assert main(["build", str(SEED), "--out", str(tmp_path)]) == 0
    assert capsys.readouterr().err.splitlines() == [
        "kg: 1 feed(s) ok, 0 failed; items: 0 new, 0 updated, 3 unchanged, 0 kept from earlier "
        "reads, 0 set aside; 3 papers; 0 warnings; conforms; unchanged, nothing to build; "
        f"store {tmp_path / 'store'}"
    ]
    assert main(["build", str(SEED), "--out", str(tmp_path / "plain"), "--no-store"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        "kg: 1 feed(s) ok, 0 failed; items: 3 read, 3 kept, 0 set aside; 3 papers; 0 warnings; "
        "conforms"
    ]
    for name in ("graph.ttl", "graph.nq", "graph.graphml", "report.json", "rejected.nq"):
        assert (tmp_path / name).is_file()


def test_build_mutated_exit_codes(tmp_path, capsys):
    assert main(["build", str(MUTATED), "--out", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "items: 7 new, 0 updated, 0 unchanged, 0 kept from earlier reads, 4 set aside" in err
    assert "set aside: https://scienmag.com/mutant-empty/: " in err and "a link (schema:url)" in err
    assert main(["build", str(MUTATED), "--out", str(tmp_path), "--strict"]) == 1


def test_progress_bar_on_a_terminal_only(tmp_path, monkeypatch):
    import io

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    assert main(["build", str(SEED), "--out", str(tmp_path)]) == 0
    drawn = screen.getvalue()
    for stage in ("read feeds", "map items", "validate", "write store", "write outputs"):
        assert f"\x1b[2Kkg: {stage} [" in drawn
    assert "kg: read feeds [########################] 1/1" in drawn
    # the bar is cleared before the summary, which stays on its own line
    assert drawn.endswith(
        "\r\x1b[2Kkg: 1 feed(s) ok, 0 failed; items: 3 new, 0 updated, 0 "
        f"unchanged, 0 kept from earlier reads, 0 set aside; 3 papers; 0 "
        f"warnings; conforms; store {tmp_path / 'store'}\n"
    )


def test_build_json(tmp_path, capsys):
    assert main(["build", str(SEED), "--out", str(tmp_path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report == json.loads((tmp_path / "report.json").read_text())


def test_bad_feed_among_good_ones_is_exit_2_but_the_rest_is_built(tmp_path, capsys):
    bad = tmp_path / "page.html"
    bad.write_text("<html><body>hello</body></html>")
    out = tmp_path / "out"
    assert main(["build", str(bad), str(SEED), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"kg: error: {bad}: an HTML page, not a feed" in err
    assert (out / "graph.ttl").is_file()


def test_only_bad_feeds_write_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(tmp_path / "missing.xml"), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"kg: error: {tmp_path / 'missing.xml'}: no such file"]
    assert not out.exists()


def test_bad_base_iri(tmp_path, capsys):
    assert main(["build", str(SEED), "--out", str(tmp_path), "--base-iri", "urn:x"]) == 2
    assert "--base-iri: 'urn:x' must be an http(s) IRI" in capsys.readouterr().err


def test_base_iri_changes_minted_iris(tmp_path):
    assert (
        main(["build", str(SEED), "--out", str(tmp_path), "--base-iri", "https://kg.example.org/"])
        == 0
    )
    text = (tmp_path / "graph.ttl").read_text()
    assert "https://kg.example.org/site/scienmag.com/tags" in text
    assert "w3id.org/feedkg/id/" not in text


def test_validate(tmp_path, capsys):
    main(["build", str(SEED), "--out", str(tmp_path)])
    capsys.readouterr()
    assert main(["validate", str(tmp_path / "graph.ttl")]) == 0
    assert main(["validate", str(tmp_path / "rejected.nq")]) == 0  # empty: conforms
    main(["build", str(MUTATED), "--out", str(tmp_path)])
    capsys.readouterr()
    assert main(["validate", str(tmp_path / "rejected.nq")]) == 1
    err = capsys.readouterr().err
    assert "violation: " in err and "4 violation(s)" in err  # one per story, as in the build


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.ttl", "this is not turtle", "not valid turtle"),
        ("x.csv", "a,b", "unknown RDF file extension '.csv'"),
        ("missing.ttl", None, "no such file"),
    ],
)
def test_validate_bad_input(tmp_path, capsys, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"kg: error: {path}: ") and message in err and "\n" not in err


def test_validate_custom_shapes_dir_errors(tmp_path, capsys):
    (tmp_path / "shapes").mkdir()
    (tmp_path / "g.ttl").write_text("<https://e.org/a> <https://e.org/p> 1 .")
    assert main(["validate", str(tmp_path / "g.ttl"), "--shapes", str(tmp_path / "shapes")]) == 2
    assert "no *.ttl shape files" in capsys.readouterr().err


def test_help_for_every_command(capsys):
    for argv in (["--help"], ["build", "--help"], ["validate", "--help"]):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 0
        out = capsys.readouterr().out
        assert "exit codes:" in out


def test_usage_error_is_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["build", "--no-such-option"])
    assert info.value.code == 2
    capsys.readouterr()
    assert main(["build"]) == 2  # FEED is optional with --feeds / --opml, but something is needed
    assert capsys.readouterr().err.strip() == (
        "kg: error: kg build: no feeds: give FEED..., --feeds FILE or --opml FILE"
    )


def test_internal_error_is_exit_3_without_traceback(tmp_path, capsys, monkeypatch):
    import kg.cli.build

    def broken(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(kg.cli.build, "convert", broken)
    monkeypatch.setattr(kg.cli.build, "ingest", broken)
    assert main(["build", str(SEED), "--out", str(tmp_path)]) == 3
    assert main(["build", str(SEED), "--out", str(tmp_path), "--no-store"]) == 3
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: simulated bug" in err and "Traceback" not in err


def test_real_subprocess_from_stdin(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "kg", "build", "-", "--out", str(tmp_path)],
        input=SEED.read_bytes(),
        capture_output=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert b"Traceback" not in run.stderr
    assert (tmp_path / "graph.ttl").stat().st_size > 0


def test_real_subprocess_user_error_has_no_traceback(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "kg", "build", str(tmp_path / "nope.rss")],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert run.returncode == 2
    assert run.stderr.strip() == f"kg: error: {tmp_path / 'nope.rss'}: no such file"
