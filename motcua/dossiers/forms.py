"""The counter intake form: applicant, channel, the checklist of the chosen version and case (a tick,
a file and a reason per component), and what the supplement request and the refusal need.

The form only parses and checks types; the business checks (ID number, procedure in force, required
components, postal waybill) are `intake.receive_dossier`'s, and its `IntakeError` comes back onto the
form next to the fields (`apply_intake_errors`)."""

from __future__ import annotations

import hashlib
import uuid

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from motcua.catalog.models import Component, ProcedureCase, ProcedureVersion
from motcua.dossiers.files import CheckedFile, FileCheckError, check_file
from motcua.dossiers.intake import ApplicantData, IntakeRequest, ReuseOffer, reuse_field
from motcua.dossiers.models import ApplicantKind, Channel, ReturnChannel
from motcua.lib.text import nfc
from motcua.org.models import Unit

DATE_FORMAT = "%d/%m/%Y"
EXTRA_ITEMS = 3
DEFAULT_MISSING_REASON = _l("Chưa có trong hồ sơ")
COUNTER_CHANNELS = [(Channel.DIRECT.value, Channel.DIRECT.label), (Channel.POSTAL.value, Channel.POSTAL.label)]

# Fields of IntakeError that are not form fields, shown by the section they belong to.
SECTION_ERRORS = ("procedure", "components", "__all__")
# Errors of the action that belong to another section of the form.
SECTION_OF = {"reused": "components"}


def _is_record_id(value: str) -> bool:
    return value.isdigit() and len(value) <= 18  # fits a bigint


def offer_label(offer: ReuseOffer) -> str:
    until = (_("hiệu lực đến %(day)s") % {"day": offer.valid_until.strftime(DATE_FORMAT)}
             if offer.valid_until else _("không thời hạn"))
    return _("Dùng giấy tờ đã có trong kho: %(name)s, %(until)s") % {"name": offer.name, "until": until}


def _date_field(label):
    return forms.DateField(label=label, required=False, input_formats=[DATE_FORMAT],
                           widget=forms.DateInput(format=DATE_FORMAT, attrs={"placeholder": "dd/mm/yyyy",
                                                                            "inputmode": "numeric"}),
                           error_messages={"invalid": _l("Ngày phải theo dạng dd/mm/yyyy, ví dụ 17/11/2025.")})


