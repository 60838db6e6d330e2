"""The HTML export opened in Debian's chromium, driven by selenium through Debian's chromium-driver: nothing is
downloaded. The chart has one point per value, the summary comes first, and printing gives A4 pages."""
import base64
import os
import re
import shutil

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from plans import FIGURES, export, plan_json, reviewed_plan

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None, reason="chromium and chromium-driver are not installed (apt)")


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    data = reviewed_plan()
    html = tmp_path_factory.mktemp("html") / "plan.html"
    html.write_text(export(data, "html"), encoding="utf-8")
    values = len(plan_json(data)["measures"][0]["values"])
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    try:
        driver.get(html.as_uri())
        yield driver, values
    finally:
        driver.quit()
        shutil.rmtree(data, ignore_errors=True)


def test_the_chart_has_one_point_per_value_and_a_median(page):
    driver, values = page
    assert values == len(FIGURES)
    charts = driver.find_elements(By.CSS_SELECTOR, "svg.run-chart")
    assert len(charts) == 1
    assert len(charts[0].find_elements(By.CSS_SELECTOR, "circle.point")) == values
    assert charts[0].find_elements(By.CSS_SELECTOR, "line.median")
    assert driver.find_elements(By.CSS_SELECTOR, "line.cycle-start")
    assert not driver.find_elements(By.TAG_NAME, "script")


def test_the_summary_is_the_first_thing_on_the_page(page):
    driver, _ = page
    first = driver.execute_script("return document.body.firstElementChild")
    assert first.get_attribute("class") == "summary"
    text = first.text
    for label in ["The change", "Aim", "Measures", "First step", "Partner", "Next check-in", "Review date"]:
        assert label in text, label
    assert "Status:" in text and "Created" in text


def test_printing_gives_a4_pages(page):
    driver, _ = page
    pdf = base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"])
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert boxes, "no page in the PDF"
    for width, height in boxes:
        assert abs(float(width) - 595.28) < 2 and abs(float(height) - 841.89) < 2, (width, height)
