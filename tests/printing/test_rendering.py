"""Issuing and rendering: once per history row, one file, failures recorded and retried."""

import pytest

from dossiers.events import dossier_status_changed
from printing import receivers, services, tasks
from printing.models import FormKind, IssuedForm, issued_form_path
from tests.dossiers.staff import dossier_at

pytestmark = pytest.mark.django_db


def pdf_files(form) -> list:
    folder = form.file.storage.path(issued_form_path(form, "")).rsplit("/", 1)[0]
    import os

    return sorted(os.listdir(folder))


@pytest.fixture
def received(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_at(staff, "received")
    return dossier


def payload(form: IssuedForm) -> dict:
    change = form.change
    return {
        "form": form.kind,
        "dossier_id": change.dossier_id,
        "change_id": change.pk,
        "action": change.action,
        "from_status": change.from_status,
        "to_status": change.to_status,
    }


def test_rendering_twice_keeps_one_file_and_one_form(received):
    form = IssuedForm.objects.get(dossier=received)
    name, rendered_at = form.file.name, form.rendered_at

    assert services.form_render(issued_form_id=form.pk) is False
    assert tasks.render_form(form.pk) is False  # a redelivered task
    form.refresh_from_db()
    assert (form.file.name, form.rendered_at) == (name, rendered_at)
    assert pdf_files(form) == [name.rsplit("/", 1)[1]]


def test_a_duplicated_event_issues_no_second_form(received, django_capture_on_commit_callbacks):
    form = IssuedForm.objects.get(dossier=received)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_status_changed.send(sender=None, **payload(form))
        receivers.issue_form(None, **payload(form))
    assert IssuedForm.objects.filter(dossier=received).count() == 1
    assert len(pdf_files(form)) == 1


def test_a_file_left_by_a_dead_attempt_is_replaced_not_duplicated(received):
    form = IssuedForm.objects.get(dossier=received)
    IssuedForm.objects.filter(pk=form.pk).update(state=IssuedForm.State.PENDING)
    with form.file.storage.open(form.file.name, "wb") as fh:
        fh.write(b"half a PDF")

    assert services.form_render(issued_form_id=form.pk) is True
    form.refresh_from_db()
    assert form.is_ready and pdf_files(form) == [form.file.name.rsplit("/", 1)[1]]
    with form.file.open("rb") as fh:
        assert fh.read(5) == b"%PDF-"


def test_a_failure_is_recorded_and_can_be_retried(staff, monkeypatch, django_capture_on_commit_callbacks):
    def broken(**kwargs):
        raise OSError("font cache unavailable")

    monkeypatch.setattr(services, "pdf_render", broken)
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_at(staff, "received")  # the action itself succeeds
    form = IssuedForm.objects.get(dossier=dossier)
    assert form.state == IssuedForm.State.FAILED and "font cache unavailable" in form.error
    assert not form.file

    monkeypatch.undo()
    assert services.form_render(issued_form_id=form.pk) is True
    form.refresh_from_db()
    assert form.is_ready and form.error == ""


def test_a_missing_form_is_ignored():
    assert services.form_render(issued_form_id=987654) is False


def test_with_event_rendering_off_the_form_waits_to_be_opened(staff, settings, django_capture_on_commit_callbacks):
    settings.PRINTING_RENDER_ON_EVENTS = False
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_at(staff, "received")
    form = IssuedForm.objects.get(dossier=dossier)
    assert form.state == IssuedForm.State.PENDING and not form.file

    assert services.form_ensure_ready(form=form).is_ready


def test_unknown_form_numbers_are_ignored(received, django_capture_on_commit_callbacks):
    form = IssuedForm.objects.get(dossier=received)
    with django_capture_on_commit_callbacks(execute=True):
        receivers.issue_form(None, **{**payload(form), "form": "99"})
        receivers.issue_form(None, **{**payload(form), "form": ""})
    assert list(IssuedForm.objects.values_list("kind", flat=True)) == [FormKind.RECEIPT]


def test_the_task_goes_to_the_documents_queue():
    from portal.celery import app

    assert tasks.render_form.name == "documents.render_form"
    assert app.amqp.router.route({}, tasks.render_form.name)["queue"].name == "documents"
