"""Django's makemessages, without fuzzy matching: a new message starts untranslated instead
of borrowing a neighbour's translation (which msgfmt would then leave out, silently), so
the catalogue completeness test (newsroom/tests/test_japanese_pages.py) sees it."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
