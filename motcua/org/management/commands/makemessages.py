"""Django's makemessages, also extracting `_l("…")`: several modules import `gettext_lazy as _l`
(next to `gettext as _`), and xgettext does not know that name unless told."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_l"]
