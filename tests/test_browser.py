"""A reader's path through the site in a real Chromium, served by gunicorn."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.processes import gunicorn

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def server(shipped):
    """The app under gunicorn (two workers), as in production, on a free local port."""
    try:
        with gunicorn(shipped) as base:
            yield base
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run must install it (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def test_reader_searches_in_lay_words_and_lands_on_the_section(server, page):
    page.goto(server + "/")
    page.fill("#q", "eyelid twitching on one side of the face")
    page.press("#q", "Enter")
    page.wait_for_url("**/search?q=*")
    first = page.locator("li.result").first
    assert first.locator(".result-title").inner_text() == "Hemifacial spasm"
    assert "<mark>" not in first.inner_text()  # marks are rendered as highlighting, not shown as text
    assert first.locator("mark").count() > 0
    first.locator("a.section-link").first.click()
    page.wait_for_url("**/articles/hemifacial-spasm?q=*#*")
    anchor = page.url.split("#", 1)[1]
    heading = page.locator(f"[id='{anchor}']")
    assert heading.is_visible()
    box = heading.bounding_box()
    assert box is not None and 0 <= box["y"] < 900, "the linked section is scrolled into view"


def test_skip_link_is_the_first_stop_for_keyboard_users(server, page):
    page.goto(server + "/search?q=asthma")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")


@pytest.mark.parametrize("path", ["/", "/search?q=itchy+rash+in+babies", "/articles/type-2-diabetes",
                                  "/articles/no-such-article"])
def test_no_horizontal_scrolling_on_a_phone(server, browser, path):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(server + path)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    context.close()
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360px"


def test_search_works_without_javascript(server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "/")
    page.fill("#q", "heartburn after meals")
    page.press("#q", "Enter")
    page.wait_for_url("**/search?q=*")
    titles = page.locator(".result-title").all_inner_texts()
    context.close()
    assert titles and titles[0].startswith("GERD")


def test_a_description_typed_on_the_home_page_shows_removable_chips_without_javascript(server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "/")
    page.fill("#q", "For two weeks I have had a burning feeling in my chest after meals and a sour taste "
                    "in my mouth. I don't have a fever.")
    page.press("#q", "Enter")
    page.wait_for_url("**/search?q=*")
    chips = page.locator(".chips .chip")
    assert chips.count() == 3
    assert "not:" in chips.nth(2).inner_text()  # the negated sign is shown as such
    assert page.locator(".result-title").first.inner_text().startswith("GERD")
    page.locator(".chip-remove").nth(1).click()  # a plain link: no script needed
    page.wait_for_url("**drop=*")
    assert page.locator(".chips .chip").count() == 2
    assert "sour taste" not in page.locator(".chips").inner_text()
    page.locator(".understood-restore a").click()
    assert page.locator(".chips .chip").count() == 3
    context.close()


def test_a_description_on_the_symptoms_page_explains_each_condition(server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "/symptoms")
    page.fill("#symptom-q", "I keep getting pins and needles in my hand at night and my grip feels weak")
    page.click(".symptom-form button[type=submit]")
    page.wait_for_url("**/symptoms?q=*")
    first = page.locator("li.condition").first
    assert first.locator(".result-title").inner_text() == "Carpal Tunnel Syndrome"
    assert "matches 2 of your 2 symptoms" in first.inner_text()
    assert first.locator(".evidence li.covered").count() == 2
    page.locator(".chip-remove").first.click()
    page.wait_for_url("**drop=*")
    assert page.locator(".chips .chip").count() == 1
    assert "matches 1 of your 1 symptom" in page.locator("li.condition").first.inner_text()
    context.close()


# -- accessibility, keyboard, hostile pages, layout ---------------------------------------

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-results" / "screenshots"  # ignored by git; for a person to look at

AXE_PAGES = {
    "home": "/",
    "results": "/search?q=eyelid+twitching+on+one+side+of+the+face",
    "results-level": "/search?q=migraine&level=easy",
    "answer": "/search?q=what+causes+kidney+stones",
    "article": "/articles/hemifacial-spasm?q=twitching",
    "no-results": "/search?q=zzqx+blorf",
    "symptoms": "/symptoms?q=eyelid+twitching%2C+one+side+of+the+face",
    "description": "/search?q=For+two+weeks+I+have+had+a+burning+feeling+in+my+chest+after+meals.+No+fever.",
    "symptoms-story": "/symptoms?q=I+keep+getting+pins+and+needles+in+my+hand+at+night+and+my+grip+feels+weak",
    "urgent": "/search?q=crushing+chest+pain",
    "kind": "/kinds/treatment",
    "error-404": "/articles/no-such-article",
    "error-400": "/search?q=x&kind=astrology",
    "admin-off": "/admin/",
}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        if os.environ.get("CI"):
            pytest.fail("axe-core is not installed; `make test` installs it with npm")
        pytest.skip("axe-core is not installed (npm install)")
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", list(AXE_PAGES))
def test_axe_finds_no_violations(server, browser, axe_source, name):
    # axe is injected as an inline script, which our own CSP forbids: bypass it for the check only.
    for width in (1440, 360):
        context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
        page = context.new_page()
        page.goto(server + AXE_PAGES[name])
        page.add_script_tag(content=axe_source)
        result = page.evaluate("async () => await axe.run(document)")
        if width == 1440 and name in ("home", "results", "article", "symptoms", "description", "symptoms-story"):
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        context.close()
        problems = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
                    for v in result["violations"]]
        assert problems == [], f"{name} at {width}px: " + "; ".join(problems)


def test_keyboard_only_search_with_autocomplete(server, page):
    page.goto(server + "/")
    box = page.locator("#q")
    assert box.get_attribute("role") == "combobox" and box.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # the site nav or the search box
    while page.evaluate("document.activeElement.id") != "q":
        page.keyboard.press("Tab")
    page.keyboard.type("hemif")
    listbox = page.locator("#" + box.get_attribute("aria-controls"))
    listbox.wait_for(state="visible")
    assert box.get_attribute("aria-expanded") == "true"
    assert "Hemifacial spasm" in listbox.inner_text()
    page.keyboard.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    assert active and page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    page.keyboard.press("ArrowDown")
    listbox.wait_for(state="visible")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/articles/hemifacial-spasm*")


HOSTILE_PAGE = """<!doctype html><html lang="en"><head>
<title>&lt;script&gt;alert('title')&lt;/script&gt; Zebra nail syndrome</title>
<link rel="canonical" href="javascript:alert('canonical')">
<meta property="og:image" content="http://trap.invalid/og.png">
<script>alert('head')</script><style>body{background:url(http://trap.invalid/bg.png)}</style></head>
<body><article>
<h1>Zebra nail syndrome &lt;img src=x onerror=alert('h1')&gt;</h1>
<h2>Overview <img src="http://trap.invalid/h2.png" onerror="alert('h2')"></h2>
<p>Zebra nail syndrome is invented to test escaping: &lt;script&gt;alert("text")&lt;/script&gt; stays text.
<a href="javascript:alert('link')">a javascript link</a>, <a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">a data link</a>,
<iframe src="http://trap.invalid/frame"></iframe><svg onload="alert('svg')"><circle r="2"/></svg>
<object data="http://trap.invalid/object"></object></p>
<h2>Symptoms <span onmouseover="alert('span')">of zebra nails</span></h2>
<p>Striped fingernails <img src="x" onerror="alert('attribute')"> and a craving for quinces.</p>
<h2>Treatment</h2><p>Rest and quince jelly. <a href="http://trap.invalid/more" onclick="alert('click')">More</a></p>
</article></body></html>"""


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    from indexer.build import build_index
    from kb.config import Settings

    root = tmp_path_factory.mktemp("hostile")
    (root / "corpus" / "site").mkdir(parents=True)
    (root / "corpus" / "site" / "zebra-nail-syndrome.html").write_text(HOSTILE_PAGE, encoding="utf-8")
    settings = Settings(corpus=root / "corpus", data=root / "data")
    build_index(settings)
    try:
        with gunicorn(settings, workers=1) as base:
            yield base
    except RuntimeError as exc:
        pytest.fail(str(exc))


def test_a_hostile_page_runs_nothing_and_fetches_nothing(hostile_server, page):
    dialogs, trap_requests = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: trap_requests.append(request.url) if "trap.invalid" in request.url else None)
    for path in ["/search?q=zebra+nail+syndrome", "/articles/zebra-nail-syndrome?q=zebra",
                 "/symptoms?q=striped+fingernails", "/"]:
        page.goto(hostile_server + path)
        page.wait_for_load_state("networkidle")
        for link in page.locator("main a").all():
            if link.is_visible():
                link.hover(timeout=2000)
    page.goto(hostile_server + "/articles/zebra-nail-syndrome")
    heading = page.locator("h1").inner_text()
    body = page.locator("main").inner_text()
    assert dialogs == [] and trap_requests == []
    # The title is hostile text either way (from <title> or <h1>): it is shown, not run.
    assert "<script>alert('title')</script>" in heading or "<img src=x onerror=alert('h1')>" in heading
    assert '<script>alert("text")</script>' in body
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:", "vbscript:"))]
    assert page.locator("iframe, object, svg, img").count() == 0


@pytest.mark.parametrize("width", [360, 1440])
def test_pages_fit_the_screen(server, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    for path in ["/symptoms?q=eyelid+twitching%2C+worse+when+tired", "/search?q=what+causes+kidney+stones",
                 "/kinds/symptoms", "/search?q=pain&page=2"]:
        page.goto(server + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
    if width == 360:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.goto(server + "/search?q=eyelid+twitching")
        page.screenshot(path=str(SCREENSHOTS / "results-360.png"), full_page=True)
    context.close()
