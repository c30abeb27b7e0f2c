"""Issue 7 item 9, WCAG 2.1 AA: axe-core (bundled by axe-playwright-python, run inside the page, no
network) finds no violation of the WCAG 2.0/2.1 A and AA rules on the main public pages at 360 px and on
the main officer pages at desktop width; the counter intake screen and the online declaration are worked
with the keyboard alone: a skip link first, Tab reaches every field in visual order, the focus is visible.

Each check fails with a readable list: rule id, impact, what is wrong, and the elements concerned."""

from __future__ import annotations

import itertools

import pytest
from axe_playwright_python.sync_playwright import Axe

from motcua.catalog.selectors import version_in_force
from motcua.dossiers import transitions
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.online import accept_online_dossier
from motcua.org.demo import DEMO_PASSWORD
from motcua.org.models import User
from motcua.portal import actions, demo
from motcua.portal.models import Draft

pytestmark = pytest.mark.browser

NARROW_PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


# aria-describedby / aria-labelledby naming an element that is not there: axe only calls it "incomplete"
# (to be reviewed), but the help text or error is then never read out (WCAG 1.3.1, 3.3.2).
DANGLING_IDREFS = """() => Array.from(document.querySelectorAll('[aria-describedby], [aria-labelledby]'))
  .flatMap(el => ['aria-describedby', 'aria-labelledby'].flatMap(attr => (el.getAttribute(attr) || '')
    .split(/\\s+/).filter(id => id && !document.getElementById(id))
    .map(id => (el.id ? '#' + el.id : el.tagName.toLowerCase()) + ' ' + attr + '=' + id)))"""


def violations(page) -> list[str]:
    """axe's WCAG A/AA violations on the page as it is now, one readable line per element."""
    response = Axe().run(page, options=AXE_OPTIONS).response
    lines = [f"aria-idref (serious): a reference to a missing element — {ref}"
             for ref in page.evaluate(DANGLING_IDREFS)]
    for violation in response["violations"]:
        for node in violation["nodes"]:
            lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — "
                         f"{' '.join(node['target'])}: {node.get('failureSummary', '').replace(chr(10), ' ')}")
    return lines


