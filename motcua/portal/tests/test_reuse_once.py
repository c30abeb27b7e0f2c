"""One document from "my documents" answers one component: once picked for a component, it is no longer
offered for another component of the same type (and refused if sent anyway); clearing the choice offers it
again."""

from motcua.portal import actions
from motcua.portal.models import Draft

from .conftest import DECLARATION


def test_a_picked_record_is_not_offered_again_for_another_component(client, citizen, work_permit, passport):
    case = work_permit.cases.first()
    _first, second, third = list(case.components.all())[:3]
    case.components.filter(pk__in=[second.pk, third.pk]).update(document_type=passport.document_type)
    draft = actions.start_draft(version=work_permit, case=case, acting_user=citizen)
    actions.save_declaration(draft=draft, values=DECLARATION, valid=True, acting_user=citizen)
    client.force_login(citizen)
    url = f"/cong/ho-so-nhap/{draft.pk}/giay-to/"
    radio = f'value="{passport.pk}"'
    body = client.get(url).content.decode()
    assert f'name="record_{second.pk}" {radio}' in body and f'name="record_{third.pk}" {radio}' in body

    client.post(url, {"component": third.pk, "action": "reuse", f"record_{third.pk}": passport.pk})
    body = client.get(url).content.decode()
    assert f'name="record_{second.pk}" {radio}' not in body          # not offered for the other component
    assert "Dùng giấy tờ trong kho:" in body

    response = client.post(url, {"component": second.pk, "action": "reuse", f"record_{second.pk}": passport.pk},
                           follow=True)
    assert "đã được dùng cho thành phần" in response.content.decode()
    assert Draft.objects.get(pk=draft.pk).reuse == {str(third.pk): passport.pk}     # nothing changed

    client.post(url, {"component": third.pk, "action": "clear"})
    body = client.get(url).content.decode()
    assert f'name="record_{second.pk}" {radio}' in body                 # free again
