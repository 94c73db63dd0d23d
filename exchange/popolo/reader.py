"""Reading a Popolo document: every problem collected with the path where it is
(``popolo.json:memberships[3].start_date: …``)."""

from __future__ import annotations

from exchange.csv_format import RowError
from newsroom.dates import InvalidPartialDate, PartialDate
from stories.canonical import InvalidSourceURL, canonical_url

SLUG_CHARACTERS = set("abcdefghijklmnopqrstuvwxyz0123456789-")


class Invalid(Exception):
    pass


class Reader:
    """Checks a Popolo document, collecting every problem with the path where it is."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.errors: list[RowError] = []
        self.created = {"people": 0, "organizations": 0, "posts": 0}

    def refuse(self, where: str, message: str) -> None:
        self.errors.append(RowError(0, message, self.filename, where=where))

    def items(self, document: dict, key: str) -> list[tuple[str, dict]]:
        value = document.get(key, [])
        if not isinstance(value, list):
            self.refuse(key, "must be a list.")
            return []
        found = []
        for index, item in enumerate(value):
            where = f"{key}[{index}]"
            if isinstance(item, dict):
                found.append((where, item))
            else:
                self.refuse(where, "must be an object.")
        return found

    def text(self, item: dict, where: str, key: str, *, required: bool = True, limit=200) -> str:
        value = item.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.refuse(f"{where}.{key}", "must be text.")
            return ""
        value = " ".join(value.split())
        if required and not value:
            self.refuse(f"{where}.{key}", "is missing or empty.")
        elif len(value) > limit:
            self.refuse(f"{where}.{key}", f"is {len(value)} characters long; at most {limit} fit.")
        return value

    def slug(self, item: dict, where: str, prefix: str) -> str:
        value = self.text(item, where, "id")
        slug = value.removeprefix(f"{prefix}/")
        if value and (slug == value or not slug or not set(slug) <= SLUG_CHARACTERS):
            self.refuse(
                f"{where}.id",
                f"“{value}” is not an id of the form {prefix}/<slug> (lowercase ASCII letters, "
                "digits and hyphens).",
            )
            return ""
        return slug

    def date(self, item: dict, where: str, key: str) -> PartialDate | None:
        value = item.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.refuse(f"{where}.{key}", "must be a date written as text.")
            return None
        try:
            return PartialDate.parse(value)
        except InvalidPartialDate as invalid:
            self.refuse(f"{where}.{key}", str(invalid))
            return None

    def urls(self, item: dict, where: str) -> list[tuple[str, str]]:
        value = item.get("sources", [])
        if not isinstance(value, list):
            self.refuse(f"{where}.sources", "must be a list of URLs.")
            return []
        found = []
        for index, url in enumerate(value):
            if isinstance(url, dict):
                url = url.get("url")
            if not isinstance(url, str):
                self.refuse(f"{where}.sources[{index}]", "must be a URL.")
                continue
            try:
                found.append((url, canonical_url(url)))
            except InvalidSourceURL as invalid:
                self.refuse(f"{where}.sources[{index}]", invalid.message)
        return found