def audit(page, pages: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Visit each (name, path) and collect what axe finds, keyed by page name (empty pages left out)."""
    found = {}
    for name, path in pages:
        response = page.goto(path)
        assert response is not None and response.status < 400, f"{name}: {path} answered {response and response.status}"
        page.wait_for_load_state("networkidle")
        problems = violations(page)
        if problems:
            found[f"{name} ({path})"] = problems
    return found


def report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"\n{page}:\n  " + "\n  ".join(lines) for page, lines in found.items())


def audit_after_submit(page, path: str, button: str, wait_for: str = ".field-error") -> list[str]:
    """Submit the page's form with nothing filled in (the browser's own checks off: the server's messages
    are what is audited) and audit the page that comes back."""
    page.goto(path)
    page.evaluate("() => document.querySelectorAll('main form').forEach(f => { f.noValidate = true; })")
    page.locator(button).first.click()
    page.wait_for_selector(wait_for)
    return violations(page)


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.fixture
def hung_dossiers(db):
    """Ông Hùng's dossiers as the demo makes them: one submitted online and waiting for acceptance (with a
    declaration), one accepted and in processing, one returned and not yet rated, and a draft half-way
    through the submission."""
    hung = User.objects.get(username="hung")
    demo._schemas()
    waiting = demo._submit(hung, "1.001978", "Chuyển khoản giúp tôi")
    returned = demo._walk_to_return(demo._submit(hung, "2.001683", "Xác nhận phiên hiệu đơn vị"))
    processing = demo._submit(hung, "1.014199", "Cấp giấy phép lao động")
    processing = transitions.hand_on(dossier=accept_online_dossier(
        dossier=processing, acting_user=None, present_components=set(
            processing.checklist.values_list("component_id", flat=True))), acting_user=None)
    version = version_in_force("1.900101")
    draft = actions.start_draft(version=version, case=version.cases.first(), acting_user=hung)
    return {"waiting": waiting, "processing": processing, "returned": returned, "draft": draft}


def test_public_pages_on_a_phone_have_no_wcag_violation(browse, hung_dossiers):
    phone = browse(viewport=NARROW_PHONE, is_mobile=True, has_touch=True)
    page = phone.page
    waiting, returned, draft = hung_dossiers["waiting"], hung_dossiers["returned"], hung_dossiers["draft"]
    assert returned.status == Status.RETURNED and not hasattr(Dossier.objects.get(pk=returned.pk), "rating")
    public = [("trang chủ cổng", "/cong/"), ("kết quả tìm kiếm", "/cong/?q=giay+phep+lao+dong"),
              ("trang thủ tục", "/cong/thu-tuc/1.014199/"), ("tra cứu hồ sơ", "/tra-cuu/"),
              ("phản ánh, kiến nghị", "/cong/phan-anh/"), ("bảng công khai", "/cong/bang-cong-khai/")]
    found = audit(page, public)

    # The lookup's answer: the code and the last 4 digits of the phone.
    page.goto("/tra-cuu/")
    page.fill("#id_ma", waiting.code)
    page.fill("#id_check", waiting.applicant_phone[-4:])
    with page.expect_navigation():
        page.locator("main form button[type=submit], main form button:not([type])").first.click()
    page.wait_for_selector("text=" + waiting.code)
    if problems := violations(page):
        found["kết quả tra cứu (/tra-cuu/ POST)"] = problems
    page.goto("/tra-cuu/")
    page.fill("#id_ma", waiting.code)
    page.fill("#id_check", "0000")
    page.locator("main form button.primary").click()
    page.wait_for_selector("main [role=alert], main .error, main .notice")
    if problems := violations(page):
        found["tra cứu không thấy hồ sơ"] = problems
    if problems := audit_after_submit(page, "/cong/phan-anh/", "main form button.primary"):
        found["phản ánh có lỗi nhập"] = problems

    phone.login("hung", DEMO_PASSWORD)
    signed_in = [("nộp trực tuyến: chọn trường hợp", "/cong/nop/1.900101/"),
                 ("nộp trực tuyến: tờ khai", f"/cong/ho-so-nhap/{draft.pk}/to-khai/"),
                 ("nộp trực tuyến: giấy tờ", f"/cong/ho-so-nhap/{draft.pk}/giay-to/"),
                 ("nộp trực tuyến: xem lại", f"/cong/ho-so-nhap/{draft.pk}/xem-lai/"),
                 ("hồ sơ của tôi", "/cong/ho-so-cua-toi/"),
                 ("quá trình giải quyết", f"/cong/ho-so-cua-toi/{waiting.code}/"),
                 ("đánh giá sau khi trả kết quả", f"/cong/ho-so-cua-toi/{returned.code}/"),
                 ("giấy tờ của tôi", "/cong/giay-to-cua-toi/")]
    found.update(audit(page, signed_in))
    page.goto(f"/cong/ho-so-cua-toi/{returned.code}/")
    assert page.locator("form", has=page.locator("input[name=satisfaction]")).count() == 1  # the rating form
    # The declaration with every message showing (a submit with nothing filled in).
    if problems := audit_after_submit(page, f"/cong/ho-so-nhap/{draft.pk}/to-khai/", "main form button[value=next]"):
        found["tờ khai có lỗi nhập"] = problems
    if found:
        pytest.fail("WCAG 2.1 AA violations on public pages (360 px):" + report(found), pytrace=False)


def test_public_pages_fit_a_360px_screen(browse, hung_dossiers):
    phone = browse(viewport=NARROW_PHONE, is_mobile=True, has_touch=True)
    page = phone.page
    too_wide = []
    for path in ["/cong/", "/cong/?q=giay+phep", "/cong/thu-tuc/1.014199/", "/tra-cuu/", "/cong/phan-anh/"]:
        page.goto(path)
        if not fits_the_screen(page):
            too_wide.append(path)
    phone.login("hung", DEMO_PASSWORD)
    draft = hung_dossiers["draft"]
    for path in ["/cong/ho-so-cua-toi/", f"/cong/ho-so-cua-toi/{hung_dossiers['returned'].code}/",
                 f"/cong/ho-so-nhap/{draft.pk}/to-khai/", f"/cong/ho-so-nhap/{draft.pk}/giay-to/"]:
        page.goto(path)
        if not fits_the_screen(page):
            too_wide.append(path)
    assert too_wide == [], f"pages wider than 360 px (horizontal scrolling): {too_wide}"


def test_officer_pages_have_no_wcag_violation(desktop, hung_dossiers):
    page = desktop.page
    waiting = hung_dossiers["waiting"]
    desktop.login("lan", DEMO_PASSWORD)
    found = audit(page, [("trang làm việc", "/"), ("tiếp nhận hồ sơ tại quầy", "/mot-cua/tiep-nhan/"),
                         ("hồ sơ trực tuyến chờ tiếp nhận", f"/mot-cua/ho-so/{waiting.code}/"),
                         ("hồ sơ đã trả kết quả", f"/mot-cua/ho-so/{hung_dossiers['returned'].code}/"),
                         ("sổ theo dõi", "/mot-cua/so-theo-doi/")])
    # The check of the online dossier, refused without a reason: the form comes back with its messages.
    page.goto(f"/mot-cua/ho-so/{waiting.code}/")
    assert page.locator("#online-check-title").count() == 1, "Chị Lan gets the check of the online dossier"
    page.click("button[value=refuse]")
    page.wait_for_selector(".field-error")
    if problems := violations(page):
        found["kiểm tra hồ sơ trực tuyến: thiếu lý do"] = problems
    # The counter screen with a procedure chosen: the checklist and the applicant's fields are shown.
    page.goto("/mot-cua/tiep-nhan/")
    page.fill("#procedure-q", "luu tru")
    suggestion = page.locator("#procedure-suggestions a", has_text="1.013934")
    suggestion.wait_for()
    suggestion.click()
    page.wait_for_selector("text=Thành phần hồ sơ")
    if problems := violations(page):
        found["tiếp nhận: đã chọn thủ tục"] = problems
    page.evaluate("() => document.querySelectorAll('main form').forEach(f => { f.noValidate = true; })")
    page.click("button[value=receive]")
    page.wait_for_selector(".field-error")
    if problems := violations(page):
        found["tiếp nhận: thiếu thông tin"] = problems
    desktop.context.clear_cookies()
    desktop.login("giamdoc", DEMO_PASSWORD)
    processing = hung_dossiers["processing"]
    found.update(audit(page, [("trang làm việc lãnh đạo", "/"), ("danh sách xử lý", "/mot-cua/xu-ly/"),
                              ("hồ sơ đang xử lý", f"/mot-cua/ho-so/{processing.code}/"),
                              ("xử lý hồ sơ", f"/mot-cua/ho-so/{processing.code}/xu-ly/"),
                              ("báo cáo kết quả", "/bao-cao/ket-qua/")]))
    if found:
        pytest.fail("WCAG 2.1 AA violations on officer pages (1280 px):" + report(found), pytrace=False)


# -- the keyboard alone -------------------------------------------------------------------------------

FOCUS_PROBE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const key = el.type === 'radio' ? 'radio:' + el.name : (el.id || el.getAttribute('name') || '');
  return {key: key, id: el.id, name: el.getAttribute('name') || '', tag: el.tagName.toLowerCase(),
          type: el.getAttribute('type') || '', text: (el.innerText || '').trim().slice(0, 60),
          href: el.getAttribute('href') || '',
          outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
          shadow: style.boxShadow !== 'none',
          top: box.top + window.scrollY, left: box.left + window.scrollX, width: box.width, height: box.height};
}"""

