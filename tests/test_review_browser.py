"""The review page in a real browser: headless Chromium driven by Selenium through Debian's
chromedriver. The pages load from file:// and nothing else may be requested (Chrome's
performance log records every network request); no script in a document runs; the counts
shown equal the report's; n / p move the focus between changes.

CLEANER_UPDATE_SCREENSHOTS=1 also writes docs/review.seed.png (the README shows it).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections import Counter
from pathlib import Path

import pytest

from cleaner.pipeline import load
from cleaner.review import collect, page_html, write_review

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_ae458432d04a05e1.txt"
CORPUS = sorted((ROOT / "tests" / "corpus").glob("dev*/*.txt"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver")
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("chromium and chromium-driver are not installed (scripts/system-deps.sh test)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-default-apps"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()


def requests(driver) -> list[str]:
    """The URLs of every network request since the last call (performance log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def open_page(driver, path: Path) -> list[str]:
    requests(driver)  # drop what came before
    driver.get(path.as_uri())
    driver.execute_script("return document.readyState")
    return requests(driver)


def press(driver, key: str) -> str:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).send_keys(key).perform()
    return driver.execute_script("return document.activeElement.id")


def test_seed_page_in_the_browser(browser, tmp_path):
    _, doc = load(SEED)
    report = doc.report_dict()
    page = tmp_path / "seed.html"
    page.write_text(page_html(report, doc.source_lines), encoding="utf-8")
    urls = open_page(browser, page)
    assert urls and all(u.startswith("file://") for u in urls), urls
    js = browser.execute_script
    assert js("return document.getElementById('count-removed').textContent") == str(len(report["removed"]))
    # every row laid out (the seed is one block): each removal labelled with its kind and
    # rule, each repair counted under its line with its rule
    assert js("return document.querySelectorAll('main .k > p:not(.f)').length") == 0
    labels = js("return Array.prototype.map.call(document.querySelectorAll('.o .removal'),"
                " function (e) { return e.textContent; })")
    assert sorted(labels) == sorted(f"{r['kind']} · {r['rule']}" for r in report["removed"])
    tallies = js("return Array.prototype.map.call(document.querySelectorAll('.o .sum'), function (e) {"
                 " return e.textContent; })")
    shown = Counter()
    for tally in tallies:
        for item in tally.split(" · "):
            rule, _, count = item.partition(" ×")
            shown[rule] += int(count or 1)
    shown.update(js("return Array.prototype.map.call(document.querySelectorAll('#loose [data-f]'), function (e) {"
                    " return document.getElementById('r' + e.getAttribute('data-f')).getAttribute('data-rule'); })"))
    assert shown == Counter(r["rule"] for r in report["repairs"])
    splits = js("return Array.prototype.map.call(document.querySelectorAll('.o .split'), function (e) {"
                " return e.textContent; })")
    assert splits == ["heading split · run-in-heading"] * 6
    assert js("return document.querySelectorAll('.o .join').length") == 1  # the heading lines joined
    # a change names its rule and what it did on hover
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    mark = browser.find_element(By.CSS_SELECTOR, "#L43 .o ins")
    js("arguments[0].scrollIntoView({block: 'center'})", mark)
    ActionChains(browser).move_to_element(mark).perform()
    assert mark.get_attribute("title") == "punct-fullwidth (repair): ',' → '，'"
    js("window.scrollTo(0, 0)")
    shown = js("var o = {}; document.querySelectorAll('.count-kind').forEach(function (b) {"
               " o[b.dataset.kind] = +b.textContent; }); return o;")
    assert shown == report["counts"]["removed_by_kind"]
    changes = js("return Array.prototype.map.call(document.querySelectorAll('main .c'), function (r) { return r.id; })")
    assert changes[:2] == ["L1", "L2"]
    assert press(browser, "n") == changes[0]
    assert press(browser, "j") == changes[1]
    assert press(browser, "n") == changes[2]
    assert press(browser, "p") == changes[1]
    for _ in range(40):
        last = press(browser, "n")
    assert last == changes[41]  # at changes[1], then 40 steps on
    assert js("return window.scrollY") > 0  # moved down to it
    assert requests(browser) == []  # navigation fetched nothing
    # a warning's link leads to its line
    browser.find_element(By.CSS_SELECTOR, "#warnings a[href='#L49']").click()
    top = js("return document.getElementById('L49').getBoundingClientRect().top")
    assert 0 <= top < js("return window.innerHeight")
    browser.save_screenshot(str(tmp_path / "review.seed.png"))
    if os.environ.get("CLEANER_UPDATE_SCREENSHOTS"):
        browser.set_window_size(1400, 1700)
        js("document.activeElement.blur(); window.scrollTo(0, 0)")
        browser.save_screenshot(str(ROOT / "docs" / "review.seed.png"))
        browser.set_window_size(1400, 1100)
        js("document.getElementById('L43').scrollIntoView({block: 'start'})")
        browser.save_screenshot(str(ROOT / "docs" / "review.seed.repairs.png"))
        browser.set_window_size(1400, 1000)


