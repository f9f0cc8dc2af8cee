"""Filing: drafts, attachments, submission (one dossier, one code), withdrawal."""

import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from PIL import Image
from pypdf import PdfReader

from dossiers import selectors, services
from dossiers.constants import Status
from dossiers.models import Dossier, StoredFile
from dossiers.workflow import TransitionError
from tests.dossiers import files
from tests.factories import CitizenFactory, online_version

pytestmark = pytest.mark.django_db


def start(version=None, user=None):
    version = version or online_version()
    user = user or CitizenFactory()
    agency = services.filing_agencies(version)[0]
    return services.dossier_start(user=user, version=version, agency=agency), user


def fill(dossier, user):
    services.dossier_save_draft(
        dossier=dossier,
        actor=user,
        applicant={"applicant_address": "Thôn 3, xã Hoằng Tiến"},
        answers={"noi_dung": "Cấp lại"},
    )
    required = [d for d in services.required_documents_for(dossier) if d.required]
    for doc in required:
        services.document_add_files(dossier=dossier, required_document=doc, files=[files.pdf()], actor=user)


def test_start_prefills_from_profile_and_resumes_the_same_draft():
    dossier, user = start()
    assert dossier.status == Status.DRAFT
    assert dossier.applicant_id_number == user.national_id
    assert dossier.applicant_phone == user.phone
    again = services.dossier_start(user=user, version=dossier.procedure_version, agency=dossier.agency)
    assert again.pk == dossier.pk


def test_level_2_procedure_cannot_be_filed_online():
    version = online_version(level=2)
    with pytest.raises(ValidationError):
        services.dossier_start(user=CitizenFactory(), version=version, agency=version.agency_roles.first().agency)


def test_case_must_be_chosen_when_there_are_several():
    version = online_version(cases=2)
    agency = services.filing_agencies(version)[0]
    with pytest.raises(ValidationError) as exc:
        services.dossier_start(user=CitizenFactory(), version=version, agency=agency)
    assert "case" in exc.value.message_dict
    dossier = services.dossier_start(user=CitizenFactory(), version=version, agency=agency, case=version.cases.last())
    names = [d.name for d in services.required_documents_for(dossier)]
    assert "Giấy tờ riêng trường hợp 2" in names and "Giấy tờ riêng trường hợp 1" not in names


def test_draft_keeps_whatever_was_typed_even_invalid():
    dossier, user = start()
    services.dossier_save_draft(
        dossier=dossier,
        actor=user,
        applicant={"applicant_id_number": "12ab"},
        answers={"noi_dung": "x" * 5000, "khac": "y"},
    )
    dossier.refresh_from_db()
    assert dossier.applicant_id_number == "12ab"
    assert len(dossier.form_data["noi_dung"]) == 500
    assert "khac" not in dossier.form_data
    assert "applicant_id_number" in services.dossier_missing(dossier)


def test_submit_issues_one_code_and_is_idempotent():
    dossier, user = start()
    fill(dossier, user)
    submitted = services.dossier_submit(dossier=dossier, actor=user)
    assert submitted.status == Status.SUBMITTED
    assert re.fullmatch(re.escape(dossier.agency.code) + r"-\d{6}-0001", submitted.code)
    again = services.dossier_submit(dossier=dossier, actor=user)
    assert again.code == submitted.code
    assert Dossier.objects.filter(owner=user).count() == 1
    assert list(submitted.history.values_list("from_status", "to_status")) == [(Status.DRAFT, Status.SUBMITTED)]


def test_codes_count_up_per_agency_and_day():
    version = online_version()
    codes = []
    for _ in range(3):
        dossier, user = start(version)
        fill(dossier, user)
        codes.append(services.dossier_submit(dossier=dossier, actor=user).code)
    assert [c[-4:] for c in codes] == ["0001", "0002", "0003"]


def test_submit_refuses_incomplete_dossier_with_field_errors():
    dossier, user = start()
    with pytest.raises(ValidationError) as exc:
        services.dossier_submit(dossier=dossier, actor=user)
    errors = exc.value.message_dict
    assert "f_noi_dung" in errors
    assert any(key.startswith("doc_") for key in errors)
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT and dossier.code is None


def test_someone_else_cannot_submit_or_edit():
    dossier, user = start()
    fill(dossier, user)
    stranger = CitizenFactory()
    with pytest.raises(PermissionDenied):
        services.dossier_submit(dossier=dossier, actor=stranger)
    with pytest.raises(PermissionDenied):
        services.dossier_save_draft(dossier=dossier, actor=stranger, applicant={}, answers={})


def test_withdraw_needs_a_reason_and_only_before_receipt():
    dossier, user = start()
    fill(dossier, user)
    services.dossier_submit(dossier=dossier, actor=user)
    with pytest.raises(ValidationError):
        services.dossier_withdraw(dossier=dossier, actor=user, reason="  ")
    services.dossier_withdraw(dossier=dossier, actor=user, reason="Nộp nhầm thủ tục")
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN
    assert dossier.withdraw_reason == "Nộp nhầm thủ tục"
    with pytest.raises(TransitionError):
        services.dossier_withdraw(dossier=dossier, actor=user, reason="Lần nữa")


