"""Small typed readers for environment variables.

A malformed value stops start-up with a message naming the variable, so a typo in
production never silently falls back to a development default.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qsl, unquote, urlsplit


class EnvError(Exception):
    """A configuration value in the environment cannot be used."""


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise EnvError(f"Biến môi trường {name}={raw!r} không hợp lệ: cần true/false (1/0).")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise EnvError(f"Biến môi trường {name}={raw!r} không hợp lệ: cần một số nguyên.") from None
    if minimum is not None and value < minimum:
        raise EnvError(f"Biến môi trường {name}={raw!r} không hợp lệ: phải ≥ {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def parse_database_url(url: str, *, name: str = "DATABASE_URL") -> dict:
    """Turn `sqlite:///path` or `postgres://user:pass@host:port/db` into a Django DATABASES entry."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        # sqlite:///relative/path and sqlite:////absolute/path: drop the separator slash.
        if path.startswith("/"):
            path = path[1:]
        if not path:
            raise EnvError(f"Biến môi trường {name}={url!r} không hợp lệ: thiếu đường dẫn tệp SQLite.")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path}
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        db_name = unquote(parts.path.lstrip("/"))
        if not db_name:
            raise EnvError(f"Biến môi trường {name}={url!r} không hợp lệ: thiếu tên cơ sở dữ liệu.")
        options = dict(parse_qsl(parts.query))
        try:
            port = parts.port
        except ValueError:
            raise EnvError(f"Biến môi trường {name}={url!r} không hợp lệ: cổng không đúng.") from None
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": db_name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "OPTIONS": options,
        }
    raise EnvError(
        f"Biến môi trường {name}={url!r} không hợp lệ: chỉ hỗ trợ sqlite:/// hoặc postgres://."
    )