def test_no_script_in_a_document_runs(browser, tmp_path):
    hostile = ("<script>window.__pwned=1</script>\n"
               "<img src=x onerror=\"window.__pwned=2\">\n"
               "<img src=\"http://127.0.0.1:9/leak.png\">\n"
               "\"><svg onload=window.__pwned=3>\n"
               "<link rel=stylesheet href=\"http://127.0.0.1:9/leak.css\">\n"
               "各位代表：\n现在，我代表市人民政府，向大会报告工作。\n")
    src = tmp_path / "hostile.txt"
    src.write_text(hostile, encoding="utf-8")
    write_review(collect([str(src)]), tmp_path / "pages")
    urls = open_page(browser, tmp_path / "pages" / "hostile.html")
    assert all(u.startswith("file://") for u in urls), urls
    assert len(urls) == 1  # the page itself
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    body = browser.execute_script("return document.body.textContent")
    assert "<script>window.__pwned=1</script>" in body  # shown literally
    assert browser.execute_script("return document.images.length") == 0


def test_corpus_index_in_the_browser(browser, tmp_path):
    entries = collect([str(p) for p in CORPUS])
    write_review(entries, tmp_path / "pages")
    urls = open_page(browser, tmp_path / "pages" / "index.html")
    assert all(u.startswith("file://") for u in urls), urls
    js = browser.execute_script
    statuses = js("return Array.prototype.map.call(document.querySelectorAll('table.index tbody tr'),"
                  " function (r) { return r.dataset.status; })")
    assert statuses == ["truncated" if e.report["truncated"] else "complete" for e in entries]
    assert len(statuses) == 14
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element(By.ID, "f-status")).select_by_value("truncated")
    visible = js("return document.querySelectorAll('table.index tbody tr:not(.hidden)').length")
    assert visible == statuses.count("truncated") > 0
    Select(browser.find_element(By.ID, "f-status")).select_by_value("")
    # sort by removed lines (column 6), then again descending
    browser.find_elements(By.CSS_SELECTOR, "table.index th")[5].click()
    removed = js("return Array.prototype.map.call(document.querySelectorAll('table.index tbody tr'),"
                 " function (r) { return +r.cells[5].dataset.sort; })")
    assert removed == sorted(removed)
    browser.find_elements(By.CSS_SELECTOR, "table.index th")[5].click()
    removed = js("return Array.prototype.map.call(document.querySelectorAll('table.index tbody tr'),"
                 " function (r) { return +r.cells[5].dataset.sort; })")
    assert removed == sorted(removed, reverse=True)
    # every link opens its page, from file://, with nothing fetched
    for e in entries:
        urls = open_page(browser, tmp_path / "pages" / e.page)
        assert all(u.startswith("file://") for u in urls), urls
        assert js("var n = 0; document.querySelectorAll('[data-x]').forEach(function (r) {"
                  " n += r.getAttribute('data-x').split(' ').length; }); return n;") == len(e.report["removed"])
        for _ in range(50):  # the blocks away from the window are laid out when the browser is idle
            if js("return document.querySelectorAll('main .k > p:not(.f)').length") == 0:
                break
            time.sleep(0.1)
        assert js("return document.querySelectorAll('.o .removal').length") == len(e.report["removed"])


def test_ten_thousand_lines_open_and_scroll(browser, tmp_path):
    lines = SEED.read_text(encoding="utf-8").split("\n")
    big = (lines * (10_000 // len(lines) + 1))[:10_000]
    src = tmp_path / "big.txt"
    src.write_text("\n".join(big), encoding="utf-8")
    t0 = time.perf_counter()
    write_review(collect([str(src)]), tmp_path / "pages")
    build = time.perf_counter() - t0
    page = tmp_path / "pages" / "big.html"
    t0 = time.perf_counter()
    open_page(browser, page)
    load_s = time.perf_counter() - t0
    nav = browser.execute_script("var t = performance.getEntriesByType('navigation')[0];"
                                 " return [t.domContentLoadedEventEnd, t.loadEventEnd];")
    assert browser.execute_script("return document.querySelectorAll('main .k > p[id]').length") == 10_000
    first = press(browser, "n")
    for _ in range(200):
        press(browser, "n")
    assert press(browser, "n") != first
    browser.get(page.as_uri() + "#L9500")  # a line far down, laid out only when reached
    top = browser.execute_script("return document.getElementById('L9500').getBoundingClientRect().top")
    assert 0 <= top < browser.execute_script("return window.innerHeight")
    assert browser.execute_script("var r = document.getElementById('L9500').getBoundingClientRect();"
                                  " return document.elementFromPoint(r.left + 100, r.top + 5).closest('p').id")\
        == "L9500"
    assert browser.execute_script("return window.scrollY") > 0
    print(f"\n10,000-line review page: {page.stat().st_size / 1e6:.1f} MB, cleaned and built in {build:.1f} s, "
          f"loaded in {load_s:.2f} s (DOMContentLoaded {nav[0] / 1000:.2f} s, load {nav[1] / 1000:.2f} s)")
    assert load_s < 30
    # linear: a quarter of the lines loads in about a quarter of the time
    small = tmp_path / "small.txt"
    small.write_text("\n".join(big[:2_500]), encoding="utf-8")
    write_review(collect([str(small)]), tmp_path / "pages")

    def best_load(path: Path) -> float:
        times = []
        for _ in range(2):
            browser.get("about:blank")
            t0 = time.perf_counter()
            browser.get(path.as_uri())
            times.append(time.perf_counter() - t0)
        return min(times)

    t_small, t_big = best_load(tmp_path / "pages" / "small.html"), best_load(page)
    print(f"load of 2,500 lines {t_small:.2f} s, of 10,000 lines {t_big:.2f} s")
    assert t_big < 6 * t_small + 0.5
