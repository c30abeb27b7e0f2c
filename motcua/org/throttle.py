"""Login throttling: too many failures for one user name or from one address lock sign-in for a while."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from motcua.org.models import LoginFailure


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def is_locked(username: str, ip: str | None) -> bool:
    condition = Q(username__iexact=username)
    if ip:
        condition |= Q(ip=ip)
    recent = LoginFailure.objects.filter(condition, at__gte=_window_start())
    by_name = recent.filter(username__iexact=username).count()
    by_ip = recent.filter(ip=ip).count() if ip else 0
    # An address is allowed more failures than a single name: a one-stop desk shares one IP.
    return by_name >= settings.LOGIN_MAX_FAILURES or by_ip >= settings.LOGIN_MAX_FAILURES * 4


def record_failure(username: str, ip: str | None) -> None:
    LoginFailure.objects.create(username=username[:150], ip=ip)


def clear_failures(username: str) -> None:
    LoginFailure.objects.filter(username__iexact=username).delete()