# The fields a person can fill now (not hidden, not in a closed <details>); a radio group is one Tab stop,
# so it is listed once, by its name.
FIELDS = """(selector) => Array.from(document.querySelectorAll(selector))
  .filter(el => !el.disabled && el.type !== 'hidden' && el.checkVisibility())
  .map(el => el.type === 'radio' ? 'radio:' + el.name : (el.id || el.name))
  .filter((key, i, all) => all.indexOf(key) === i)"""

# Start the Tab sequence at the very top of the document, whatever had the focus before.
FOCUS_TOP = """() => {
  const start = document.createElement('span');
  start.tabIndex = -1;
  document.body.prepend(start);
  start.focus();
  start.addEventListener('blur', () => start.remove(), {once: true});
  window.scrollTo(0, 0);
}"""


def tab_through(page, limit: int = 200) -> list[dict]:
    """Press Tab from the top of the page until the focus leaves the page or comes back; what got it."""
    page.evaluate(FOCUS_TOP)
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_PROBE)
        if focused is None or (seen and focused == seen[0]):
            break
        seen.append(focused)
    return seen


def check_keyboard(page, form_selector: str) -> list[str]:
    """A skip link comes first and leads to the main content; every field of the form gets the focus, in
    the order the eye reads them (top to bottom, then left to right on one line); the focus is visible."""
    problems = []
    stops = tab_through(page)
    if not stops or not stops[0]["href"].startswith("#"):
        problems.append(f"the first Tab stop is not a skip link: {stops[:1]}")
    else:
        target = page.locator(stops[0]["href"])
        if target.count() != 1:
            problems.append(f"the skip link points to {stops[0]['href']}, which is not on the page")
    invisible = [s for s in stops if not (s["outline"] or s["shadow"])]
    if invisible:
        problems.append(f"focus not visible on: {[s['id'] or s['name'] or s['text'] for s in invisible]}")
    fields = page.evaluate(FIELDS, f"{form_selector} input, {form_selector} select, {form_selector} textarea")
    reached = [s["key"] for s in stops]
    missing = [f for f in fields if f not in reached]
    if missing:
        problems.append(f"fields Tab never reaches: {missing}")
    # Visual order: the next field is further down the page, or on the same line (the boxes overlap
    # vertically) and to the right.
    positions = [s for s in stops if s["key"] in fields and s["height"] > 0]
    for before, after in itertools.pairwise(positions):
        same_line = after["top"] < before["top"] + before["height"] and before["top"] < after["top"] + after["height"]
        if (not same_line and after["top"] < before["top"]) or (same_line and after["left"] < before["left"]):
            problems.append(f"Tab goes from {before['key']} back to {after['key']}, which comes before it on screen")
    return problems


