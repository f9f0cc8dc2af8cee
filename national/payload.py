"""The national portal's dossier message (HoSoDongBoDVC, research vietnam-domain.md §2.5):
built from the dossier as it stands right after one history row, in the same transaction.
Dates are local time (GMT+7) as ``yyyyMMddHHmmss``; status is TrangThaiHoSo 1–10."""

from __future__ import annotations

from django.utils import timezone

from dossiers.constants import OwnerType, Status
from dossiers.models import Dossier, Handover, Result, StatusChange

from .constants import DATE_FORMAT

SUMMARY_MAX = 1000


def national_date(value) -> str:
    return timezone.localtime(value).strftime(DATE_FORMAT) if value else ""


def _person(user) -> str:
    return (user.full_name or user.username) if user is not None else ""


def _identity(number: str) -> list[dict]:
    number = (number or "").strip()
    if not number:
        return []
    return [{"LoaiDinhDanh": "1" if len(number) == 12 and number.isdigit() else "2", "SoDinhDanh": number}]


def _refused_at(dossier: Dossier, change: StatusChange):
    if dossier.status != Status.REFUSED:
        return None
    return change.at if change.to_status == Status.REFUSED else dossier.finished_at


def _history_row(dossier: Dossier, change: StatusChange) -> dict:
    from accounts.constants import StaffRole

    role = ""
    if change.actor_id:
        assignment = change.actor.assignments.filter(agency_id=change.agency_id or dossier.agency_id).first()
        role = StaffRole(assignment.role).label if assignment else ""
    return {
        "MaHoSo": dossier.code,
        "NguoiXuLy": _person(change.actor) if change.actor_id else "Hệ thống",
        "ChucDanh": role,
        "ThoiDiemXuLy": national_date(change.at),
        "PhongBanXuLy": change.department,
        "NoiDungXuLy": (change.note or change.action)[:2000],
        "TrangThai": str(change.to_status),
        "NgayBatDau": national_date(change.at),
        "NgayKetThucTheoQuyDinh": national_date(change.step_deadline),
    }


def dossier_payload(dossier: Dossier, change: StatusChange) -> dict:
    """The message for ``dossier`` after ``change`` (its history row in ``tienTrinhDongBo``)."""
    from payments.constants import AttemptState, Method
    from payments.fees import dossier_fees

    version = dossier.procedure_version
    fields = list(version.fields.all()[:1])
    documents = list(dossier.documents.select_related("required_document", "stored_file"))
    fees = dossier_fees(dossier)
    paid_online = dossier.payment_attempts.filter(state=AttemptState.SUCCEEDED, method=Method.VNPAY).exists()
    result = Result.objects.filter(dossier=dossier).select_related("stored_file").first()
    handover = Handover.objects.filter(dossier=dossier).first()
    supplements = list(dossier.supplements.order_by("requested_at"))
    summary = f"{version.name} – {dossier.applicant_name}"
    return {
        "MaHoSo": dossier.code,
        "MaTTHC": version.procedure.national_code,
        "TenTTHC": version.name,
        "MaLinhVuc": fields[0].code if fields else "",
        "TenLinhVuc": fields[0].name if fields else "",
        "DonViXuLy": dossier.agency.code,
        "KenhThucHien": int(dossier.channel),
        "LoaiDoiTuong": int(dossier.owner_type or OwnerType.CITIZEN),
        "MaDoiTuong": "",
        "ChuHoSo": dossier.applicant_name,
        "SoGiayToChuHoSo": dossier.applicant_id_number,
        "DinhDanhCHS": _identity(dossier.applicant_id_number),
        "Email": dossier.applicant_email,
        "Fax": "",
        "SoDienThoai": dossier.applicant_phone,
        "TrichYeuHoSo": summary[:SUMMARY_MAX],
        "NgayNopHoSo": national_date(dossier.submitted_at or dossier.received_at),
        "NgayTiepNhan": national_date(dossier.received_at),
        "NgayHenTra": national_date(dossier.due_at),
        "NgayTra": national_date(handover.at) if handover else "",
        "NgayKetThucXuLy": national_date(dossier.finished_at),
        "NgayTuChoi": national_date(_refused_at(dossier, change)),
        "TrangThaiHoSo": str(dossier.status),
        "HinhThuc": dossier.result_delivery,
        "NoiNopHoSo": dossier.agency.name,
        "TaiLieuNop": [
            {
                "TepDinhKemId": str(d.stored_file.public_id) if d.stored_file_id else "",
                "TenTepDinhKem": d.required_document.name,
                "IsDeleted": False,
                "MaThanhPhanHoSo": d.required_document.code,
                "DuongDanTaiTepTin": "",
                "DuocSoHoa": 1 if d.stored_file_id else 0,
                "DuocTaiSuDung": 0,
                "DuocLayTuKhoDMQG": 0,
                "MaKetQuaThayThe": d.required_document.replacing_result_code,
            }
            for d in documents
        ],
        "DanhSachLePhi": [
            {
                "TenPhiLePhi": line.name,
                "MaPhiLePhi": line.code,
                "HinhThucThu": version.fee_collection,
                "Gia": line.due,
                "LoaiPhiLePhi": line.kind,
            }
            for line in fees.lines
        ],
        "DuocThanhToanTrucTuyen": 2 if paid_online else 0,
        "DanhSachHoSoBoSung": [
            {
                "NguoiYeuCauBoSung": _person(s.requested_by),
                "NoiDungBoSung": s.items,
                "NgayBoSung": national_date(s.requested_at),
                "NgayTiepNhanBoSung": national_date(s.answered_at),
                "TrangThaiBoSung": 1 if s.answered_at else 0,
            }
            for s in supplements
        ],
        "DanhSachGiayToKetQua": [
            {
                "TenGiayTo": result.summary,
                "MaThanhPhanHoSo": "",
                "GiayToId": str(result.stored_file.public_id),
                "DuongDanTepTinKetQua": "",
                "MaGiayToKetQua": result.number,
            }
        ]
        if result is not None
        else [],
        "HoSoCoThanhPhanSoHoa": 1 if any(d.stored_file_id for d in documents) else 0,
        "TaiKhoanDuocXacThucVoiVNeID": 0,
        "tienTrinhDongBo": [_history_row(dossier, change)],
    }
