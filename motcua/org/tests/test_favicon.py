"""Every page links a real icon, and /favicon.ico (which browsers ask for on their own) answers."""

import xml.etree.ElementTree as ET

from django.contrib.staticfiles import finders


def test_favicon_is_linked_and_answers(client, db):
    icon = finders.find("favicon.svg")
    root = ET.parse(icon).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("viewBox") == "0 0 32 32"
    for path in ["/cong/", "/dang-nhap/"]:
        assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in client.get(path).content.decode()
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/favicon.svg"
