""" "Nghe đọc bài": the browser's own speech reads an article where it has a Vietnamese voice.

The browser's speech is replaced by a stand-in that records what it is asked to do, with the
voices each test gives it (headless Chromium has none of its own)."""

import json

import pytest
from playwright.sync_api import expect
from test_accessibility import violations

pytestmark = pytest.mark.browser

VIETNAMESE = {"name": "Tiếng Việt", "lang": "vi-VN"}
ENGLISH = {"name": "English", "lang": "en-US"}

SPEECH = """(voices, dropsOnPause) => {
  const said = [];
  const spoken = [];
  let changed = () => {};
  window.__speech = {
    said, spoken,
    setVoices(list) { voices = list; changed(); },
    // The engine starts a passage, or finishes the last one.
    start(index) { spoken[index].fire("start"); },
    finish() { spoken[spoken.length - 1].fire("end"); speech.speaking = false; },
  };
  class Utterance {
    constructor(text) { this.text = text; this.handlers = {}; }
    addEventListener(name, handler) { this.handlers[name] = handler; }
    fire(name) { (this.handlers[name] || (() => {}))(); }
  }
  const speech = {
    speaking: false,
    getVoices: () => voices.slice(),
    speak(utterance) {
      spoken.push(utterance);
      said.push(["speak", utterance.lang, utterance.text]);
      speech.speaking = true;
    },
    pause() { said.push(["pause"]); if (dropsOnPause) speech.speaking = false; },
    resume() { said.push(["resume"]); },
    cancel() { said.push(["cancel"]); speech.speaking = false; },
    addEventListener(name, handler) { if (name === "voiceschanged") changed = handler; },
  };
  Object.defineProperty(window, "speechSynthesis", { value: speech, configurable: true });
  window.SpeechSynthesisUtterance = Utterance;
}"""


def article_path(live_server) -> str:
    from models import Article, db

    with live_server.app_context():
        statement = Article.visible().where(Article.summary != "").limit(1)
        article = db.session.scalars(statement).one()
        return f"/tin/{article.slug}-{article.id}"


def open_article(live_server, page, voices: list[dict], drops_on_pause: bool = False) -> None:
    stand_in = f"({SPEECH})({json.dumps(voices)}, {json.dumps(drops_on_pause)})"
    page.add_init_script(stand_in)
    page.goto(live_server.url + article_path(live_server))


def said(page) -> list[list[str]]:
    return page.evaluate("window.__speech.said")


def test_a_vietnamese_voice_reads_the_article_with_pause_and_resume(live_server, phone):
    open_article(live_server, phone, [ENGLISH, VIETNAMESE])
    listen = phone.get_by_role("button", name="Nghe đọc bài")
    expect(listen).to_be_visible()
    expect(phone.get_by_role("button", name="Dừng đọc")).to_be_hidden()

    listen.click()
    spoken = [entry for entry in said(phone) if entry[0] == "speak"]
    title = phone.locator("article.detail h1").inner_text()
    summary = phone.locator("article.detail .summary").inner_text()
    assert [entry[1] for entry in spoken] == ["vi-VN"] * len(spoken)
    assert [entry[2] for entry in spoken[:2]] == [title, summary]
    body = phone.locator("article.detail .body").inner_text()
    assert len(spoken) > 3 and all(entry[2] in " ".join(body.split()) for entry in spoken[2:])

    phone.get_by_role("button", name="Tạm dừng").click()
    assert said(phone)[-1] == ["pause"]
    phone.get_by_role("button", name="Đọc tiếp").click()
    assert said(phone)[-1] == ["resume"]
    expect(phone.get_by_role("button", name="Tạm dừng")).to_be_visible()

    # The end of the last passage brings the first button back.
    phone.evaluate("window.__speech.finish()")
    expect(phone.get_by_role("button", name="Nghe đọc bài")).to_be_visible()

    phone.get_by_role("button", name="Nghe đọc bài").click()
    phone.get_by_role("button", name="Dừng đọc").click()
    assert said(phone)[-1] == ["cancel"]
    expect(phone.get_by_role("button", name="Nghe đọc bài")).to_be_visible()
    expect(phone.get_by_role("button", name="Dừng đọc")).to_be_hidden()


def test_an_engine_that_drops_its_queue_on_pause_resumes_at_the_interrupted_passage(
    live_server, phone
):
    open_article(live_server, phone, [VIETNAMESE], drops_on_pause=True)
    phone.get_by_role("button", name="Nghe đọc bài").click()
    spoken = [entry[2] for entry in said(phone) if entry[0] == "speak"]
    phone.evaluate("window.__speech.start(2)")  # the first passage of the body
    phone.get_by_role("button", name="Tạm dừng").click()
    phone.get_by_role("button", name="Đọc tiếp").click()
    expect(phone.get_by_role("button", name="Tạm dừng")).to_be_visible()
    phone.wait_for_function("count => window.__speech.said.length > count", arg=len(spoken) + 3)
    again = said(phone)[len(spoken) + 3 :]
    assert again[0] == ["cancel"]
    assert [entry[2] for entry in again[1:]] == spoken[2:]


def test_no_button_without_a_vietnamese_voice(live_server, phone):
    open_article(live_server, phone, [ENGLISH])
    phone.evaluate("list => window.__speech.setVoices(list)", [ENGLISH])
    expect(phone.locator("article.detail h1")).to_be_visible()
    assert phone.locator(".listen").count() == 0
    assert said(phone) == []


@pytest.mark.parametrize("touch", [True, False], ids=["touch", "mouse"])
def test_the_button_comes_when_the_voices_arrive_and_nothing_moves(live_server, browser, touch):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, has_touch=touch, is_mobile=touch
    )
    page = context.new_page()
    open_article(live_server, page, [])
    summary = page.locator("article.detail .summary")
    before = summary.bounding_box()["y"]
    assert page.locator(".listen").count() == 0

    page.evaluate("list => window.__speech.setVoices(list)", [VIETNAMESE])
    expect(page.get_by_role("button", name="Nghe đọc bài")).to_be_visible()
    assert summary.bounding_box()["y"] == before
    button = page.get_by_role("button", name="Nghe đọc bài").bounding_box()
    assert button["height"] >= (44 if touch else 24)
    assert violations(page) == []
    context.close()


def test_without_javascript_the_article_is_unchanged(live_server, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(live_server.url + article_path(live_server))
    expect(page.locator("article.detail h1")).to_be_visible()
    assert page.locator(".listen, button").count() == page.locator("header button").count()
    context.close()


def test_only_article_pages_load_the_script(live_server, desktop):
    scripts = []
    desktop.on(
        "request", lambda request: scripts.append(request.url) if "listen" in request.url else None
    )
    desktop.goto(live_server.url + "/")
    assert not [url for url in scripts if "listen" in url]
    desktop.goto(live_server.url + article_path(live_server))
    assert len([url for url in scripts if "listen" in url]) == 1
    assert desktop.locator("script[src*=listen]").get_attribute("defer") is not None
