"""The CLI reference (docs/cli.md) is the --help output itself, so it can not drift; the README's
examples are the commands' real output.

Run with UPDATE_README=1 to rewrite the --help blocks of docs/cli.md after changing the options.
"""

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from entities.cli import cli

README = Path(__file__).resolve().parent.parent / "README.md"
CLI_DOCS = README.parent / "docs" / "cli.md"  # the command line's page of the docs site
BLOCK = re.compile(r"(<!-- help:(?P<command>\w+) -->\n```\n)(?P<help>.*?)(```\n<!-- /help:\w+ -->)", re.S)


def help_text(command):
    # <!-- help:entities --> is the command's own help, <!-- help:extract --> a subcommand's
    args = ["--help"] if command == "entities" else [command, "--help"]
    return CliRunner().invoke(cli, args, prog_name="entities", terminal_width=80).output


def test_cli_reference_matches_help():
    text = CLI_DOCS.read_text(encoding="utf-8")
    blocks = list(BLOCK.finditer(text))
    assert blocks, "docs/cli.md has no <!-- help:COMMAND --> block"
    if os.environ.get("UPDATE_README"):
        text = BLOCK.sub(lambda m: m.group(1) + help_text(m.group("command")) + m.group(4), text)
        CLI_DOCS.write_text(text, encoding="utf-8")
    for block in BLOCK.finditer(text):
        assert block.group("help") == help_text(block.group("command"))
    documented = {block.group("command") for block in blocks}
    assert documented == {"entities", *cli.commands}, "every command has its --help block in docs/cli.md"


def test_readme_opens_with_the_two_commands():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert "make run" in lines[3] and "make test" in lines[4]


@pytest.mark.parametrize("page", [README, CLI_DOCS], ids=["README.md", "docs/cli.md"])
def test_show_example_is_the_real_output(page):
    # the `echo '...' | entities show -` block and the output block under it
    text = page.read_text(encoding="utf-8")
    example = re.search(
        r"```sh\necho '(?P<input>[^']*)' \| entities show -\n```\n\n```\n(?P<output>.*?)```\n", text, re.S
    )
    assert example, f"{page.name} has no `entities show` example"
    result = CliRunner().invoke(cli, ["show", "-"], input=example.group("input") + "\n", env={"COLUMNS": "80"})
    assert result.exit_code == 0 and result.output == example.group("output")


def test_readme_shows_what_make_run_prints(tmp_path, monkeypatch):
    # the summary block under 'What `make run` gives' is the command's own output on the corpora
    text = README.read_text(encoding="utf-8")
    shown = re.search(r"## What `make run` gives.*?```\n(?P<summary>.*?)```", text, re.S).group("summary")
    monkeypatch.chdir(README.parent)
    inputs = ["corpora", "corpora/wire.jsonl", "corpora/digest.csv"]
    result = CliRunner().invoke(cli, ["extract", *inputs, "--out", str(tmp_path), "--workers", "1"])
    assert result.exit_code == 0, result.output
    printed = result.output.replace(str(tmp_path), "output")
    assert shown.splitlines() == printed.splitlines()


UNPUBLISHED = re.compile(r"pip install\s+['\"]?entities-ru")  # not on PyPI yet: 'no matching distribution'
TOLD = ["README.md", "pyproject.toml", "docs/*.md", "notebooks/*.ipynb", "src/entities/**/*.py"]


def test_no_page_says_to_install_from_pypi():
    root = README.parent
    found = [f"{path.relative_to(root)}: {line.strip()}" for pattern in TOLD for path in sorted(root.glob(pattern))
             for line in path.read_text(encoding="utf-8").splitlines() if UNPUBLISHED.search(line)]  # fmt: skip
    found += [f"{command} --help" for command in cli.commands if UNPUBLISHED.search(help_text(command))]
    assert found == []
