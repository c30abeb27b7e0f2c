"""The site's error pages (wired as `handler404` in motcua/urls.py)."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponseNotFound
from django.template import loader

# Django's own messages (get_object_or_404, generic views) are English and name a model: never shown.
_DJANGO_GENERIC = re.compile(r"^No .* (matches the given query|found matching the query)\.?$|^Invalid page", re.S)


def reason_of(exception: Exception | None) -> str:
    """The view's own reason for the 404 (a Vietnamese sentence), or '' for a resolver miss or one of Django's
    generic English messages."""
    if exception is None or not exception.args:
        return ""
    message = exception.args[0]
    if not isinstance(message, str) or _DJANGO_GENERIC.match(message):
        return ""
    return message


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponseNotFound:
    template = loader.get_template("404.html")
    return HttpResponseNotFound(template.render({"reason": reason_of(exception), "request_path": request.path},
                                                request))
