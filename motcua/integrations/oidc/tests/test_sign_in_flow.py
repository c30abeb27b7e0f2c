"""The whole authorization-code flow over real HTTP: the relying party (Django test client) talks to the
local provider served by a live server — discovery, token exchange, JWKS and userinfo all go over HTTP."""

from __future__ import annotations

import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from motcua.dossiers.models import Applicant, ApplicantKind
from motcua.org.models import AuditEntry, Role, RoleAssignment, User

REDIRECT_URI = "http://testserver/dang-nhap/vneid/callback/"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def browser():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())


def open_url(opener, url, data=None):
    try:
        return opener.open(url, data=urllib.parse.urlencode(data).encode() if data else None, timeout=10)
    except urllib.error.HTTPError as exc:
        return exc


def hidden_fields(html: str) -> dict:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


@pytest.fixture
def provider(live_server, settings):
    settings.OIDC_DEV_PROVIDER_ENABLED = True
    settings.OIDC_ISSUER = f"{live_server.url}/oidc-dev"
    settings.OIDC_REDIRECT_URI = REDIRECT_URI
    settings.ALLOWED_HOSTS = ["*"]
    return live_server


def test_citizen_signs_in_through_the_local_provider_over_http(provider, client):
    Applicant.objects.create(kind=ApplicantKind.CITIZEN, identifier="042190005678", name="Trần Thị Bình")

    start = client.get("/dang-nhap/vneid/?next=/")
    assert start.status_code == 302
    authorize_url = start["Location"]
    assert authorize_url.startswith(f"{provider.url}/oidc-dev/authorize/?")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(authorize_url).query)
    assert query["code_challenge_method"] == ["S256"] and query["state"] and query["nonce"]

    # The citizen's browser at the provider: the page lists demo citizens; she picks Trần Thị Bình.
    opener = browser()
    page = open_url(opener, authorize_url)
    html = page.read().decode()
    assert page.status == 200 and "Trần Thị Bình" in html
    form = hidden_fields(html)
    back = open_url(opener, f"{provider.url}/oidc-dev/authorize/", {**form, "demo": "042190005678"})
    assert back.status == 302
    callback = back.headers["Location"]
    assert callback.startswith(REDIRECT_URI)

    # Back at the relying party: the code is exchanged over HTTP, the ID token checked, the citizen signed in.
    done = client.get(callback.removeprefix("http://testserver"))
    assert done.status_code == 302 and done["Location"] == "/"
    person = User.objects.get(personal_id="042190005678")
    assert int(client.session["_auth_user_id"]) == person.pk
    assert person.full_name == "Trần Thị Bình" and person.phone == "0912888777" and person.email == "binh@example.vn"
    assignment = RoleAssignment.objects.get(user=person)
    assert assignment.role == Role.CITIZEN and assignment.unit.code == "000.00.00.H27"
    assert Applicant.objects.get(identifier="042190005678").user == person
    actions = set(AuditEntry.objects.filter(object_id__in=[str(person.pk)]).values_list("action", flat=True))
    assert {"person.create"} <= actions
    assert AuditEntry.objects.filter(action="oidc.identity_link").exists()
    assert AuditEntry.objects.filter(action="applicant.link_account").exists()

    # The same redirect again: the pending sign-in is spent, and the provider refuses the spent code too.
    replay = client.get(callback.removeprefix("http://testserver"))
    assert replay.status_code == 400
    code = urllib.parse.parse_qs(urllib.parse.urlsplit(callback).query)["code"][0]
    again = open_url(browser(), f"{provider.url}/oidc-dev/token/", {
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI,
        "client_id": "motcua", "client_secret": "dev-oidc-client-secret-change-me-0001", "code_verifier": "x" * 50})
    assert again.status == 400 and json.loads(again.read())["error"] == "invalid_grant"

    # Signing in a second time finds the same account, without a second role.
    client.logout()
    start = client.get("/dang-nhap/vneid/")
    page = open_url(opener, start["Location"])
    back = open_url(opener, f"{provider.url}/oidc-dev/authorize/",
                    {**hidden_fields(page.read().decode()), "demo": "042190005678"})
    assert client.get(back.headers["Location"].removeprefix("http://testserver")).status_code == 302
    assert User.objects.filter(personal_id="042190005678").count() == 1
    assert RoleAssignment.objects.filter(user=person).count() == 1


def test_an_unreachable_provider_gives_a_plain_vietnamese_message(client, settings, caplog):
    """Found in the acceptance walk: the citizen read "<urlopen error [Errno 111] Connection refused>"."""
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.OIDC_ISSUER = f"http://127.0.0.1:{port}/oidc-dev"
    response = client.get("/dang-nhap/vneid/?next=/cong/")
    html = response.content.decode()
    assert response.status_code == 502
    assert "Không kết nối được nhà cung cấp định danh. Vui lòng thử lại sau ít phút." in html
    assert "Errno" not in html and "urlopen" not in html and "refused" not in html
    assert f"127.0.0.1:{port}" in caplog.text  # the detail is in the log for the administrator
