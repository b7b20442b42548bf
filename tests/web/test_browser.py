"""The issue's scenario in real Chromium (headless, 1366 × 768) against a live server, a private Redis and a
real Celery worker: a district clerk uploads a workbook with two bad rows, sees both in the error table, fixes
them and uploads again; city staff draft a 批复 from the pending application and submit it; the leader
previews and signs it off — the number comes from the register — and seals and issues it; the sealed PDF
downloads through the browser and passes ``docgen check``; the sign shop downloads the plaque.

Every page visited is saved as a PNG (DOCGEN_SCREENSHOTS names the folder; by default a temporary one) —
outside the repository — so a person can look at them."""

from __future__ import annotations

import io
import os
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from docgen.annexes.consolidate import DISTRICT_ORDER
from docgen.check.report import check_pdf
from web.accounts.models import AuditEntry, Profile
from web.accounts.roles import CITY_STAFF, DISTRICT_CLERK, SIGN_SHOP, SIGNER
from web.documents import register
from web.documents.models import DocumentEntry, NumberSequence, Status
from web.registry.importing import import_application
from web.registry.models import ContactPointApplication, District, ImportRun, PlaqueOrder, Station
from workers.local import ROOT

from .conftest import private_queue
from .test_pages import PASSWORD, workbook

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
pytestmark = [
    pytest.mark.django_db(transaction=True),
]
WAIT = 120  # seconds a rendering may take on a loaded two-core machine


@pytest.fixture(scope="module")
def queue(tmp_path_factory):
    """A private Redis and one real worker process; the live server submits to the same Redis."""
    with private_queue(tmp_path_factory, workers=1, DOCGEN_SOFT_TIME_LIMIT="100", DOCGEN_HARD_TIME_LIMIT="120",
                       DOCGEN_VISIBILITY_TIMEOUT="300") as server:
        yield server


@pytest.fixture
def downloads(tmp_path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    return folder


@pytest.fixture
def shots(tmp_path_factory):
    folder = Path(os.environ.get("DOCGEN_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def browser(downloads):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1366,768", "--lang=zh-CN", "--force-device-scale-factor=1"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False,
                                              "safebrowsing.enabled": True,
                                              "plugins.always_open_pdf_externally": True})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_window_size(1366, 768)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


@pytest.fixture
def archive(tmp_path, settings):
    """Previews in this test's folder (job artifacts and the archive share the queue's artifact store)."""
    settings.DATA_DIR = tmp_path / "data"


def seed_people(django_user_model) -> dict:
    """The districts and roles (a transactional test may run after a flush of the migrations' rows), and one
    user of each role."""
    for order, name in enumerate(DISTRICT_ORDER):
        District.objects.get_or_create(name=name, defaults={"bureau": f"{name}市场监督管理局", "order": order})
    people = {}
    for username, role, district, (last, first) in [("shiju", CITY_STAFF, None, ("王", "芳")),
                                                     ("shanyang", DISTRICT_CLERK, "山阳区", ("李", "明")),
                                                     ("lingdao", SIGNER, None, ("张", "伟")),
                                                     ("biaopai", SIGN_SHOP, None, ("刘", "洋"))]:
        user = django_user_model.objects.create_user(username=username, password=PASSWORD, last_name=last,
                                                     first_name=first)
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        if district:
            Profile.objects.create(user=user, district=District.objects.get(name=district))
        people[username] = user
    return people


# ---------------------------------------------------------------------------------------------- helpers
class Page:
    """The browser on the live server, with the waits a person does."""

    def __init__(self, driver, base: str, shots: Path):
        self.driver, self.base, self.shots, self.n = driver, base, shots, 0

    def open(self, path: str) -> None:
        self.driver.get(self.base + path)

    def find(self, css: str):
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, css)

    def all(self, css: str):
        from selenium.webdriver.common.by import By

        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def wait(self, css: str, timeout: float = 15):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as ec
        from selenium.common.exceptions import TimeoutException
        from selenium.webdriver.support.ui import WebDriverWait

        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.2).until(
                ec.presence_of_element_located((By.CSS_SELECTOR, css)))
        except TimeoutException:
            raise AssertionError(f"{css} did not appear on {self.driver.current_url}:\n{self.text()[:2000]}") from None

    def wait_text(self, text: str, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.driver.page_source:
            if time.monotonic() > deadline:
                raise AssertionError(f"「{text}」 did not appear on {self.driver.current_url}")
            time.sleep(0.2)

    def images_loaded(self, css: str = ".pages img", timeout: float = 60) -> None:
        """Until every picture ``css`` finds has arrived (page previews are made on first request)."""
        script = f"return Array.from(document.querySelectorAll('{css}')).every(i => i.complete && i.naturalWidth > 0)"
        deadline = time.monotonic() + timeout
        while not self.driver.execute_script(script):
            if time.monotonic() > deadline:
                raise AssertionError(f"pictures {css} did not load on {self.driver.current_url}")
            time.sleep(0.2)

    def text_of(self, css: str) -> str:
        """An element's text, read again if the page reloaded meanwhile (it follows its job, and reloads
        once the job has ended). A reload between finding the element and reading it is reported as a stale
        element, a missing one or, by chromedriver, an inspector error ("Node … does not belong to the
        document"): each is read again."""
        from selenium.common.exceptions import WebDriverException

        for _ in range(50):
            try:
                return self.find(css).text
            except WebDriverException:
                time.sleep(0.2)
        raise AssertionError(f"{css} not readable on {self.driver.current_url}")

    def text(self) -> str:
        return self.find("body").text

    def shot(self, name: str) -> Path:
        """The whole page as seen at 1366 px wide (the window is 768 high; taller pages are captured whole)."""
        self.n += 1
        height = self.driver.execute_script("return Math.max(document.body.scrollHeight, 768)")
        self.driver.set_window_size(1366, min(height + 140, 4000))
        path = self.shots / f"{self.n:02d}-{name}.png"
        self.driver.save_screenshot(str(path))
        self.driver.set_window_size(1366, 768)
        return path

    def login(self, username: str) -> None:
        self.open("/login/")
        self.find("#id_username").send_keys(username)
        self.find("#id_password").send_keys(PASSWORD)
        self.find("button[type=submit]").click()
        try:
            self.wait("header nav")
        except Exception:
            self.shot(f"login-failed-{username}")
            raise AssertionError(f"{username} could not log in: {self.text()}") from None

    def logout(self) -> None:
        self.find(".who button").click()
        self.wait("#id_username")


def until(check, timeout: float = 30, what: str = "") -> None:
    """Until ``check()`` is true (the page may reload meanwhile: it follows its job)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or check}")
        time.sleep(0.2)


def downloaded(folder: Path, suffix: str, timeout: float = 30) -> Path:
    """The file the browser finished downloading into ``folder``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in folder.iterdir() if p.suffix == suffix]
        if done and not any(p.suffix == ".crdownload" for p in folder.iterdir()):
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} downloaded into {folder}: {list(folder.iterdir())}")