class ApplicantFields(forms.Form):
    """The applicant part, also rendered alone by the ID-number lookup."""

    applicant_kind = forms.ChoiceField(label=_l("Người nộp là"), choices=ApplicantKind.choices,
                                       initial=ApplicantKind.CITIZEN, widget=forms.RadioSelect)
    applicant_identifier = forms.CharField(
        label=_l("Số định danh cá nhân / mã số doanh nghiệp"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    applicant_name = forms.CharField(label=_l("Họ tên / tên tổ chức"), max_length=255, required=False)
    applicant_birth_date = _date_field(_l("Ngày sinh"))
    applicant_phone = forms.CharField(label=_l("Điện thoại"), max_length=20, required=False,
                                      widget=forms.TextInput(attrs={"inputmode": "tel"}))
    applicant_email = forms.EmailField(label=_l("Thư điện tử"), required=False,
                                       error_messages={"invalid": _l("Địa chỉ thư điện tử không hợp lệ.")})
    applicant_address = forms.CharField(label=_l("Địa chỉ"), max_length=500, required=False)

    def applicant_fields(self) -> list:
        return [self[name] for name in ("applicant_name", "applicant_birth_date", "applicant_phone",
                                        "applicant_email", "applicant_address")]


class IntakeForm(ApplicantFields):
    procedure = forms.IntegerField(widget=forms.HiddenInput)
    intake_key = forms.CharField(widget=forms.HiddenInput, required=False)
    desk = forms.ModelChoiceField(label=_l("Bộ phận tiếp nhận"), queryset=Unit.objects.none(), empty_label=None)
    case = forms.ModelChoiceField(label=_l("Trường hợp"), queryset=ProcedureCase.objects.none(), empty_label=None)

    authorised_name = forms.CharField(label=_l("Họ tên người được ủy quyền"), max_length=255, required=False)
    authorised_identifier = forms.CharField(
        label=_l("Số định danh cá nhân của người được ủy quyền"), max_length=16, required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))

    channel = forms.ChoiceField(label=_l("Hình thức nộp"), choices=COUNTER_CHANNELS, initial=Channel.DIRECT,
                                widget=forms.RadioSelect)
    postal_waybill = forms.CharField(label=_l("Mã vận đơn bưu chính"), max_length=64, required=False)
    postal_handed_on = _date_field(_l("Ngày bưu điện chuyển đến"))
    return_channel = forms.ChoiceField(label=_l("Nhận kết quả"), choices=ReturnChannel.choices,
                                       initial=ReturnChannel.COUNTER, widget=forms.RadioSelect)
    sets_count = forms.IntegerField(label=_l("Số bộ hồ sơ"), min_value=1, max_value=50, initial=1,
                                    error_messages={"min_value": _l("Số bộ hồ sơ ít nhất là 1."),
                                                    "max_value": _l("Số bộ hồ sơ tối đa là 50."),
                                                    "required": _l("Cần nhập số bộ hồ sơ."),
                                                    "invalid": _l("Số bộ hồ sơ phải là số.")})

    supplement_note = forms.CharField(label=_l("Ghi chú, hướng dẫn thêm"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    refusal_reason = forms.CharField(label=_l("Lý do từ chối"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, version: ProcedureVersion, case: ProcedureCase, desks,
                 offers: dict[int, list[ReuseOffer]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.case = case
        self.offers = offers or {}
        self.components: list[Component] = list(case.components.all())
        self.section_errors: dict[str, list[str]] = {}
        self.checked_files: list[tuple[int, CheckedFile]] = []
        self.fields["procedure"].initial = version.pk
        self.fields["desk"].queryset = desks
        self.fields["case"].queryset = version.cases.all()
        self.fields["case"].initial = case.pk
        if not self.is_bound:
            self.fields["intake_key"].initial = uuid.uuid4().hex
        if len(desks) == 1:
            self.fields["desk"].initial = desks[0].pk
        for component in self.components:
            self.fields[f"present_{component.pk}"] = forms.BooleanField(label=_l("có"), required=False)
            self.fields[f"file_{component.pk}"] = forms.FileField(label=_l("Tệp quét / tải lên"), required=False)
            self.fields[f"reason_{component.pk}"] = forms.CharField(
                label=_l("Lý do nếu thiếu"), required=False, max_length=500,
                widget=forms.TextInput(attrs={"placeholder": str(DEFAULT_MISSING_REASON)}))
            if component.document_type:
                # A document the applicant already holds, instead of a new paper: any record id is
                # accepted here; whether it is theirs, valid and of the right type is the action's check.
                choices = [("", _("Không dùng"))] + [(str(o.record_id), offer_label(o))
                                                     for o in self.offers.get(component.pk, [])]
                self.fields[reuse_field(component.pk)] = forms.CharField(
                    label=_l("Giấy tờ đã có trong kho dữ liệu"), required=False,
                    widget=forms.RadioSelect(choices=choices))
        for i in range(1, EXTRA_ITEMS + 1):
            self.fields[f"extra_name_{i}"] = forms.CharField(label=_l("Giấy tờ, nội dung khác"), required=False,
                                                             max_length=1000)
            self.fields[f"extra_reason_{i}"] = forms.CharField(label=_l("Lý do"), required=False, max_length=500)

    # -- what the template walks --------------------------------------------------------------
    def component_rows(self) -> list[dict]:
        return [{"component": c, "present": self[f"present_{c.pk}"], "file": self[f"file_{c.pk}"],
                 "reason": self[f"reason_{c.pk}"], "reuse": self.reuse_box(c)} for c in self.components]

    def reuse_box(self, component: Component) -> dict | None:
        """The reuse choice of a component that names a document type (None otherwise); `show` when
        there is something to choose, a choice made, or an error to show."""
        name = reuse_field(component.pk)
        if name not in self.fields:
            return None
        field = self[name]
        show = bool(self.offers.get(component.pk)) or bool(field.value()) or bool(field.errors)
        return {"field": field, "show": show, "component": component}

    def extra_rows(self) -> list[dict]:
        return [{"name": self[f"extra_name_{i}"], "reason": self[f"extra_reason_{i}"]}
                for i in range(1, EXTRA_ITEMS + 1)]

    @property
    def had_files(self) -> bool:
        return bool(self.files)

    # -- checks ---------------------------------------------------------------------------------
    def clean(self):
        data = super().clean()
        for component in self.components:
            value = (data.get(reuse_field(component.pk)) or "").strip()
            if value and not _is_record_id(value):
                self.add_error(reuse_field(component.pk), _("Giấy tờ đã chọn trong kho không hợp lệ."))
        if data.get("case") is not None and data["case"].version_id != self.version.pk:
            self.add_error("case", _("Trường hợp không thuộc thủ tục đã chọn."))
        return data

    def check_uploads(self) -> bool:
        """Check every uploaded file by content; errors go next to the component's file input."""
        seen: dict[str, str] = {}
        self.checked_files = []
        for component in self.components:
            upload = self.cleaned_data.get(f"file_{component.pk}")
            if not upload:
                continue
            name = nfc(upload.name)
            content = upload.read()
            try:
                checked = check_file(name, content)
            except FileCheckError as exc:
                self.add_error(f"file_{component.pk}", str(exc))
                continue
            digest = hashlib.sha256(content).hexdigest()
            if digest in seen:
                self.add_error(f"file_{component.pk}", _("Tệp “%(name)s” trùng nội dung với tệp “%(other)s”.")
                               % {"name": name, "other": seen[digest]})
                continue
            seen[digest] = name
            self.checked_files.append((component.pk, checked))
        return not any(f"file_{c.pk}" in self.errors for c in self.components)

    def apply_intake_errors(self, errors: dict[str, list[str]]) -> None:
        for field, messages in errors.items():
            for message in messages:
                if field in self.fields and field not in SECTION_ERRORS:
                    self.add_error(field, message)
                else:
                    key = "general" if field == "__all__" else SECTION_OF.get(field, field)
                    self.section_errors.setdefault(key, []).append(message)

    # -- what the actions take --------------------------------------------------------------------
    def applicant_data(self) -> ApplicantData:
        d = self.cleaned_data
        return ApplicantData(kind=d.get("applicant_kind") or ApplicantKind.CITIZEN,
                             identifier=d.get("applicant_identifier", ""), name=d.get("applicant_name", ""),
                             birth_date=d.get("applicant_birth_date"), phone=d.get("applicant_phone", ""),
                             email=d.get("applicant_email", ""), address=d.get("applicant_address", ""))

    def present_components(self) -> set[int]:
        return {c.pk for c in self.components if self.cleaned_data.get(f"present_{c.pk}")}

    def reused(self) -> list[tuple[int, int]]:
        """(component id, record id) of every component for which a document in the records was chosen."""
        chosen = []
        for component in self.components:
            value = (self.cleaned_data.get(reuse_field(component.pk)) or "").strip()
            if _is_record_id(value):
                chosen.append((component.pk, int(value)))
        return chosen

    def intake_request(self) -> IntakeRequest:
        d = self.cleaned_data
        return IntakeRequest(
            version=self.version, case=d["case"], channel=d["channel"], applicant=self.applicant_data(),
            desk=d["desk"], present_components=self.present_components(), files=list(self.checked_files),
            reused=self.reused(),
            return_channel=d["return_channel"], sets_count=d["sets_count"],
            authorised_name=d.get("authorised_name", ""), authorised_identifier=d.get("authorised_identifier", ""),
            postal_waybill=d.get("postal_waybill", "") if d["channel"] == Channel.POSTAL else "",
            postal_handed_on=d.get("postal_handed_on") if d["channel"] == Channel.POSTAL else None,
        )

    def supplement_items(self) -> list[dict]:
        """Every required component not ticked, then the officer's own items — all in one request."""
        items = []
        present = self.present_components() | {component_id for component_id, _record in self.reused()}
        for component in self.components:
            if component.required and component.pk not in present:
                reason = nfc(self.cleaned_data.get(f"reason_{component.pk}", "")) or str(DEFAULT_MISSING_REASON)
                items.append({"name": component.name, "reason": reason})
        for i in range(1, EXTRA_ITEMS + 1):
            name = nfc(self.cleaned_data.get(f"extra_name_{i}", ""))
            if name:
                items.append({"name": name, "reason": nfc(self.cleaned_data.get(f"extra_reason_{i}", ""))})
        return items
