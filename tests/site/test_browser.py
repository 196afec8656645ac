"""Acceptance: the real pipeline builds the site for botocore 1.17.40..1.17.45 and a real headless
Chromium reads it over HTTP on loopback (pages, permalink, search, feed)."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from botocontract.site.builder import build_site
from tests.site.test_builder import ATOM, assert_atom_feed

pytestmark = [pytest.mark.network, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "site.png"


def _browser_missing() -> str | None:
    if not Path(CHROMIUM).exists() or not Path(CHROMEDRIVER).exists():
        return (
            "Debian chromium and chromium-driver are not installed "
            "(apt-get install -y chromium chromium-driver)"
        )
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install selenium)"
    return None


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = build_site(from_version="1.17.40", to_version="1.17.45", out=out)
    assert result.releases == ["1.17.45", "1.17.44", "1.17.43", "1.17.42", "1.17.41"]
    again = build_site(from_version="1.17.40", to_version="1.17.45", out=out)
    assert again.pages_written == [] and again.diffs_computed == 0
    assert sorted(again.pages_unchanged) == sorted(result.pages_written)
    return out


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    reason = _browser_missing()
    if reason:
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    # Belt and braces: the driver and browser are given, so Selenium Manager has nothing to fetch.
    os.environ.setdefault("SE_OFFLINE", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1600",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    browser.set_page_load_timeout(30)
    try:
        yield browser
    finally:
        browser.quit()


def test_sagemaker_page_shows_the_five_methods_and_auc(driver, server: str, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    driver.get(server + "index.html")
    link = driver.find_element(By.CSS_SELECTOR, 'a[href="1.17.43/sagemaker.html"]')
    assert link.text == "Amazon SageMaker Service"
    link.click()
    assert driver.current_url.endswith("/1.17.43/sagemaker.html")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Amazon SageMaker Service"
    assert "2020/08/14" in driver.find_element(By.CSS_SELECTOR, "p.summary").text
    sections = driver.find_elements(By.CSS_SELECTOR, "section.op")
    assert [s.get_attribute("id") for s in sections] == [
        "CreateAutoMLJob",
        "CreateModel",
        "DescribeAutoMLJob",
        "DescribeModel",
        "ListCandidatesForAutoMLJob",
    ]
    auto_ml = driver.find_element(By.ID, "CreateAutoMLJob")
    deltas = [p.text for p in auto_ml.find_elements(By.CSS_SELECTOR, "pre.delta")]
    assert deltas == ["{'AutoMLJobObjective': {'MetricName': {'AUC'}}}"]
    # The syntax is folded: present, hidden until the reader opens it.
    details = auto_ml.find_element(By.TAG_NAME, "details")
    syntax = details.find_element(By.CSS_SELECTOR, "pre.syntax")
    assert not syntax.is_displayed()
    details.find_element(By.TAG_NAME, "summary").click()
    assert syntax.is_displayed() and "client.create_auto_ml_job(" in syntax.text
    shot = tmp_path / "sagemaker.png"
    driver.get(server + "1.17.43/sagemaker.html")
    assert driver.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    DOCS_SCREENSHOT.parent.mkdir(exist_ok=True)
    shutil.copyfile(shot, DOCS_SCREENSHOT)


def test_permalink_targets_its_operation(driver, server: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(server + "1.17.43/sagemaker.html")
    permalink = driver.find_element(By.CSS_SELECTOR, "#CreateModel a.permalink")
    href = permalink.get_attribute("href")
    assert href == server + "1.17.43/sagemaker.html#CreateModel"
    driver.get("about:blank")
    driver.get(href)
    target = driver.execute_script("var t = document.querySelector(':target'); return t && t.id")
    assert target == "CreateModel"
    top = driver.execute_script("return document.getElementById('CreateModel').getBoundingClientRect().top")
    assert 0 <= top < 200


def test_light_and_dark_follow_the_reader(driver, server: str, tmp_path: Path) -> None:
    background = "return getComputedStyle(document.body).backgroundColor"
    colors = {}
    for scheme in ("light", "dark"):
        driver.execute_cdp_cmd(
            "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]}
        )
        driver.get(server + "1.17.43/sagemaker.html")
        colors[scheme] = driver.execute_script(background)
        assert driver.save_screenshot(str(tmp_path / f"sagemaker-{scheme}.png"))
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    assert colors["light"] == "rgb(255, 255, 255)"
    assert colors["dark"] == "rgb(13, 17, 23)"


def test_breaking_only_filter_needs_no_script(driver, server: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(server + "1.17.43/ec2.html")
    findings = driver.find_elements(By.CSS_SELECTOR, "tr.finding")
    assert findings
    driver.find_element(By.CSS_SELECTOR, "label[for=only-breaking]").click()
    for row in findings:
        assert row.is_displayed() == ("breaking" in row.get_attribute("class").split())


def test_search_finds_create_model(driver, server: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(server + "index.html")
    box = driver.find_element(By.ID, "q")
    box.send_keys("CreateModel")
    box.submit()
    WebDriverWait(driver, 10).until(ec.text_to_be_present_in_element((By.ID, "search-status"), "result"))
    hits = driver.find_elements(By.CSS_SELECTOR, "#search-results a")
    hrefs = [h.get_attribute("href") for h in hits]
    assert server + "1.17.43/sagemaker.html#CreateModel" in hrefs
    assert all("createmodel" in h.text.lower() for h in hits)
    next(h for h in hits if h.get_attribute("href").endswith("1.17.43/sagemaker.html#CreateModel")).click()
    assert driver.execute_script("return document.querySelector(':target').id") == "CreateModel"


def test_feeds_are_atom(site: Path) -> None:
    feeds = [site / "feed.xml", *sorted((site / "services").glob("*.xml"))]
    assert len(feeds) > 5
    for path in feeds:
        root = ET.parse(path).getroot()
        assert root.tag == f"{ATOM}feed", path
        assert_atom_feed(root)
    root = ET.parse(site / "services" / "sagemaker.xml").getroot()
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert any("1.17.43" in t and "5 updated" in t for t in titles)
