"""The analysts' front door in headless Chromium (issue 18): YASGUI at /editor, Swagger UI at /docs, and
shared links that reproduce their answers. Same harness as test_browser.py (never skips).

YASGUI and Swagger UI come from hckg_web/static/vendor/ (`make vendor`): a page that asked a CDN would
log a failed request as a console error here, as the machines have no internet.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import urlencode

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait
from typer.testing import CliRunner

from browser_helpers import console_errors
from hckg.cli.app import app
from hckg.reports.describe import ontology_terms

PROVINCES = ("PREFIX hckg: <https://w3id.org/hckg/def#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
             "SELECT ?province (STR(?name) AS ?label) WHERE {\n  ?province a hckg:Province ; rdfs:label ?name .\n"
             "  FILTER(LANG(?name) = \"nl\")\n}\nORDER BY ?label")


def cli_rows(settings, name: str, params: dict[str, str]) -> list[dict[str, str]]:
    """The answer `hckg query NAME -p k=v -f csv` prints over the same store."""
    args = ["query", name, "-f", "csv"] + [x for k, v in params.items() for x in ("-p", f"{k}={v}")]
    result = CliRunner().invoke(app, args, env={"HCKG_STORE": str(settings.store_path)})
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def yasr_column(browser, header: str) -> list[str]:
    """The cells of one column of YASR's table view (its first column numbers the rows)."""
    table = WebDriverWait(browser, 30).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".yasr .dataTable tbody tr td")))
    table = browser.find_element(By.CSS_SELECTOR, ".tabPanel.active .yasr table.dataTable")
    headers = [th.text.strip() for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    index = headers.index(header)
    return [row.find_elements(By.TAG_NAME, "td")[index].text for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")]


def test_yasgui_loads_runs_a_shared_query_and_shows_a_table_and_a_chart(browser, server, store, tmp_path: Path):
    browser.get(server.url + "/editor?" + urlencode({"query": PROVINCES}))
    labels = yasr_column(browser, "label")
    browser.save_screenshot(str(tmp_path / "yasgui.png"))
    expected = sorted(row["label"].value for row in store.query(PROVINCES))
    assert labels == expected and len(labels) == 12
    assert browser.find_element(By.CSS_SELECTOR, ".tabPanel.active .yasqe .CodeMirror").is_displayed()
    # A data IRI in the table opens the server's own page of it (YASR opens links in a new window).
    first = browser.find_element(By.CSS_SELECTOR, ".tabPanel.active .yasr table.dataTable tbody tr td a[href]")
    before = set(browser.window_handles)
    first.click()
    WebDriverWait(browser, 30).until(lambda b: len(b.window_handles) > len(before))
    main = browser.current_window_handle
    browser.switch_to.window((set(browser.window_handles) - before).pop())
    WebDriverWait(browser, 30).until(lambda b: b.current_url != "about:blank")
    assert browser.current_url == server.url + "/id/province/PV22" and browser.title == "Drenthe · HCKG"
    browser.close()
    browser.switch_to.window(main)
    assert console_errors(browser) == []


def test_a_saved_query_example_opens_in_a_tab_and_draws_as_a_chart(browser, server, settings, tmp_path: Path):
    expected = cli_rows(settings, "communities-per-topsector", {})
    browser.get(server.url + "/editor")
    WebDriverWait(browser, 30).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".yasqe")))
    browser.find_element(By.CSS_SELECTOR, "a[data-example='communities-per-topsector']").click()
    WebDriverWait(browser, 30).until(lambda b: b.find_element(By.CSS_SELECTOR, ".tab.active").text.splitlines()[0]
                                     == "communities-per-topsector")  # the tab's name, then its close button
    column = next(iter(expected[0]))
    # The tab is named before its answer is drawn: wait for the table (under load the first look missed it).
    WebDriverWait(browser, 30).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".tabPanel.active .yasr table.dataTable"))
    assert len(yasr_column(browser, column)) == len(expected)
    browser.find_element(By.CSS_SELECTOR, ".tabPanel.active .yasr .select_chart").click()
    bars = WebDriverWait(browser, 30).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".tabPanel.active svg.hckg-chart g.bar"))
    browser.save_screenshot(str(tmp_path / "yasgui-chart.png"))
    assert len(bars) == len(expected)
    assert console_errors(browser) == []


