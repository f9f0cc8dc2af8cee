"""Forms of the agency administration pages; every error at its field, in Vietnamese."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator

from accounts.constants import StaffRole
from accounts.forms import (
    MSG_EMAIL_TAKEN,
    NewPasswordMixin,
    PortalFormMixin,
    clean_phone_value,
    email_field,
    email_taken,
    phone_field,
)
from accounts.models import User
from procedures.constants import ServiceLevel

from .services import roles_errors

USERNAME_PATTERN = re.compile(r"^[a-z0-9]+(?:[._-][a-z0-9]+)*$")
MSG_USERNAME = (
    "Tên đăng nhập gồm 3–50 chữ cái không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới, "
    "ví dụ: chuyenvien.stp; không được chỉ gồm chữ số."
)
MAX_FEE = 10_000_000_000
MSG_AMOUNT = "Nhập số tiền bằng số nguyên, đơn vị đồng, ví dụ 15000."


class OfficerForm(PortalFormMixin, forms.Form):
    """The officer's name, contacts and roles at the agency."""

    full_name = forms.CharField(label="Họ và tên", max_length=200)
    email = email_field()
    phone = phone_field()
    roles = forms.MultipleChoiceField(
        label="Vai trò tại cơ quan",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Bạn không được giao vai trò này."},
    )
    department = forms.CharField(
        label="Phòng, ban",
        max_length=200,
        required=False,
        help_text="Bắt buộc với chuyên viên xử lý và lãnh đạo phòng, ví dụ: Phòng Hành chính tư pháp.",
        widget=forms.TextInput(attrs={"list": "departments", "autocomplete": "off"}),
    )

    def __init__(self, *args, roles: list[str], instance_pk: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance_pk = instance_pk
        self.fields["roles"].choices = [(role, StaffRole(role).label) for role in roles]
        self.fields["roles"].error_messages["required"] = "Chọn ít nhất một vai trò."
        self.fields["email"].required = True
        self.fields["email"].help_text = "Để cán bộ nhận thông báo và tự đặt lại mật khẩu khi quên."
        self.fields["email"].error_messages["required"] = "Vui lòng nhập email công vụ của cán bộ."

    def clean_full_name(self):
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data.get("email", "") or "")
        if email and email_taken(email, exclude_pk=self.instance_pk):
            raise ValidationError(MSG_EMAIL_TAKEN, code="email_taken")
        return email

    def clean_phone(self):
        return clean_phone_value(self.cleaned_data.get("phone", ""))

    def clean_department(self):
        return " ".join(self.cleaned_data.get("department", "").split())

    def clean(self):
        cleaned = super().clean()
        if "roles" in cleaned and "department" in cleaned:
            allowed = [value for value, _ in self.fields["roles"].choices]
            for field, message in roles_errors(cleaned["roles"], cleaned["department"], allowed).items():
                self.add_error(field, message)
        return cleaned


class OfficerCreateForm(NewPasswordMixin, OfficerForm):
    """A new officer's account: a login name and a first password besides."""

    username = forms.CharField(
        label="Tên đăng nhập",
        max_length=50,
        help_text="Chữ không dấu, ví dụ: chuyenvien2.stp.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}),
    )
    password1 = NewPasswordMixin.password_field()
    field_order = ["username", "full_name", "email", "phone", "roles", "department", "password1"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = "Mật khẩu ban đầu"
        self.fields["password1"].help_text = (
            "Ít nhất 8 ký tự, không quá phổ biến và không chỉ gồm chữ số. Trao cho cán bộ; "
            "cán bộ nên tự đổi sau lần đăng nhập đầu."
        )

    def clean_username(self):
        username = self.cleaned_data["username"].strip().lower()
        if len(username) < 3 or not USERNAME_PATTERN.match(username) or username.isdigit():
            raise ValidationError(MSG_USERNAME, code="username")
        if User.objects.filter(username=username).exists():
            raise ValidationError("Tên đăng nhập này đã có người dùng; hãy chọn tên khác.", code="taken")
        return username

    def clean(self):
        cleaned = super().clean()
        self.check_passwords(
            cleaned,
            User(
                username=cleaned.get("username", ""),
                email=cleaned.get("email", ""),
                first_name=cleaned.get("full_name", ""),
            ),
        )
        return cleaned


def _amount_field(label: str, required: bool) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        validators=[MaxValueValidator(MAX_FEE)],
        error_messages={
            "required": "Vui lòng nhập số tiền.",
            "invalid": MSG_AMOUNT,
            "min_value": "Số tiền không được âm.",
            "max_value": "Số tiền quá lớn (tối đa 10 tỷ đồng).",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "1"}),
    )


class ProcedureAgencyForm(PortalFormMixin, forms.Form):
    """The agency's service level for a procedure and, where the agency may, its fee amounts:
    one ``fee_<n>`` and ``fee_<n>_online`` per fee line of the working version."""

    service_level = forms.TypedChoiceField(
        label="Mức độ dịch vụ công tại cơ quan",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Chọn một mức độ trong danh sách."},
    )

    def __init__(self, *args, general_level: int, fees: list, fees_editable: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_level"].choices = [
            ("", f"Như mức chung của thủ tục ({ServiceLevel(general_level).label})"),
            *ServiceLevel.choices,
        ]
        self.fee_rows = []
        for index, fee in enumerate(fees):
            row = {"fee": fee, "amount": None, "online": None}
            if fees_editable:
                amount = f"fee_{index}"
                online = f"fee_{index}_online"
                self.fields[amount] = _amount_field(f"{fee.get_kind_display()}: {fee.name} – số tiền (đồng)", True)
                self.fields[online] = _amount_field("Khi nộp trực tuyến (đồng; để trống nếu như trên)", False)
                self.initial.setdefault(amount, fee.amount)
                self.initial.setdefault(online, fee.online_amount)
                row["amount"], row["online"] = amount, online
            self.fee_rows.append(row)
        self.fees_editable = fees_editable

    def bound_fee_rows(self):
        return [
            {
                "fee": row["fee"],
                "amount": row["amount"] and self[row["amount"]],
                "online": row["online"] and self[row["online"]],
            }
            for row in self.fee_rows
        ]

    def fee_values(self) -> list[dict] | None:
        if not self.fees_editable:
            return None
        return [
            {"amount": self.cleaned_data[row["amount"]], "online_amount": self.cleaned_data[row["online"]]}
            for row in self.fee_rows
        ]
