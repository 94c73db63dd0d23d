"""The two editions: English at the site's root, Japanese under ``/ja/``.

Reader and desk pages are the same views in both languages (newsroom/urls.py wraps them in
``i18n_patterns`` without a prefix for English), so a page's twin in the other language is
its path with ``/ja`` added or taken away. The API, feeds' documents, the sitemap and the
admin stay at one address each.

The compiled catalogues (``locale/*/LC_MESSAGES/django.mo``) are not committed: ``make`` builds
them with GNU gettext's ``msgfmt`` (the Makefile's ``compilemessages``), and the test suite
builds any that are missing or older than their ``.po`` before it starts (conftest.py).
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language

INSTALL_GETTEXT = "GNU gettext's msgfmt is missing: apt-get install -y gettext"


@dataclass(frozen=True, slots=True)
class Edition:
    code: str
    name: str  # in its own language: "English", "日本語"
    path: str  # this page's path (and query) in that language
    current: bool


def path_in(language: str, full_path: str) -> str:
    """``full_path`` (a path with its query) as it reads in ``language``."""
    default = settings.LANGUAGE_CODE
    bare = full_path
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if code != default and (full_path.startswith(prefix) or full_path == prefix[:-1]):
            bare = "/" + full_path[len(prefix) :]
            break
    if language == default:
        return bare
    return f"/{language}{bare}"


def editions(request: HttpRequest) -> list[Edition]:
    """This page in every language of the site, the current one marked (kept on the request:
    the head's alternates and the header's switcher both ask)."""
    cached = getattr(request, "_newsroom_editions", None)
    if cached is not None:
        return cached
    current = get_language() or settings.LANGUAGE_CODE
    full_path = request.get_full_path()
    result = [
        Edition(code, str(name), path_in(code, full_path), code == current)
        for code, name in settings.LANGUAGES
    ]
    request._newsroom_editions = result  # type: ignore[attr-defined]
    return result


def compile_catalogues(base: Path | None = None) -> list[Path]:
    """Compile every ``.po`` under ``locale/`` whose ``.mo`` is missing or older; returns
    those compiled. Raises ``RuntimeError`` (saying how to install it) without msgfmt."""
    base = base or Path(settings.BASE_DIR)
    stale = []
    for po in sorted((base / "locale").glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            stale.append((po, mo))
    if not stale:
        return []
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        raise RuntimeError(INSTALL_GETTEXT)
    for po, mo in stale:
        subprocess.run([msgfmt, "--check", "-o", str(mo), str(po)], check=True)  # noqa: S603
    return [mo for _po, mo in stale]
