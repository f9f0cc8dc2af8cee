"""No path fills the disk (issue 19, item 1): a replaced PDF upload is deleted with its file,
and one account's uploads are bounded whatever the path (page, API, counter) since the
service all of them call checks it."""

import pytest
from django.core.exceptions import ValidationError

from dossiers import services
from dossiers.models import StoredFile
from tests.api.helpers import session_client
from tests.dossiers import files
from tests.dossiers.staff import agency_staff, version_for
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    staff = agency_staff()
    return services.dossier_start(user=CitizenFactory(), version=version_for(staff.agency), agency=staff.agency)


def test_a_replaced_pdf_is_deleted_with_its_file(draft, django_capture_on_commit_callbacks):
    document = services.required_documents_for(draft)[0]
    with django_capture_on_commit_callbacks(execute=True):
        first = services.document_add_files(
            dossier=draft, required_document=document, files=[files.pdf()], actor=draft.owner
        ).stored_file
    storage, name = first.file.storage, first.file.name
    assert storage.exists(name)
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            services.document_add_files(
                dossier=draft, required_document=document, files=[files.pdf()], actor=draft.owner
            )
    assert not StoredFile.objects.filter(pk=first.pk).exists() and not storage.exists(name)
    assert StoredFile.objects.filter(owner=draft.owner).count() == 1  # only the file in use


def test_a_replaced_pdf_another_dossier_uses_is_kept(draft):
    from dossiers.models import DossierDocument

    document = services.required_documents_for(draft)[0]
    first = services.document_add_files(
        dossier=draft, required_document=document, files=[files.pdf()], actor=draft.owner
    ).stored_file
    other = services.dossier_start(user=draft.owner, version=version_for(draft.agency), agency=draft.agency)
    DossierDocument.objects.update_or_create(  # reused from the wallet
        dossier=other, required_document=document, defaults={"stored_file": first}
    )
    services.document_add_files(dossier=draft, required_document=document, files=[files.pdf()], actor=draft.owner)
    assert StoredFile.objects.filter(pk=first.pk).exists()


def test_an_account_cannot_store_more_than_its_quota_by_any_path(draft, settings):
    document = services.required_documents_for(draft)[0]
    one = len(files.pdf_bytes())
    settings.ACCOUNT_UPLOAD_MAX_BYTES = one + one // 2  # room for one file, not two
    services.document_add_files(dossier=draft, required_document=document, files=[files.pdf()], actor=draft.owner)
    second = services.dossier_start(user=draft.owner, version=version_for(draft.agency), agency=draft.agency)
    slot = services.required_documents_for(second)[0]
    with pytest.raises(ValidationError) as exc:
        services.document_add_files(dossier=second, required_document=slot, files=[files.pdf()], actor=draft.owner)
    assert "dung lượng lưu giấy tờ cho phép" in exc.value.messages[0]
    api = session_client(draft.owner)
    answer = api.post(
        f"/api/v1/dossiers/{second.public_id}/documents/{slot.pk}/files/",
        {"files": [files.pdf()]},
        format="multipart",
    )
    assert answer.status_code == 400, answer.json()
    assert "dung lượng lưu giấy tờ cho phép" in str(answer.json()["files"])
    assert not second.documents.filter(stored_file__isnull=False).exists()


def test_the_wallet_shows_what_is_used(client, draft):
    document = services.required_documents_for(draft)[0]
    services.document_add_files(dossier=draft, required_document=document, files=[files.pdf()], actor=draft.owner)
    client.force_login(draft.owner)
    page = client.get("/ho-so/kho-giay-to/").content.decode()
    assert 'id="wallet-usage"' in page and "trên 500" in page