def test_intake_screen_with_the_keyboard_alone(desktop):
    page = desktop.page
    desktop.login("lan", DEMO_PASSWORD)
    page.goto("/mot-cua/tiep-nhan/")
    page.fill("#procedure-q", "luu tru")
    suggestion = page.locator("#procedure-suggestions a", has_text="1.013934")
    suggestion.wait_for()
    suggestion.focus()
    page.keyboard.press("Enter")  # a suggestion is chosen with the keyboard too
    page.wait_for_selector("text=Thành phần hồ sơ")
    problems = check_keyboard(page, "main form")
    if problems:
        pytest.fail("keyboard use of the counter intake screen:\n" + "\n".join(problems), pytrace=False)


def test_online_declaration_with_the_keyboard_alone(browse, hung_dossiers):
    phone = browse(viewport=NARROW_PHONE, is_mobile=True, has_touch=True)
    page = phone.page
    phone.login("hung", DEMO_PASSWORD)
    draft = hung_dossiers["draft"]
    problems = []
    for step in ["to-khai", "giay-to", "xem-lai"]:
        page.goto(f"/cong/ho-so-nhap/{draft.pk}/{step}/")
        problems += [f"{step}: {p}" for p in check_keyboard(page, "main form")]
    assert Draft.objects.filter(pk=draft.pk, dossier__isnull=True).exists()
    if problems:
        pytest.fail("keyboard use of the online submission:\n" + "\n".join(problems), pytrace=False)