# ---------------------------------------------------------------------------------------------- the scenario
def test_the_issue_scenario_in_chromium(live_server, browser, queue, archive, django_user_model, tmp_path,
                                        downloads, shots):
    people = seed_people(django_user_model)
    import_application(ROOT / "samples/applications/shanyang-auto-parts.yaml", user=people["shiju"],
                       request_number="焦汽协〔2021〕8号")  # a station's 附件1, waiting for its 批复
    page = Page(browser, live_server.url, shots)

    # --- the district clerk: two bad rows, both shown; fixed; uploaded again
    page.open("/login/")
    page.shot("login")
    page.login("shanyang")
    page.shot("clerk-home")
    page.open("/reports/")
    bad = tmp_path / "山阳区报送.xlsx"
    bad.write_bytes(workbook(bad=True))
    page.find("#workbook").send_keys(str(bad))
    page.find("form[enctype] button[type=submit]").click()
    page.wait("#row-errors")
    rows = [[td.text for td in tr.find_elements("css selector", "td")] for tr in page.all("#row-errors tbody tr")]
    assert [r[:3] for r in rows] == [["附件2", "4", "负责人及联系方式"], ["附件3", "5", "知识产权运用方式（使用、所有）"]]
    assert "应写姓名和联系电话" in rows[0][3] and "只能取以下值之一：使用、所有" in rows[1][3]
    page.shot("clerk-upload-errors")
    fixed = tmp_path / "fixed" / "山阳区报送.xlsx"
    fixed.parent.mkdir()
    fixed.write_bytes(workbook(bad=False))
    page.find("#workbook").send_keys(str(fixed))
    page.find("form[enctype] button[type=submit]").click()
    page.wait_text("已全部接受")
    assert not page.all("#row-errors")
    page.shot("clerk-upload-fixed")
    assert [len(r.rejected) for r in ImportRun.objects.filter(kind=ImportRun.REPORT).order_by("at")] == [2, 0]
    page.open("/new/")
    page.shot("clerk-new")
    page.logout()

    # --- city staff: who reported; a 批复 drafted from the pending application and submitted for sign-off
    page.login("shiju")
    page.open("/reports/")
    districts = {tr.find_elements("css selector", "td")[0].text: tr.text for tr in page.all("#districts tbody tr")}
    assert "已报送" in districts["山阳区"] and "未报送" in districts["解放区"]
    page.shot("staff-reports")
    page.open("/new/notice/")
    page.shot("staff-new-notice")
    page.find("#f-addressees").send_keys("各县（市）区市场监督管理局：")
    page.find("#f-body").send_keys("- 现将有关事项通知如下。")
    page.find("#f-signature").send_keys("organ: 焦作市市场监督管理局\ndate: 2021年13月3日")
    page.find("form[novalidate] button[type=submit]").click()
    page.wait(".field.invalid")
    invalid = {f.get_attribute("data-field"): f.text for f in page.all(".field.invalid")}
    assert set(invalid) == {"title", "signature"}, invalid  # docgen's words, next to the fields they concern
    assert "2021年13月3日" in invalid["signature"] and "标题" in invalid["title"]
    page.shot("staff-new-notice-errors")
    page.open("/replies/")
    page.shot("staff-replies")
    application = ContactPointApplication.objects.get()
    page.find(f'form[data-application="{application.pk}"] button[type=submit]').click()
    page.wait("#entry-status")
    entry = DocumentEntry.objects.get()
    assert entry.status == Status.DRAFT and entry.kind == "reply" and not entry.doc_number
    page.wait(".pages img", WAIT)  # the draft's preview, rendered by the worker, shown page by page
    page.wait_text("预览中的字号仅为占位")
    page.images_loaded()
    page.shot("staff-reply-draft")
    page.open("/jobs/")
    page.shot("staff-jobs")
    page.find("table a").click()  # the preview job: its progress, downloads and page previews
    page.wait("#job-progress")
    assert "已完成" in page.find("#job-progress").text and "1 / 1" in page.find("#job-progress").text
    page.images_loaded()
    page.shot("staff-job")
    page.logout()

    # --- the leader: the drafts waiting, a preview, sign-off (the register numbers it), seal and issue
    page.login("lingdao")
    page.open("/sign/")
    assert entry.title in page.text()
    page.shot("leader-waiting")
    page.find("#waiting a.button").click()
    page.wait("#sign-off")
    page.wait(".pages img", WAIT)
    page.images_loaded()  # the preview pages are pictures
    page.shot("leader-preview")
    page.find("#sign-off").click()
    until(lambda: DocumentEntry.objects.get(pk=entry.pk).status == Status.SIGNED, 30, "the sign-off")
    entry.refresh_from_db()
    year = timezone.localdate().year
    assert (entry.status, entry.doc_number) == (Status.SIGNED, f"焦市监〔{year}〕1号")
    assert NumberSequence.objects.get(issuer_code="焦市监", year=year).last_number == 1
    assert page.text_of("#doc-number") == entry.doc_number
    page.wait("#seal-issue", WAIT)  # shown once the numbered files are made (the page follows the job)
    page.images_loaded()
    page.shot("leader-signed")
    page.find("#seal-issue").click()
    page.wait("#archive")
    entry.refresh_from_db()
    assert entry.status == Status.ISSUED and {f.media_type for f in entry.files.all()} == {
        "application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
    page.images_loaded()
    page.shot("leader-issued")
    pdf_link = next(a for a in page.all("#archive a.button")
                    if a.find_element("xpath", "../..").text.split()[0].endswith(".pdf"))
    pdf_link.click()
    pdf = downloaded(downloads, ".pdf")
    assert pdf.read_bytes() == register.archived_bytes(entry.files.get(media_type="application/pdf"))
    report = check_pdf(pdf)
    assert report.passed, report.failures()
    assert report.seal_area is not None  # stamped-ready: the seal area is recorded
    assert AuditEntry.objects.filter(action=AuditEntry.DOWNLOAD_SEALED, actor=people["lingdao"]).exists()
    page.open("/register/")
    assert entry.doc_number in page.text()
    page.shot("leader-register")
    page.logout()
    application.refresh_from_db()
    station = Station.objects.get(pk=application.station_id)
    assert (application.status, station.status, station.reply_number) == ("approved", Station.CONTACT_POINT,
                                                                         entry.doc_number)

    # --- staff send the new contact point's plaque to the sign shop
    page.login("shiju")
    page.open("/plaques/")
    assert station.name in page.find("#candidates").text
    page.shot("staff-plaques")
    page.find("form[action$='/plaques/order/'] button[type=submit]").click()
    until(lambda: PlaqueOrder.objects.exists(), 30, "the plaque order")
    page.wait("[data-order]")  # the page then looks again every two seconds until the print files are made
    order = PlaqueOrder.objects.get()
    assert list(order.stations.all()) == [station]
    page.logout()

    # --- the sign shop: the plaque's files and proof, downloaded; printing confirmed
    page.login("biaopai")
    page.open("/plaques/")
    deadline = time.monotonic() + WAIT
    while not page.all(f'[data-order="{order.pk}"] a.button') and time.monotonic() < deadline:
        time.sleep(1)
        browser.refresh()
    page.wait(f'[data-order="{order.pk}"] .proofs img', 5)
    page.images_loaded(".proofs img")
    page.shot("shop-plaques")
    page.find(f'[data-order="{order.pk}"] a.button').click()
    package = downloaded(downloads, ".zip", 60)
    with zipfile.ZipFile(io.BytesIO(package.read_bytes())) as z:
        names = z.namelist()
    assert any(n.startswith("印刷文件/") and n.endswith(".pdf") for n in names), names
    assert any(n.startswith("校样/") for n in names) and "清单.csv" in names
    page.find(f'[data-order="{order.pk}"] form button').click()
    page.wait_text("块标牌制作完成")
    station.refresh_from_db()
    assert station.plaque_printed_at is not None
    page.shot("shop-confirmed")
    assert page.all("header nav a") and {a.text for a in page.all("header nav a")} == {"标牌", "任务"}
    shutil.copy(pdf, shots / "issued.pdf")