def test_the_api_docs_render_swagger_ui_offline(browser, server, tmp_path: Path):
    browser.get(server.url + "/docs")
    WebDriverWait(browser, 30).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".swagger-ui .opblock")))
    browser.save_screenshot(str(tmp_path / "docs.png"))
    paths = {e.text for e in browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")}
    assert {"/sparql", "/api/queries/regions-lacking-community"} <= {p.replace("\u200b", "") for p in paths}
    assert console_errors(browser) == []


def test_a_shared_query_url_reproduces_its_answer(browser, server, settings, tmp_path: Path):
    """The form shows the values the answer was computed with, and the answer is the CLI's."""
    params = {"challenge": "Veiligheid", "type": "CIV"}
    browser.get(server.url + "/queries/regions-lacking-community?" + urlencode({**params, "run": "1"}))
    browser.save_screenshot(str(tmp_path / "shared-query.png"))
    assert Select(browser.find_element(By.ID, "challenge")).first_selected_option.get_attribute("value") == \
        "https://w3id.org/hckg/id/challenge/veiligheid"
    assert Select(browser.find_element(By.ID, "type")).first_selected_option.get_attribute("value") == \
        "https://w3id.org/hckg/def#CentrumInnovatiefVakmanschap"
    expected = [row["regionLabel"] for row in cli_rows(settings, "regions-lacking-community", params)]
    table = browser.find_element(By.CSS_SELECTOR, "main table.answer")
    shown = [r.find_elements(By.TAG_NAME, "td")[0].text for r in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
    assert shown == expected and 0 < len(expected) < 12
    # Sent again unchanged, the form gives the same answer: the preselected values are the answer's.
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(browser, 30).until(expected_conditions.staleness_of(table))
    again = [r.find_elements(By.TAG_NAME, "td")[0].text
             for r in browser.find_elements(By.CSS_SELECTOR, "main table.answer tbody tr")]
    assert again == expected
    # Opened in the editor, the query that ran gives the same provinces.
    browser.find_element(By.CSS_SELECTOR, "a.open-in-editor").click()
    assert yasr_column(browser, "regionLabel") == [f'"{name}"@nl' for name in expected]  # YASR shows the literal
    assert console_errors(browser) == []


def test_a_shared_map_url_reproduces_its_answer(browser, server, settings, tmp_path: Path):
    params = {"challenge": "Veiligheid", "type": "CIV"}
    browser.get(server.url + "/map?" + urlencode(params))
    browser.save_screenshot(str(tmp_path / "shared-map.png"))
    assert Select(browser.find_element(By.ID, "challenge")).first_selected_option.text == "Veiligheid"
    assert Select(browser.find_element(By.ID, "type")).first_selected_option.get_attribute("value") == \
        "https://w3id.org/hckg/def#CentrumInnovatiefVakmanschap"
    counts = {r["regionLabel"]: int(r["communities"])
              for r in cli_rows(settings, "communities-per-province-for-challenge", params)}
    tiles = {t.get_attribute("data-label"): int(t.find_element(By.CSS_SELECTOR, "text.province-count").text)
             for t in browser.find_elements(By.CSS_SELECTOR, "svg.province-map g.province")}
    assert tiles == counts and len(tiles) == 12
    lacking = [r["regionLabel"] for r in cli_rows(settings, "regions-lacking-community", params)]
    shown = browser.find_element(By.ID, "lacking")
    assert shown.text == ", ".join(lacking)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()  # the same values again
    # the shared URL already names the values, so wait for the old page to go, not for the URL
    WebDriverWait(browser, 30).until(expected_conditions.staleness_of(shown))
    WebDriverWait(browser, 30).until(lambda b: b.find_elements(By.ID, "lacking"))
    assert "challenge=" in browser.current_url
    assert browser.find_element(By.ID, "lacking").text == ", ".join(lacking)
    assert console_errors(browser) == []


def test_an_answer_table_sorts_by_a_column_with_the_local_script(browser, server, settings):
    rows = cli_rows(settings, "communities-per-topsector", {})
    browser.get(server.url + "/queries/communities-per-topsector")
    table = browser.find_element(By.CSS_SELECTOR, "main table.answer")
    headers = [th.text.rstrip(" ↕↑↓") for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    column = next(i for i, h in enumerate(headers) if all(r[h].isdigit() for r in rows))
    header = table.find_elements(By.CSS_SELECTOR, "thead th button")[column]

    def shown() -> list[int]:
        return [int(r.find_elements(By.TAG_NAME, "td")[column].text) for r in table.find_elements(By.CSS_SELECTOR, "tbody tr")]

    header.click()
    assert shown() == sorted(int(r[headers[column]]) for r in rows)
    header.click()
    assert shown() == sorted((int(r[headers[column]]) for r in rows), reverse=True)
    assert table.find_elements(By.CSS_SELECTOR, "thead th")[column].get_attribute("aria-sort") == "descending"
    assert console_errors(browser) == []


def test_the_editor_completes_the_ontologys_terms_and_adds_their_prefix(browser, server, store):
    """Completion from the ontology served by this server (YASGUI's own completers ask prefix.cc and LOV)."""
    browser.get(server.url + "/editor")
    WebDriverWait(browser, 30).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".yasqe")))
    browser.execute_script("var y = window.hckgYasgui.getTab().getYasqe(); y.setValue('SELECT * WHERE {\\n  ?s a ');"
                           "y.focus(); y.setCursor(y.lineCount(), 0);")
    browser.find_element(By.CSS_SELECTOR, ".tabPanel.active .CodeMirror textarea").send_keys("hckg:Prov")
    hints = WebDriverWait(browser, 30).until(lambda b: [h.text for h in b.find_elements(By.CSS_SELECTOR, ".CodeMirror-hint")])
    classes = sorted(f"hckg:{t.local_name}" for t in ontology_terms(store)
                     if t.kind == "Class" and t.local_name.startswith("Prov"))
    assert hints == classes and "hckg:Province" in classes
    text = browser.execute_script("return window.hckgYasgui.getTab().getYasqe().getValue()")
    assert text.splitlines()[0] == "PREFIX hckg: <https://w3id.org/hckg/def#>"
    assert console_errors(browser) == []
