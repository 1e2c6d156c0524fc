"""The web pages in a real browser: headless Chromium (Debian's package, `make browser`) through selenium.

A person opens the home page, goes to the headline saved query, fills in its form and sends it; the
browser must show the store's counts and exactly the provinces the saved query finds, log no console
error, and leave a screenshot of every page under the test's tmp dir. A machine without Chromium fails
here with the command that installs it: this test never skips.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait
from selenium.webdriver.support.ui import Select

from browser_helpers import console_errors
from hckg.queries.running import run_saved
from hckg.reports.stats import summarise

SHOWN_CLASSES = ("Province", "Topsector", "SocietalChallenge", "LearningCommunity", "Organisation", "Action", "Target")


def column(driver: webdriver.Chrome, index: int) -> list[str]:
    table = driver.find_element(By.CSS_SELECTOR, "main table")
    return [row.find_elements(By.TAG_NAME, "td")[index].text for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")]


def test_the_home_page_shows_the_stores_counts(browser, server, store, tmp_path: Path):
    browser.get(server.url + "/")
    browser.save_screenshot(str(tmp_path / "home.png"))
    summary = summarise(store)
    assert browser.title == "Roadmap Human Capital as a knowledge graph · HCKG"
    assert f"{summary.triples} triples in {len(summary.graphs)} named graphs." in browser.find_element(By.TAG_NAME, "main").text
    shown = dict(zip(column(browser, 0), map(int, column(browser, 1))))
    assert shown == {f"hckg:{name}": summary.count(f"https://w3id.org/hckg/def#{name}") for name in SHOWN_CLASSES}
    assert console_errors(browser) == []


def test_the_headline_form_sent_from_the_browser_shows_exactly_the_lacking_provinces(
        browser, server, store, settings, tmp_path: Path):
    expected = [row["regionLabel"].value for row in run_saved(
        store, settings.queries_dir, "regions-lacking-community", {"challenge": ["Gezondheid & Zorg"], "type": ["CoE"]})]
    browser.get(server.url + "/")
    browser.find_element(By.CSS_SELECTOR, "a[href='/queries/regions-lacking-community']").click()
    assert browser.current_url == server.url + "/queries/regions-lacking-community"
    assert browser.find_elements(By.XPATH, "//h2[text()='Answer']") == []
    Select(browser.find_element(By.ID, "challenge")).select_by_visible_text("Gezondheid & Zorg")
    Select(browser.find_element(By.ID, "type")).select_by_visible_text("Centre of Expertise")
    browser.save_screenshot(str(tmp_path / "form.png"))
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    # A click does not wait for the navigation it starts: wait for the answer page itself.
    WebDriverWait(browser, 30).until(expected_conditions.presence_of_element_located((By.XPATH, "//h2[text()='Answer']")))
    browser.save_screenshot(str(tmp_path / "answer.png"))
    assert [cell.removesuffix(" @nl") for cell in column(browser, 1)] == expected
    assert 0 < len(expected) < 12  # some provinces lack one, others have one: the check above is not vacuous
    assert console_errors(browser) == []
