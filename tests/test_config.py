"""Each deck option is declared once: the config object, its defaults and the README all come from it."""

from __future__ import annotations

import re
import tomllib
from dataclasses import fields

from helpers import REPO

from remarkdeck.config import MATH_SCHEMA, SCHEMA, DeckConfig, options_table, parse_config

README = (REPO / "README.md").read_text()


def test_the_readme_lists_every_option_as_declared():
    assert options_table() in README


def test_the_readme_example_uses_declared_keys_and_their_defaults():
    example = re.search(r"```toml\n\+\+\+\n(.*?)\+\+\+\n```", README, re.S).group(1)
    written = tomllib.loads(example)
    declared = {option.name: option for option in SCHEMA}
    assert set(written) <= set(declared)
    assert set(written["math"]) <= {option.name for option in MATH_SCHEMA}
    for line in example.splitlines():
        if line.rstrip().endswith("# default"):
            key = line.split("=", 1)[0].strip()
            assert written[key] == declared[key].default, key


def test_the_config_object_has_one_field_per_option_with_its_default():
    config = DeckConfig()
    assert [f.name for f in fields(config)] == [option.name for option in SCHEMA] + ["extra"]
    for option in SCHEMA:
        if not option.fields:
            assert getattr(config, option.name) == option.default, option.name
    assert config.math == {"macros": {}}


def test_an_empty_front_matter_gives_the_declared_defaults(tmp_path):
    assert parse_config("", tmp_path / "deck.md") == DeckConfig()


def test_defaults_are_not_shared_between_configs():
    first, second = DeckConfig(), DeckConfig()
    first.math["macros"]["\\RR"] = "\\mathbb{R}"
    assert second.math == {"macros": {}}
