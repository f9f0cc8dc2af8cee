import datetime, shutil, time, os
import pytest
from django.utils import timezone
from dossiers import processing
from printing import services
from printing.models import IssuedForm
from tests.dossiers.staff import dossier_at
from tests.printing.helpers import next_working_day_after

pytestmark = pytest.mark.django_db
OUT = "/tmp/forms"

def dump(form):
    os.makedirs(OUT, exist_ok=True)
    shutil.copy(form.file.path, f"{OUT}/mau-{form.kind}.pdf")

def test_dump(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        d = dossier_at(staff, "returned")
        s = dossier_at(staff, "supplement")
        r = dossier_at(staff, "submitted")
        processing.dossier_act(dossier=r, action="refuse", actor=staff.desk, note="Hồ sơ không thuộc thẩm quyền giải quyết của Sở Tư pháp; đề nghị nộp tại UBND xã.")
        a = dossier_at(staff, "specialist")
        processing.dossier_act(dossier=a, action="apologize", actor=staff.leader, note="Cần xác minh thêm thông tin hộ tịch tại địa phương khác.", data={"new_due": next_working_day_after(a.due_at)})
        st = dossier_at(staff, "received")
        processing.dossier_act(dossier=st, action="stop", actor=staff.desk, note="Công dân đề nghị dừng giải quyết hồ sơ.")
    for f in IssuedForm.objects.all():
        assert f.state == "ready", f.error
        dump(f)
    t = time.time()
    sheet = services.control_sheet_issue(dossier=d)
    print("sheet", time.time() - t)
    dump(sheet)
    for kind in ["01", "02", "03"]:
        f = IssuedForm.objects.filter(kind=kind).first()
        IssuedForm.objects.filter(pk=f.pk).update(state="pending")
        t = time.time(); services.form_render(issued_form_id=f.pk); print(kind, time.time() - t)
    end = timezone.localdate()
    open(f"{OUT}/mau-07.pdf", "wb").write(services.tracking_book_pdf(agency=staff.agency, date_from=end - datetime.timedelta(days=30), date_to=end))
    open(f"{OUT}/mau-07.xlsx", "wb").write(services.tracking_book_xlsx(agency=staff.agency, date_from=end - datetime.timedelta(days=30), date_to=end))
