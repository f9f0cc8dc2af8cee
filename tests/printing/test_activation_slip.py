"""The activation slip of a walk-in citizen (phiếu hướng dẫn kích hoạt tài khoản): the code an
officer was shown after a counter intake was printed nowhere. The slip is a PDF made on the
spot for the one-stop officers of the dossier's agency, read back here with pypdf."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts import services as accounts
from accounts.constants import StaffRole
from accounts.models import AccountActivation, User
from dossiers import processing, services
from privacy.models import PersonalDataAccess
from tests.dossiers import files
from tests.dossiers.staff import agency_staff, version_for
from tests.factories import StaffAssignmentFactory, UserFactory
from tests.printing.helpers import page_count, pdf_text

pytestmark = pytest.mark.django_db

WALK_IN = {"national_id": "038187012345", "full_name": "Lê Thị Hồng", "phone": "0912345678"}
PASSWORD = "Hoa-sen-2026"


@pytest.fixture
def counter(staff):
    """A paper dossier received at the counter for a citizen without an account: the dossier
    and the code the officer was shown (``citizen_account_for_counter``)."""
    version = version_for(staff.agency, fees=[])
    dossier, code = processing.intake_start(
        officer=staff.desk, agency=staff.agency, version=version, case=None, citizen=WALK_IN
    )
    services.dossier_save_draft(dossier=dossier, actor=staff.desk, applicant={}, answers={"noi_dung": "Cấp bản sao"})
    for doc in services.required_documents_for(dossier):
        if doc.required:
            services.document_add_files(dossier=dossier, required_document=doc, files=[files.pdf()], actor=staff.desk)
    dossier = processing.intake_complete(dossier=dossier, officer=staff.desk)
    assert len(code) == 8 and dossier.code
    return dossier, code


def slip_url(dossier) -> str:
    return f"/can-bo/ho-so/{dossier.code}/phieu-kich-hoat/"


def printed_code(text: str) -> str:
    return re.search(r"Mã kích hoạt tài khoản ([A-Z0-9]{4})-([A-Z0-9]{4})", text).group(1, 2)


def test_the_slip_carries_the_code_shown_after_the_intake(client, staff, counter, settings):
    settings.PORTAL_BASE_URL = "https://dichvucong.thanhhoa.gov.vn"
    dossier, code = counter
    client.force_login(staff.desk)

    response = client.post(slip_url(dossier), {"code": code.lower()})  # as typed: case does not matter

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store" and "inline" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert page_count(response.content) == 1  # one sheet to hand over, signature included
    assert "PHIẾU HƯỚNG DẪN KÍCH HOẠT TÀI KHOẢN" in text
    assert "".join(printed_code(text)) == code
    assert f"{code[:4]}-{code[4:]}" in text
    joined = "".join(text.split())  # long addresses may wrap
    assert "https://dichvucong.thanhhoa.gov.vn/kich-hoat/" in joined
    assert f"https://dichvucong.thanhhoa.gov.vn/tra-cuu/?ma={dossier.code}" in joined
    assert dossier.code in text and WALK_IN["national_id"] in text and "Lê Thị Hồng" in text
    expires = AccountActivation.objects.get(user=dossier.owner).expires_at
    assert f"ngày {timezone.localtime(expires):%d/%m/%Y}" in text  # until when
    assert "Nhập số định danh cá nhân" in text and "Hồ sơ của tôi" in text  # the steps
    assert "Trần Thị Mai" in text  # the officer who printed it
    # Printing changes nothing: the code still opens the account, once.
    accounts.account_activate(national_id=WALK_IN["national_id"], code=code, password=PASSWORD)
    record = PersonalDataAccess.objects.get(dossier_id=dossier.pk, officer=staff.desk)
    assert record.detail == "Phiếu hướng dẫn kích hoạt tài khoản"


def test_only_the_agencys_one_stop_officers_get_it(client, staff, counter):
    dossier, code = counter
    other = agency_staff()  # another agency's officers, one-stop included
    second_desk = UserFactory(full_name="Hoàng Văn Quầy")
    StaffAssignmentFactory(user=second_desk, agency=staff.agency, role=StaffRole.ONE_STOP_OFFICER)

    for person in (other.desk, other.leader, staff.specialist, staff.leader, dossier.owner):
        client.force_login(person)
        assert client.post(slip_url(dossier), {"code": code}).status_code == 404, person
        assert client.post(slip_url(dossier)).status_code == 404, person
    client.logout()
    assert client.post(slip_url(dossier), {"code": code}).status_code == 302  # to the login page
    assert AccountActivation.objects.filter(user=dossier.owner).count() == 1  # nobody issued one

    client.force_login(second_desk)  # any one-stop officer of the agency, not only who typed it in
    assert client.get(slip_url(dossier)).status_code == 405  # a slip is made by a button, never a link
    response = client.post(slip_url(dossier), {"code": code})
    assert response.status_code == 200 and "".join(printed_code(pdf_text(response.content))) == code


def test_without_the_code_a_new_one_is_issued_and_the_old_one_stops(client, staff, counter):
    """The code is kept only as a hash: once the completion page is gone, the slip comes with
    a new code, and the one shown before (or on a lost slip) no longer opens the account."""
    dossier, old = counter
    client.force_login(staff.desk)

    response = client.post(slip_url(dossier))

    assert response.status_code == 200
    new = "".join(printed_code(pdf_text(response.content)))
    assert new != old and len(new) == 8
    with pytest.raises(ValidationError):
        accounts.account_activate(national_id=WALK_IN["national_id"], code=old, password=PASSWORD)
    user = accounts.account_activate(national_id=WALK_IN["national_id"], code=new, password=PASSWORD)
    assert user.check_password(PASSWORD)


def test_a_code_that_no_longer_works_is_refused_at_the_field(client, staff, counter):
    dossier, code = counter
    client.force_login(staff.desk)
    for wrong in ("ZZZZ-ZZZZ", code[:7], "x" * 40):
        response = client.post(slip_url(dossier), {"code": wrong})
        page = response.content.decode()
        assert response.status_code == 400 and 'id="err-code"' in page
        assert "Mã kích hoạt này không còn dùng được" in page
        assert "Cấp mã mới và in phiếu kích hoạt" in page  # the way on
    assert AccountActivation.objects.filter(user=dossier.owner).count() == 1  # nothing issued


def test_an_activated_account_gets_no_slip_and_no_new_code(client, staff, counter):
    dossier, code = counter
    accounts.account_activate(national_id=WALK_IN["national_id"], code=code, password=PASSWORD)
    client.force_login(staff.desk)

    for data in ({"code": code}, {}):
        response = client.post(slip_url(dossier), data)
        page = response.content.decode()
        assert response.status_code == 400 and "đã được kích hoạt" in page
        assert "Cấp mã mới" not in page
    assert AccountActivation.objects.filter(user=dossier.owner, used_at__isnull=True).count() == 0
    with pytest.raises(ValidationError):
        accounts.activation_reissue(user=User.objects.get(pk=dossier.owner_id))


def test_the_completion_page_offers_the_slip_then_a_new_code(client, staff, counter):
    dossier, code = counter
    client.force_login(staff.desk)
    session = client.session
    session[f"activation-shown:{dossier.code}"] = code  # what the intake leaves for this page
    session.save()

    page = client.get(f"/can-bo/tiep-nhan/xong/{dossier.code}/").content.decode()
    form = page[page.index(f'action="{slip_url(dossier)}"') :].split("</form>")[0]
    assert f'name="code" value="{code}"' in form and "In phiếu kích hoạt tài khoản" in form

    again = client.get(f"/can-bo/tiep-nhan/xong/{dossier.code}/").content.decode()  # shown once
    assert code not in again
    form = again[again.index(f'action="{slip_url(dossier)}"') :].split("</form>")[0]
    assert 'name="code"' not in form and "Cấp mã mới và in phiếu kích hoạt" in form


def test_the_officers_dossier_page_offers_a_new_slip_until_the_account_is_activated(client, staff, counter):
    dossier, code = counter
    client.force_login(staff.desk)
    page = client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert 'id="activation-slip"' in page and f'action="{slip_url(dossier)}"' in page
    client.force_login(staff.specialist)  # not at the counter: no slip
    assert 'id="activation-slip"' not in client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    accounts.account_activate(national_id=WALK_IN["national_id"], code=code, password=PASSWORD)
    client.force_login(staff.desk)
    assert 'id="activation-slip"' not in client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
