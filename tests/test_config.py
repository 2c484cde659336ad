from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from followup.config import ConfigError, Settings, load_settings, resolve_home

ROOT = Path(__file__).resolve().parents[1]


def test_the_example_file_documents_exactly_the_defaults() -> None:
    example = tomllib.loads((ROOT / "followup.example.toml").read_text(encoding="utf-8"))
    assert Settings.model_validate(example) == Settings()


def test_an_absent_file_means_defaults(tmp_path: Path) -> None:
    s = load_settings(tmp_path, environ={})
    assert s.waves.months == [3, 6, 12, 24, 36]
    assert s.identity.phone_region == "RU"


def test_a_wrong_setting_is_named_with_what_is_allowed(tmp_path: Path) -> None:
    (tmp_path / "followup.toml").write_text("[waves]\nmonths = [12, 3]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(tmp_path, environ={})
    assert "'waves.months'" in str(err.value)
    assert "increasing" in str(err.value)
    assert str(tmp_path / "followup.toml") in str(err.value)


def test_an_unknown_setting_is_refused_not_ignored(tmp_path: Path) -> None:
    (tmp_path / "followup.toml").write_text('organisaton = "typo"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="'organisaton' is not a followup setting"):
        load_settings(tmp_path, environ={})


def test_a_bad_timezone_says_what_is_allowed(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="IANA time zone"):
        load_settings(tmp_path, environ={"FOLLOWUP_TIMEZONE": "Moscow"})


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    (tmp_path / "followup.toml").write_text('organisation = "Приют А"\n', encoding="utf-8")
    s = load_settings(tmp_path, environ={"FOLLOWUP_ORGANISATION": "Приют Б", "FOLLOWUP_WAVES__MONTHS": "[6, 12]"})
    assert s.organisation == "Приют Б"
    assert s.waves.months == [6, 12]


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "followup.toml").write_text("organisation = \n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(tmp_path, environ={})


def test_home_comes_from_argument_then_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOLLOWUP_HOME", str(tmp_path / "from-env"))
    assert resolve_home(None) == tmp_path / "from-env"
    assert resolve_home(tmp_path / "arg") == tmp_path / "arg"
    monkeypatch.delenv("FOLLOWUP_HOME")
    monkeypatch.chdir(tmp_path)
    assert resolve_home(None) == tmp_path / "followup-home"
