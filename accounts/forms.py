"""Forms for registration, login and the profile. Every error is shown at its field."""

import datetime

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils import timezone

from . import services
from .constants import AccountKind
from .identity import normalize_phone, validate_personal_id, validate_tax_code
from .models import User

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
MSG_REQUIRED = "Vui lòng nhập thông tin này."
MSG_ID_TAKEN = (
    "Số định danh này đã có tài khoản. Nếu đó là bạn, hãy đăng nhập hoặc dùng chức năng “Quên mật khẩu”; "
    "nếu không, xin liên hệ Trung tâm Phục vụ hành chính công."
)
MSG_EMAIL_TAKEN = "Địa chỉ email này đã được dùng cho một tài khoản khác."
MSG_TAX_TAKEN = "Mã số thuế này đã có tài khoản. Nếu đó là doanh nghiệp của bạn, hãy đăng nhập."
MSG_CONTACT = "Vui lòng nhập số điện thoại hoặc email (ít nhất một trong hai) để nhận thông báo về hồ sơ."


class DateInput(forms.DateInput):
    """``<input type=date>`` that also shows a date typed as dd/mm/yyyy after an error.

    Browsers without a date picker send what was typed; a date the browser can show
    must be yyyy-mm-dd, so a parseable typed value is converted back.
    """

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")

    def format_value(self, value):
        if isinstance(value, str):
            for fmt in DATE_INPUT_FORMATS:
                try:
                    return datetime.datetime.strptime(value.strip(), fmt).date().isoformat()
                except ValueError:
                    continue
            return value
        return super().format_value(value)


# Django 5.2 changed this message and its Vietnamese catalogue has not caught up.
PASSWORD_MESSAGES = {"password_too_short": "Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự."}  # nosec B105 # an error-message key, not a password


class VietnamesePasswordErrorsMixin:
    """Replace password validator messages still in English by Vietnamese ones."""

    def full_clean(self):
        super().full_clean()
        for errors in (self._errors or {}).values():
            for index, error in enumerate(errors.data):
                message = PASSWORD_MESSAGES.get(getattr(error, "code", None))
                if message and isinstance(error, ValidationError):
                    errors.data[index] = ValidationError(message, code=error.code, params=error.params)


