import os
import subprocess
import sys

import pytest

from motcua.lib.env import EnvError, env_bool, env_int, parse_database_url


def run_check(**env):
    full = {**os.environ, **env}
    full.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run([sys.executable, "manage.py", "check"], capture_output=True, text=True, env=full,
                          timeout=120)


def test_production_refuses_debug_and_default_secret():
    result = run_check(MOTCUA_ENV="production", DEBUG="true")
    assert result.returncode != 0 and "DEBUG" in result.stderr
    result = run_check(MOTCUA_ENV="production", DEBUG="false", SECRET_KEY="")
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_malformed_values_name_the_variable():
    result = run_check(LOGIN_MAX_FAILURES="nhiều")
    assert result.returncode != 0 and "LOGIN_MAX_FAILURES" in result.stderr


def test_env_helpers(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(EnvError, match="X_FLAG"):
        env_bool("X_FLAG", False)
    monkeypatch.setenv("X_NUM", "0")
    with pytest.raises(EnvError, match="X_NUM"):
        env_int("X_NUM", 5, minimum=1)


def test_database_urls():
    assert parse_database_url("sqlite:///var/x.sqlite3")["NAME"] == "var/x.sqlite3"
    assert parse_database_url("sqlite:////tmp/x.sqlite3")["NAME"] == "/tmp/x.sqlite3"
    pg = parse_database_url("postgres://u:p%40ss@db.local:5433/motcua")
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == ("u", "p@ss", "db.local", "5433",
                                                                               "motcua")
    with pytest.raises(EnvError, match="DATABASE_URL"):
        parse_database_url("mysql://x/y")
