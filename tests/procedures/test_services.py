"""Drafts, publishing and which version is in force (procedures.services)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from procedures import services
from procedures.constants import VersionStatus
from procedures.models import Fee, ProcedureVersion, RequiredDocument
from tests.factories import DraftVersionFactory, published_version

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 27)


def test_publish_sets_status_date_and_current():
    draft = DraftVersionFactory()
    version = services.version_publish(version=draft, effective_from=TODAY, today=TODAY)
    assert version.status == VersionStatus.PUBLISHED
    assert version.effective_from == TODAY
    assert version.is_current
    assert version.published_at is not None


def test_published_version_cannot_be_changed_or_deleted():
    version = published_version()
    version.name = "Tên khác"
    with pytest.raises(ValidationError, match="không được sửa"):
        version.save()
    with pytest.raises(ValidationError):
        version.delete()
    doc = version.documents.first()
    doc.name = "Giấy tờ khác"
    with pytest.raises(ValidationError):
        doc.save()
    with pytest.raises(ValidationError):
        Fee.objects.create(version=version, kind="phi", name="Phí mới", amount=1)
    version.refresh_from_db()
    assert version.name != "Tên khác"


def test_publishing_twice_is_refused():
    version = published_version()
    with pytest.raises(ValidationError, match="Chỉ bản nháp"):
        services.version_publish(version=version, effective_from=TODAY)


def test_incomplete_draft_lists_what_is_missing():
    draft = DraftVersionFactory(steps="", applicants="")
    RequiredDocument.objects.filter(version=draft).delete()
    with pytest.raises(ValidationError) as exc:
        services.version_publish(version=draft, effective_from=TODAY)
    message = " ".join(exc.value.messages)
    assert "trình tự thực hiện" in message
    assert "thành phần hồ sơ" in message
    assert "đối tượng thực hiện" in message
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_new_draft_copies_everything_and_leaves_published_alone():
    first = published_version(effective_from=TODAY, parts__amount=80000)
    draft = services.version_create_draft(procedure=first.procedure)
    assert draft.number == first.number + 1
    assert draft.status == VersionStatus.DRAFT
    assert draft.based_on_id == first.pk
    assert list(draft.documents.values_list("name", flat=True)) == list(first.documents.values_list("name", flat=True))
    assert draft.fees.get().amount == 80000
    assert draft.agency_roles.count() == first.agency_roles.count()
    # Asking again returns the same open draft.
    assert services.version_create_draft(procedure=first.procedure).pk == draft.pk
    # Editing the draft does not touch the published version.
    draft.name = "Tên mới"
    draft.save()
    draft.fees.update(amount=99000)
    first.refresh_from_db()
    assert first.name != "Tên mới"
    assert first.fees.get().amount == 80000


def test_future_version_takes_over_on_its_effective_date():
    first = published_version(effective_from=TODAY)
    draft = services.version_create_draft(procedure=first.procedure)
    draft.name = "Tên theo quy định mới"
    draft.save()
    later = TODAY + datetime.timedelta(days=10)
    services.version_publish(version=draft, effective_from=later, today=TODAY)
    first.refresh_from_db()
    draft.refresh_from_db()
    assert first.is_current and not draft.is_current

    assert services.catalog_refresh_current(today=later - datetime.timedelta(days=1)) == 0
    assert services.catalog_refresh_current(today=later) == 1
    first.refresh_from_db()
    draft.refresh_from_db()
    assert draft.is_current and not first.is_current
    # Running again changes nothing.
    assert services.catalog_refresh_current(today=later) == 0


def test_a_first_version_published_for_a_later_day_takes_effect_on_that_day():
    """A procedure with no version in force yet (no current version) is switched too: the
    daily activation once compared the in-force version with a missing current one and
    dropped the procedure (600 procedures published for next month: none became current)."""
    later = TODAY + datetime.timedelta(days=30)
    first = published_version(effective_from=later)
    first.refresh_from_db()
    assert not first.is_current

    assert services.catalog_refresh_current(today=later - datetime.timedelta(days=1)) == 0
    assert services.catalog_refresh_current(today=later) == 1
    first.refresh_from_db()
    assert first.is_current
    assert services.catalog_refresh_current(today=later) == 0


def test_effective_date_cannot_go_back_before_latest_published():
    first = published_version(effective_from=TODAY)
    draft = services.version_create_draft(procedure=first.procedure)
    with pytest.raises(ValidationError) as exc:
        services.version_publish(version=draft, effective_from=TODAY - datetime.timedelta(days=1), today=TODAY)
    assert "effective_from" in exc.value.message_dict


def test_max_service_level_counts_agency_offers():
    draft = DraftVersionFactory(service_level=2)
    role = draft.agency_roles.first()
    role.service_level = 4
    role.save()
    version = services.version_publish(version=draft, effective_from=TODAY)
    assert version.max_service_level == 4


def test_only_one_draft_per_procedure_in_the_database():
    draft = DraftVersionFactory()
    with pytest.raises(Exception):  # noqa: B017 - IntegrityError or ValidationError both prove it
        ProcedureVersion.objects.create(procedure=draft.procedure, number=99, name="Bản nháp thứ hai")
