"""What the filing pages show: fields with their values and errors.

Drafts accept anything the citizen types (nothing is lost); the checks that decide
whether a dossier can be submitted live in ``services.dossier_missing``.
"""

from dataclasses import dataclass, field

from procedures.models import FormField

from .models import Dossier

APPLICANT_LABELS = [
    ("applicant_name", "Họ và tên người nộp", "text", True, "name"),
    ("applicant_id_number", "Số định danh cá nhân (12 số trên thẻ căn cước)", "text", True, "off"),
    ("applicant_phone", "Số điện thoại", "tel", False, "tel"),
    ("applicant_email", "Thư điện tử", "email", False, "email"),
    ("applicant_address", "Địa chỉ liên hệ", "text", False, "street-address"),
]


@dataclass
class ShownField:
    name: str
    label: str
    value: str
    kind: str = "text"
    required: bool = False
    error: str = ""
    help_text: str = ""
    autocomplete: str = "off"
    choices: list[str] = field(default_factory=list)
    max_length: int = 500


def applicant_fields(dossier: Dossier, errors: dict[str, str]) -> list[ShownField]:
    shown = []
    for name, label, kind, required, autocomplete in APPLICANT_LABELS:
        if name == "applicant_id_number" and dossier.owner_type == 2:
            label = "Mã số doanh nghiệp"
        shown.append(
            ShownField(
                name=name,
                label=label,
                value=getattr(dossier, name),
                kind=kind,
                required=required,
                error=errors.get(name, ""),
                autocomplete=autocomplete,
            )
        )
    shown[2].help_text = "Cần số điện thoại hoặc thư điện tử để nhận thông báo về hồ sơ."
    return shown


def procedure_fields(dossier: Dossier, errors: dict[str, str]) -> list[ShownField]:
    shown = []
    for f in dossier.procedure_version.form_fields.all():
        shown.append(
            ShownField(
                name=f"f_{f.key}",
                label=f.label,
                value=str(dossier.form_data.get(f.key, "")),
                kind=f.kind,
                required=f.required,
                error=errors.get(f"f_{f.key}", ""),
                help_text=f.help_text,
                choices=f.choice_list,
                max_length=f.max_length,
            )
        )
    return shown


def answers_from_post(post, dossier: Dossier) -> tuple[dict, dict]:
    """Split a POST into applicant values and procedure answers."""
    applicant = {name: post.get(name, "") for name, *_ in APPLICANT_LABELS if name in post}
    answers = {}
    for f in FormField.objects.filter(version=dossier.procedure_version):
        key = f"f_{f.key}"
        if f.kind == FormField.Kind.CHECKBOX:
            answers[f.key] = "có" if post.get(key) else ""
        elif key in post:
            answers[f.key] = post.get(key, "")
    return applicant, answers