def test_photos_become_one_upright_pdf_in_the_wallet():
    dossier, user = start()
    doc = services.required_documents_for(dossier)[0]
    slot = services.document_add_files(
        dossier=dossier,
        required_document=doc,
        files=[files.photo("trang1.jpg", orientation=6), files.photo("trang2.jpg")],
        actor=user,
    )
    assert slot.pages.count() == 2
    thumb = Image.open(slot.pages.first().thumbnail.open("rb"))
    assert thumb.height > thumb.width  # orientation 6: the landscape photo is shown upright (portrait)
    assert services.document_render_pdf(document_id=slot.pk) is True
    assert services.document_render_pdf(document_id=slot.pk) is False  # idempotent
    slot.refresh_from_db()
    item = slot.stored_file
    assert item.owner == user and item.content_type == "application/pdf"
    reader = PdfReader(io.BytesIO(item.file.open("rb").read()))
    assert len(reader.pages) == 2
    first = reader.pages[0].mediabox
    assert float(first.height) > float(first.width)


def test_photos_whose_message_was_lost_are_combined_by_the_sweeper():
    import datetime

    from django.utils import timezone

    from dossiers.models import DossierDocument

    dossier, user = start()
    doc = services.required_documents_for(dossier)[0]
    slot = services.document_add_files(
        dossier=dossier, required_document=doc, files=[files.photo("a.jpg"), files.photo("b.jpg")], actor=user
    )
    assert slot.render_state == DossierDocument.RenderState.PENDING  # its task never ran
    assert services.documents_requeue_pending() == 0  # too recent: the normal queueing comes first
    later = timezone.now() + datetime.timedelta(minutes=6)
    assert services.documents_requeue_pending(now=later) == 1  # eager here: combined at once
    slot.refresh_from_db()
    assert slot.render_state == DossierDocument.RenderState.READY and slot.stored_file is not None
    assert services.documents_requeue_pending(now=later) == 0


def test_pages_can_be_reordered_and_removed():
    dossier, user = start()
    doc = services.required_documents_for(dossier)[0]
    slot = services.document_add_files(
        dossier=dossier,
        required_document=doc,
        files=[files.photo("a.jpg"), files.png("b.png"), files.photo("c.jpg")],
        actor=user,
    )
    a, b, c = slot.pages.all()
    services.document_move_page(page=c, actor=user, offset=-1)
    assert [p.pk for p in slot.pages.all()] == [a.pk, c.pk, b.pk]
    services.document_remove_page(page=a, actor=user)
    assert [(p.pk, p.order) for p in slot.pages.all()] == [(c.pk, 0), (b.pk, 1)]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (files.executable_named_pdf, "không phải PDF"),
        (files.corrupt_jpeg, "bị hỏng"),
        (files.corrupt_pdf, "bị hỏng"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_kept(make, message):
    dossier, user = start()
    doc = services.required_documents_for(dossier)[0]
    with pytest.raises(ValidationError, match=message):
        services.document_add_files(dossier=dossier, required_document=doc, files=[files.photo(), make()], actor=user)
    assert not dossier.documents.exists()
    assert not StoredFile.objects.exists()


@override_settings(DOSSIER_FILE_MAX_BYTES=20_000)
def test_oversized_file_is_refused():
    dossier, user = start()
    doc = services.required_documents_for(dossier)[0]
    with pytest.raises(ValidationError, match="vượt giới hạn"):
        services.document_add_files(
            dossier=dossier, required_document=doc, files=[files.photo(size=(2400, 1800))], actor=user
        )


def test_wallet_document_is_reused_without_upload():
    first, user = start()
    fill(first, user)
    services.dossier_submit(dossier=first, actor=user)
    item = selectors.wallet_of(user).first()
    second, _ = start(online_version(), user)
    doc = services.required_documents_for(second)[0]
    services.document_use_wallet_item(dossier=second, required_document=doc, item=item, actor=user)
    assert second.documents.get().stored_file == item
    other = CitizenFactory()
    third, _ = start(online_version(), other)
    with pytest.raises(PermissionDenied):
        services.document_use_wallet_item(
            dossier=third, required_document=services.required_documents_for(third)[0], item=item, actor=other
        )


def test_public_tracking_needs_the_last_four_digits():
    dossier, user = start()
    fill(dossier, user)
    services.dossier_submit(dossier=dossier, actor=user)
    dossier.refresh_from_db()
    assert selectors.dossier_track(dossier.code, user.national_id[-4:]).pk == dossier.pk
    assert selectors.dossier_track(dossier.code.lower(), user.phone[-4:]).pk == dossier.pk
    assert selectors.dossier_track(dossier.code, "0000") is None
    assert selectors.dossier_track(dossier.code + "X", user.national_id[-4:]) is None
    assert selectors.dossier_track("' OR 1=1 --", "12ab") is None
