"""`GET /api/v1/public/status/{code}?check=NNNN`: a dossier's status, appointment and history without
personal data, for anyone holding the code and the last 4 digits of the applicant's phone or ID number.

No token. A wrong check answers 404 exactly like an unknown code; failures are counted per address and
too many answer 429 (Vietnamese message) until the window passes.
"""

from __future__ import annotations

from ninja import Router
from ninja.errors import HttpError

from motcua.org.middleware import client_ip
from motcua.portal import actions, selectors

router = Router(tags=["Tra cứu công khai"], auth=None)

NOT_FOUND = "Không tìm thấy hồ sơ với mã và 4 số kiểm tra đã nhập."


@router.get("/public/status/{code}", url_name="api_public_status", summary="Tra cứu tình trạng hồ sơ (công khai)")
def public_status(request, code: str, check: str = ""):
    """`check`: the last 4 digits of the applicant's phone number or ID number."""
    ip = client_ip(request)
    answer = selectors.lookup_status(code, check, ip=ip)
    if answer.throttled:
        _allowed, minutes = selectors.lookup_limit()
        raise HttpError(429, f"Bạn đã tra cứu sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút.")
    if answer.status is None:
        actions.record_lookup_failure(ip=ip)
        raise HttpError(404, NOT_FOUND)
    return answer.status.as_json()