class PortalFormMixin(VietnamesePasswordErrorsMixin):
    """Vietnamese 'required' message on every field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = MSG_REQUIRED


def date_of_birth_field(required=True) -> forms.DateField:
    return forms.DateField(
        label="Ngày sinh",
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(attrs={"autocomplete": "bday"}),
        help_text="Ví dụ: 02/05/1987.",
        error_messages={"invalid": "Ngày sinh không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 02/05/1987."},
    )


def clean_date_of_birth(value):
    if value is None:
        return value
    if value > timezone.localdate():
        raise ValidationError("Ngày sinh không thể ở tương lai.", code="future")
    if value.year < 1900:
        raise ValidationError("Ngày sinh không hợp lệ (trước năm 1900).", code="too_old")
    return value


def personal_id_field(label="Số định danh cá nhân (số CCCD)", help_text=None) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=20,
        help_text=help_text or "12 chữ số in trên thẻ Căn cước hoặc Căn cước công dân.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}),
    )


def phone_field() -> forms.CharField:
    return forms.CharField(
        label="Số điện thoại di động",
        required=False,
        max_length=20,
        help_text="Ví dụ: 0912345678.",
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )


def email_field() -> forms.EmailField:
    return forms.EmailField(
        label="Email",
        required=False,
        max_length=254,
        error_messages={"invalid": "Địa chỉ email không hợp lệ, ví dụ: ten@example.vn."},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


def clean_phone_value(value):
    return normalize_phone(value) if value else ""


def email_taken(email, exclude_pk=None) -> bool:
    qs = User.objects.filter(email__iexact=email)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


class ContactMixin:
    """Phone and/or e-mail: at least one, each checked and unique where it must be."""

    def clean_phone(self):
        return clean_phone_value(self.cleaned_data.get("phone", ""))

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data.get("email", "") or "")
        if email and email_taken(email, exclude_pk=getattr(self, "instance_pk", None)):
            raise ValidationError(MSG_EMAIL_TAKEN, code="email_taken")
        return email

    def check_contact(self, cleaned):
        given = cleaned.get("phone") or cleaned.get("email")
        if not given and not self.has_error("phone") and not self.has_error("email"):
            self.add_error("phone", MSG_CONTACT)


class NewPasswordMixin:
    """One new-password field with a "show password" switch (static/js/forms.js).

    No second "type it again" field: on a phone the show switch catches typos with
    one step less, as GOV.UK's pattern advises; the newcomer path counts every step.
    """

    password_fields = ("password1",)

    @staticmethod
    def password_field():
        return forms.CharField(
            label="Mật khẩu",
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "data-reveal": "1"}),
            help_text="Ít nhất 8 ký tự, không quá phổ biến và không chỉ gồm chữ số.",
        )

    def check_passwords(self, cleaned, user):
        p1 = cleaned.get("password1")
        if p1:
            try:
                password_validation.validate_password(p1, user)
            except ValidationError as error:
                self.add_error("password1", error)


class CitizenRegistrationForm(PortalFormMixin, ContactMixin, NewPasswordMixin, forms.Form):
    national_id = personal_id_field()
    full_name = forms.CharField(
        label="Họ và tên", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    date_of_birth = date_of_birth_field()
    phone = phone_field()
    email = email_field()
    password1 = NewPasswordMixin.password_field()

    def clean_national_id(self):
        number = validate_personal_id(self.cleaned_data["national_id"])
        if User.objects.filter(national_id=number).exists() or User.objects.filter(username=number).exists():
            raise ValidationError(MSG_ID_TAKEN, code="id_taken")
        return number

    def clean_full_name(self):
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_date_of_birth(self):
        return clean_date_of_birth(self.cleaned_data["date_of_birth"])

    def clean(self):
        cleaned = super().clean()
        number, dob = cleaned.get("national_id"), cleaned.get("date_of_birth")
        if number and dob:
            try:
                validate_personal_id(number, date_of_birth=dob)
            except ValidationError as error:
                self.add_error("national_id", error)
        self.check_contact(cleaned)
        self.check_passwords(
            cleaned,
            User(username=number or "", email=cleaned.get("email", ""), first_name=cleaned.get("full_name", "")),
        )
        return cleaned

    def save(self) -> User | None:
        data = self.cleaned_data
        return _registered(
            self,
            lambda: services.citizen_register(
                national_id=data["national_id"],
                full_name=data["full_name"],
                date_of_birth=data["date_of_birth"],
                phone=data["phone"],
                email=data["email"],
                password=data["password1"],
            ),
            id_field="national_id",
            taken=MSG_ID_TAKEN,
        )


class BusinessRegistrationForm(PortalFormMixin, ContactMixin, NewPasswordMixin, forms.Form):
    tax_code = forms.CharField(
        label="Mã số doanh nghiệp (mã số thuế)",
        max_length=20,
        help_text="10 chữ số; chi nhánh: 10 chữ số, dấu gạch ngang và 3 chữ số (0100109106-001).",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}),
    )
    organisation_name = forms.CharField(
        label="Tên doanh nghiệp, tổ chức",
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    full_name = forms.CharField(
        label="Họ và tên người đại diện theo pháp luật",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    representative_id = personal_id_field(label="Số định danh cá nhân của người đại diện")
    phone = phone_field()
    email = email_field()
    password1 = NewPasswordMixin.password_field()

    def clean_tax_code(self):
        code = validate_tax_code(self.cleaned_data["tax_code"])
        if User.objects.filter(username=code).exists() or User.objects.filter(tax_code=code).exists():
            raise ValidationError(MSG_TAX_TAKEN, code="tax_taken")
        return code

    def clean_representative_id(self):
        return validate_personal_id(self.cleaned_data["representative_id"])

    def clean_organisation_name(self):
        return " ".join(self.cleaned_data["organisation_name"].split())

    def clean_full_name(self):
        return " ".join(self.cleaned_data["full_name"].split())

    def clean(self):
        cleaned = super().clean()
        self.check_contact(cleaned)
        self.check_passwords(
            cleaned,
            User(
                username=cleaned.get("tax_code") or "",
                email=cleaned.get("email", ""),
                first_name=cleaned.get("organisation_name", ""),
            ),
        )
        return cleaned

    def save(self) -> User | None:
        data = self.cleaned_data
        return _registered(
            self,
            lambda: services.business_register(
                tax_code=data["tax_code"],
                organisation_name=data["organisation_name"],
                representative_name=data["full_name"],
                representative_id=data["representative_id"],
                phone=data["phone"],
                email=data["email"],
                password=data["password1"],
            ),
            id_field="tax_code",
            taken=MSG_TAX_TAKEN,
        )


def _registered(form, register, *, id_field, taken):
    """Run the registration service; a concurrent registration with the same number
    becomes an error at that field instead of a crash."""
    try:
        return register()
    except services.AccountTaken:
        form.add_error(id_field, ValidationError(taken, code="id_taken"))
        return None


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label="Số định danh cá nhân, mã số thuế hoặc email",
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Mật khẩu", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": (
            "Thông tin đăng nhập hoặc mật khẩu không đúng. Lưu ý: sau 5 lần nhập sai liên tiếp, "
            "việc đăng nhập sẽ bị tạm khóa 15 phút."
        ),
        "inactive": "Tài khoản này đang bị khóa. Xin liên hệ Trung tâm Phục vụ hành chính công.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = MSG_REQUIRED
        # AuthenticationForm sets the label from the username field; keep ours.
        self.fields["username"].label = "Số định danh cá nhân, mã số thuế hoặc email"
        self.fields["username"].max_length = 254
        self.fields["username"].widget.attrs["maxlength"] = 254


class ProfileForm(PortalFormMixin, ContactMixin, forms.ModelForm):
    """Citizens and officers: name, date of birth, ID number (until set), contact, address."""

    date_of_birth = date_of_birth_field(required=False)
    phone = phone_field()
    email = email_field()
    national_id = personal_id_field()

    class Meta:
        model = User
        fields = ["full_name", "date_of_birth", "national_id", "phone", "email", "address"]
        labels = {"full_name": "Họ và tên", "address": "Địa chỉ liên hệ"}
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "address": forms.TextInput(attrs={"autocomplete": "street-address"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance_pk = self.instance.pk
        self.id_locked = bool(self.instance.national_id)
        self.fields["full_name"].required = True
        if self.instance.kind == AccountKind.CITIZEN:
            self.fields["date_of_birth"].required = True
            self.fields["date_of_birth"].error_messages["required"] = MSG_REQUIRED
        if self.id_locked:
            # Shown read-only on the page; never taken from the request.
            del self.fields["national_id"]
        else:
            self.fields["national_id"].required = self.instance.kind == AccountKind.CITIZEN

    def clean_national_id(self):
        number = (self.cleaned_data.get("national_id") or "").strip()
        if not number:
            return None
        number = validate_personal_id(number)
        if User.objects.filter(national_id=number).exclude(pk=self.instance.pk).exists():
            raise ValidationError(MSG_ID_TAKEN, code="id_taken")
        return number

    def clean_full_name(self):
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_date_of_birth(self):
        return clean_date_of_birth(self.cleaned_data.get("date_of_birth"))

    def clean(self):
        cleaned = super().clean()
        number = self.instance.national_id if self.id_locked else cleaned.get("national_id")
        dob = cleaned.get("date_of_birth")
        if number and dob and not self.has_error("date_of_birth"):
            try:
                validate_personal_id(number, date_of_birth=dob)
            except ValidationError as error:
                field = "date_of_birth" if self.id_locked else "national_id"
                message = (
                    "Ngày sinh không khớp với số định danh cá nhân của tài khoản: " + error.messages[0]
                    if self.id_locked
                    else error
                )
                self.add_error(field, message)
        if self.instance.kind != AccountKind.OFFICER:
            self.check_contact(cleaned)
        return cleaned


class BusinessProfileForm(PortalFormMixin, ContactMixin, forms.ModelForm):
    """Business accounts: name, representative, contact, address. The tax code is fixed."""

    phone = phone_field()
    email = email_field()
    representative_id = personal_id_field(label="Số định danh cá nhân của người đại diện")

    class Meta:
        model = User
        fields = ["organisation_name", "full_name", "representative_id", "phone", "email", "address"]
        labels = {
            "organisation_name": "Tên doanh nghiệp, tổ chức",
            "full_name": "Họ và tên người đại diện theo pháp luật",
            "address": "Địa chỉ trụ sở",
        }
        widgets = {
            "organisation_name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "address": forms.TextInput(attrs={"autocomplete": "street-address"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance_pk = self.instance.pk
        self.fields["organisation_name"].required = True
        self.fields["full_name"].required = True

    def clean_representative_id(self):
        return validate_personal_id(self.cleaned_data["representative_id"])

    def clean(self):
        cleaned = super().clean()
        self.check_contact(cleaned)
        return cleaned


class PortalPasswordChangeForm(VietnamesePasswordErrorsMixin, PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "Mật khẩu hiện tại không đúng. Vui lòng nhập lại.",  # nosec B105 # an error-message key, not a password
        "password_mismatch": "Hai mật khẩu mới không giống nhau.",  # nosec B105 # an error-message key, not a password
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Mật khẩu hiện tại"
        self.fields["new_password1"].label = "Mật khẩu mới"
        self.fields["new_password1"].help_text = "Ít nhất 8 ký tự, không quá phổ biến và không chỉ gồm chữ số."
        self.fields["new_password2"].label = "Nhập lại mật khẩu mới"
        self.fields["new_password2"].help_text = ""
        for field in self.fields.values():
            field.error_messages["required"] = MSG_REQUIRED


class PortalSetPasswordForm(VietnamesePasswordErrorsMixin, SetPasswordForm):
    error_messages = {**SetPasswordForm.error_messages, "password_mismatch": "Hai mật khẩu mới không giống nhau."}  # nosec B105 # an error-message key, not a password

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Mật khẩu mới"
        self.fields["new_password1"].help_text = "Ít nhất 8 ký tự, không quá phổ biến và không chỉ gồm chữ số."
        self.fields["new_password2"].label = "Nhập lại mật khẩu mới"
        self.fields["new_password2"].help_text = ""
        for field in self.fields.values():
            field.error_messages["required"] = MSG_REQUIRED


class PortalPasswordResetForm(PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email đã đăng ký với tài khoản"
        self.fields["email"].error_messages["required"] = MSG_REQUIRED
        self.fields["email"].error_messages["invalid"] = "Địa chỉ email không hợp lệ, ví dụ: ten@example.vn."


class ActivationForm(PortalFormMixin, NewPasswordMixin, forms.Form):
    """First password of an account opened at the counter (kích hoạt tài khoản)."""

    national_id = personal_id_field()
    code = forms.CharField(
        label="Mã kích hoạt",
        max_length=20,
        help_text="8 ký tự in trên giấy cán bộ một cửa đưa cho bạn.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}),
    )
    password1 = NewPasswordMixin.password_field()

    def clean_national_id(self):
        return validate_personal_id(self.cleaned_data["national_id"])

    def clean(self):
        cleaned = super().clean()
        self.check_passwords(cleaned, None)
        return cleaned
