"""The Japanese edition in Chromium (issue 17): a reader switches an article to Japanese and
lands on the same article; a journalist records a move with the desk in Japanese; axe-core
on Japanese pages. Screenshots of both flows go to test-artifacts/.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from newsroom.tests.browser.support import (
    ARTIFACTS,
    AXE_SCRIPT,
    PASSWORD,
    PLAYWRIGHT_MISSING,
    missing,
)
from newsroom.tests.browser.test_browser import axe_violations
from people.models import RoleChange
from people.services import organization_create
from people.tests.factories import editor, journalist
from stories.models import Citation, Story

try:
    from playwright.sync_api import expect
except ImportError:
    missing(PLAYWRIGHT_MISSING)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SOURCE_URL = "https://acme.example/ja/news/grace-hopper"


def sign_in_in_japanese(page, user, *, then: str) -> None:
    """Sign in through the Japanese form (Django's own Japanese labels)."""
    page.goto(f"/ja/accounts/login/?next={then}")
    page.get_by_label("ユーザー名").fill(user.username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.get_by_role("button", name=f"ログアウト（{user.username}）").wait_for()


def test_a_reader_switches_an_article_to_japanese_and_lands_on_the_same_article(new_page):
    ARTIFACTS.mkdir(exist_ok=True)
    call_command("load_demo_desk", verbosity=0)
    english = Story.objects.published().get(language="en")
    japanese = Story.objects.published().get(language="ja")
    url = english.get_absolute_url()

    reader = new_page(name="reader")
    reader.goto(url)
    expect(reader.locator("html")).to_have_attribute("lang", "en")
    reader.get_by_role("link", name="日本語").click()

    # The same article, with the site around it in Japanese.
    expect(reader).to_have_url(re.compile(rf"/ja{re.escape(url)}$"))
    expect(reader.locator("html")).to_have_attribute("lang", "ja")
    expect(reader.get_by_role("heading", level=1)).to_have_text(english.title)
    expect(reader.locator("#sources-heading")).to_have_text("情報源")
    expect(reader.get_by_role("link", name="English")).to_have_attribute("href", url)
    reader.screenshot(path=ARTIFACTS / "article-switched-to-japanese.png", full_page=True)

    # And from there to the story written in Japanese.
    reader.get_by_role("link", name="この記事は日本語版もあります").click()
    expect(reader).to_have_url(re.compile(rf"/ja/stories/{japanese.slug}/$"))
    expect(reader.get_by_role("heading", level=1)).to_have_text(japanese.title)
    expect(reader.get_by_role("link", name="この記事は英語版もあります")).to_be_visible()
    reader.screenshot(path=ARTIFACTS / "article-in-japanese.png", full_page=True)
    assert (ARTIFACTS / "article-in-japanese.png").stat().st_size > 0


def test_a_journalist_records_a_move_with_the_desk_in_japanese(new_page):
    ARTIFACTS.mkdir(exist_ok=True)
    organization_create(name="Acme Robotics")
    writer = journalist(username="jo")

    desk = new_page(name="journalist")
    sign_in_in_japanese(desk, writer, then="/ja/desk/")
    expect(desk).to_have_url(re.compile(r"/ja/desk/$"))
    desk.get_by_role("link", name="人事異動を記録").click()
    expect(desk).to_have_url(re.compile(r"/ja/desk/moves/new/$"))
    desk.wait_for_load_state()

    desk.get_by_label("組織", exact=True).press_sequentially("Acme")
    organizations = desk.locator("#organization-options")
    expect(organizations).to_contain_text("「Acme」はどの組織ですか？")
    organizations.get_by_label("Acme Robotics").check()
    desk.get_by_label("人物", exact=True).press_sequentially("Grace Hopper")
    people = desk.locator("#person-options")
    expect(people).to_contain_text("「Grace Hopper」はどの人物ですか？")
    people.get_by_label("新しい人物：「Grace Hopper」").check()
    desk.get_by_label("何があったか").select_option("joined")
    desk.get_by_label(re.compile(r"^役職名")).fill("Chief Technology Officer")
    desk.get_by_label("発効日").fill("2024-09")
    desk.get_by_label("情報源のURL").press_sequentially(SOURCE_URL)
    expect(desk.locator("#source-preview")).to_contain_text("次のアドレスで保存されます")
    desk.get_by_label("情報源の題名").fill("Acme Robotics のCTOにグレース・ホッパー氏")
    desk.get_by_label(re.compile(r"^引用[:：]?$")).fill("グレース・ホッパー氏がCTOに就任した。")
    desk.screenshot(path=ARTIFACTS / "desk-record-move-japanese.png", full_page=True)
    desk.get_by_role("button", name="人事異動を記録する").click()

    expect(desk.locator(".messages")).to_contain_text(
        "人事異動を記録しました。引用は編集者の確認を待っています。"
    )
    move = RoleChange.objects.get(person__name="Grace Hopper")
    expect(desk).to_have_url(re.compile(rf"/ja/desk/moves/{move.pk}/$"))
    # The month stays a month, in Japanese.
    expect(desk.locator("dl.facts")).to_contain_text("2024年9月")
    expect(desk.locator("dl.facts")).not_to_contain_text("2024年9月1日")
    assert Citation.objects.filter(source__canonical_url=SOURCE_URL).exists()
    desk.screenshot(path=ARTIFACTS / "desk-move-recorded-japanese.png", full_page=True)


def test_japanese_pages_have_no_serious_accessibility_violations(new_page):
    if not AXE_SCRIPT.exists():
        missing(f"axe-core is not installed at {AXE_SCRIPT}: run `make browser-deps`")
    call_command("load_demo_desk", verbosity=0)
    japanese = Story.objects.published().get(language="ja")
    english = Story.objects.published().get(language="en")
    pending = Citation.objects.pending().order_by("pk").first()
    reader_pages = [
        "/ja/",
        "/ja/stories/",
        f"/ja/stories/{japanese.slug}/",
        f"/ja/stories/{english.slug}/",
        "/ja/people/?q=ミラ",
        "/ja/people/mira-murati/",
        "/ja/organizations/openai/",
        "/ja/accounts/login/",
        "/ja/corrections/",
    ]
    desk_pages = [
        "/ja/desk/",
        "/ja/desk/verify/",
        f"/ja/desk/citations/{pending.pk}/",
        "/ja/desk/moves/new/",
        "/ja/desk/review/",
        "/ja/desk/stories/new/",
    ]
    found = {}
    reader = new_page(name="reader")
    for url in reader_pages:
        assert reader.goto(url).status == 200, url
        found[url] = axe_violations(reader)
    desk = new_page(name="editor")
    sign_in_in_japanese(desk, editor(username="ed"), then="/ja/desk/")
    for url in desk_pages:
        assert desk.goto(url).status == 200, url
        found[url] = axe_violations(desk)
    report = [f"{page}: {line}" for page, lines in found.items() for line in lines]
    assert not report, "axe-core found:\n" + "\n".join(report)
