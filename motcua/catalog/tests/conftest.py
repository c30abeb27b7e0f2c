"""Small builders for catalog tests: a decision and a procedure entry in the interchange form."""

from __future__ import annotations

import copy

import pytest

ARCHIVE_STEPS = [
    {"unit": "000.01.30.H27", "role": "one_stop_officer", "budget": "0.5", "description": "Tiếp nhận, chuyển hồ sơ"},
    {"unit": "000.01.12.H27", "role": "head_of_unit", "budget": "0.5", "description": "Phân công xử lý"},
    {"unit": "000.04.12.H27", "role": "specialist", "budget": "7", "description": "Thẩm định hồ sơ"},
    {"unit": "000.01.12.H27", "role": "head_of_unit", "budget": "0.5", "description": "Xem xét, trình lãnh đạo"},
    {"unit": "000.00.12.H27", "role": "agency_leader", "budget": "1", "description": "Phê duyệt"},
    {"unit": "000.01.12.H27", "role": "specialist", "budget": "0.5", "description": "Vào sổ, đóng dấu"},
    {"unit": "000.01.30.H27", "role": "one_stop_officer", "budget": "0", "counted": False,
     "description": "Trả kết quả"},
]


def make_entry(code="1.013934", *, kind="new", name="Cấp Giấy chứng nhận đủ điều kiện kinh doanh dịch vụ lưu trữ",
               days="10", fee=None, steps=True, configured_on="2025-11-28", **extra):
    case = {
        "name": "", "processing_time": days, "time_unit": "days",
        "components": [
            {"name": "Đơn đề nghị cấp Giấy chứng nhận", "originals": 1, "copies": 0, "required": True,
             "form_name": "Mẫu số 01"},
            {"name": "Căn cước của người đại diện", "originals": 0, "copies": 1, "required": True,
             "document_type": "CCCD"},
        ],
        "fees": [{"kind": "fee", "name": "Phí thẩm định", "amount": fee, "legal_basis": "TT 92/2021/TT-BTC"}]
        if fee is not None else [],
        "steps": copy.deepcopy(ARCHIVE_STEPS) if steps else [],
        "process_configured_on": configured_on if steps else None,
    }
    entry = {
        "code": code, "kind": kind, "name": name, "field_code": "VTLT", "field_name": "Văn thư, lưu trữ",
        "level": "province", "agency": "000.00.12.H27", "receiving_place": "Trung tâm Phục vụ hành chính công tỉnh",
        "applicants": "organisation", "online_level": "full", "postal_allowed": True, "inter_agency": False,
        "result_name": "Giấy chứng nhận đủ điều kiện kinh doanh dịch vụ lưu trữ", "result_kind": "Giấy chứng nhận",
        "legal_basis": "Luật Lưu trữ 2024", "cases": [case],
    }
    entry.update(extra)
    return entry


def make_decision(number="2028/QĐ-UBND", signed_on="2025-11-28", effective_from=None, **extra):
    data = {"number": number, "signed_on": signed_on, "signer": "Chủ tịch UBND tỉnh",
            "effective_from": effective_from or signed_on, "issuer": "000.00.00.H27", "title": "Công bố TTHC"}
    data.update(extra)
    return data


@pytest.fixture
def publish(db):
    from motcua.catalog.actions import publish_decision

    def _publish(entries, acting_user=None, **decision):
        return publish_decision(decision=make_decision(**decision), entries=entries, acting_user=acting_user)

    return _publish


@pytest.fixture(autouse=True)
def empty_catalog(db):
    """Catalog tests build their own catalog: start each from an empty one (the session test database
    holds the demo catalog for the apps that read it; this emptying is rolled back after the test)."""
    from motcua.catalog.models import Field, Procedure, ProcedureVersion, PublicationDecision

    ProcedureVersion.objects.all().delete()
    Procedure.objects.all().delete()
    PublicationDecision.objects.all().delete()
    Field.objects.all().delete()
