"""The monitor, the province map and the network view in headless Chromium (the same harness as test_browser.py).

A person opens /monitor and the map, picks a challenge and a type and sends the form: the browser's DOM
must hold the numbers the saved queries give, the SVG must be rendered (it has a size on screen), the
console must log no error, and a screenshot of every page is left in the test's tmp dir. This test
never skips: a machine without Chromium fails in the ``browser`` fixture with the command that installs it.
"""

from __future__ import annotations

from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from hckg.reports.monitor import monitor
from hckg.queries.running import run_saved
from browser_helpers import console_errors


def answer(store, settings, name, params):
    return list(run_saved(store, settings.queries_dir, name, {k: [v] for k, v in params.items()}))


def test_the_monitor_shows_the_figures_and_charts_of_the_store(browser, server, store, settings, tmp_path: Path):
    browser.get(server.url + "/")
    browser.find_element(By.CSS_SELECTOR, "header a[href='/monitor']").click()
    browser.save_screenshot(str(tmp_path / "monitor.png"))
    result = monitor(store, settings.queries_dir)
    assert browser.title == "Roadmap monitor · HCKG"
    assert browser.find_element(By.ID, "communities-total").text == str(result.figure("100-extra", "all", "communities"))
    assert browser.find_element(By.ID, "communities-undated").text == str(result.figure("100-extra", "all", "noStartYear"))
    bars = browser.find_elements(By.CSS_SELECTOR, "figure[data-chart='100-extra-total'] svg g.bar")
    assert [(b.get_attribute("data-value"), b.get_attribute("data-extra")) for b in bars] == [
        (str(result.figure("100-extra", "all", "startedByTargetYear")), str(result.figure("100-extra", "all", "noStartYear")))]
    charts = browser.find_elements(By.CSS_SELECTOR, "main svg")
    assert len(charts) == 9 and all(c.size["width"] > 300 and c.size["height"] > 20 for c in charts)
    region = {b.get_attribute("data-label"): int(b.get_attribute("data-value"))
              for b in browser.find_elements(By.CSS_SELECTOR, "figure[data-chart='every-region'] g.bar")}
    lacking_veiligheid = answer(store, settings, "regions-lacking-community",
                                {"challenge": "Veiligheid", "type": "Learning community"})
    assert region["Veiligheid"] == 12 - len(lacking_veiligheid)
    assert console_errors(browser) == []


def test_the_map_form_sent_from_the_browser_shows_the_counts_and_the_lacking_provinces(
        browser, server, store, settings, tmp_path: Path):
    params = {"challenge": "Gezondheid & Zorg", "type": "CoE"}
    counts = {row["regionLabel"].value: int(row["communities"].value)
              for row in answer(store, settings, "communities-per-province-for-challenge", params)}
    lacking = [row["regionLabel"].value for row in answer(store, settings, "regions-lacking-community", params)]
    browser.get(server.url + "/monitor")
    browser.find_element(By.CSS_SELECTOR, "main a[href='/map']").click()
    Select(browser.find_element(By.ID, "challenge")).select_by_visible_text("Gezondheid & Zorg")
    Select(browser.find_element(By.ID, "type")).select_by_visible_text("Centre of Expertise")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    browser.find_element(By.CSS_SELECTOR, "svg.province-map")
    browser.save_screenshot(str(tmp_path / "map.png"))
    tiles = browser.find_elements(By.CSS_SELECTOR, "svg.province-map g.province")
    shown = {t.get_attribute("data-label"): int(t.find_element(By.CSS_SELECTOR, "text.province-count").text)
             for t in tiles}
    assert shown == counts and len(shown) == 12
    hatched = sorted(t.get_attribute("data-label") for t in browser.find_elements(By.CSS_SELECTOR, "g.province.lacking"))
    assert hatched == sorted(lacking) and 0 < len(lacking) < 12
    assert browser.find_element(By.ID, "lacking").text == ", ".join(lacking)
    table = {r.find_elements(By.TAG_NAME, "td")[0].text: int(r.find_elements(By.TAG_NAME, "td")[1].text)
             for r in browser.find_elements(By.CSS_SELECTOR, "main table tbody tr")}
    assert table == counts
    assert browser.find_element(By.CSS_SELECTOR, "svg.province-map").size["width"] > 300
    assert console_errors(browser) == []


def test_the_network_view_renders_in_the_browser(browser, server, tmp_path: Path):
    browser.get(server.url + "/id/community/rdm-centre-of-expertise")
    browser.find_element(By.PARTIAL_LINK_TEXT, "Network of this community").click()
    nodes = browser.find_elements(By.CSS_SELECTOR, "svg.network g.node")
    browser.save_screenshot(str(tmp_path / "network.png"))
    focus = [n for n in nodes if n.get_attribute("data-role") == "focus"]
    assert [n.get_attribute("data-iri") for n in focus] == ["https://w3id.org/hckg/id/community/rdm-centre-of-expertise"]
    assert len(nodes) > 5
    assert console_errors(browser) == []
