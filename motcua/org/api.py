from __future__ import annotations

from ninja import Router, Schema

from motcua.org.selectors import grants_of, roles_of

router = Router(tags=["Tổ chức"])


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str


class GrantOut(Schema):
    role: str
    role_label: str
    unit: UnitOut
    includes_subunits: bool
    delegated_by: str | None


class MeOut(Schema):
    username: str
    full_name: str
    roles: list[str]
    grants: list[GrantOut]


@router.get("/me", response=MeOut, summary="Người gọi: vai trò và đơn vị")
def me(request):
    user = request.auth
    grants = grants_of(user)
    return {
        "username": user.username,
        "full_name": user.full_name,
        "roles": sorted(roles_of(user)),
        "grants": [
            {
                "role": g.role,
                "role_label": str(g.role_label),
                "unit": {"id": g.unit.pk, "code": g.unit.code, "name": g.unit.name, "kind": g.unit.kind},
                "includes_subunits": g.includes_subunits,
                "delegated_by": g.delegated_by.username if g.delegated_by else None,
            }
            for g in grants
        ],
    }
