from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from dossiers.workflow import ACTIONS
from portal.templatetags.portal_tags import _url_pattern

register = template.Library()


@register.filter
def action_label(name: str) -> str:
    """The Vietnamese label of a workflow action (as the state machine names it)."""
    action = ACTIONS.get(name)
    return action.label if action else name


@register.simple_tag
def queue_rows(rows, now, soon, running, empty_text):
    """The queue table's ``<tr>`` rows, built in Python: a page of 25 dossiers renders in
    about a millisecond instead of ~10 ms of template nodes (the officers' queue benchmark).
    Every value from the database goes through ``escape``; dates are shown in local time."""
    if not rows:
        return mark_safe(f'<tr><td colspan="7" class="empty">{escape(empty_text)}</td></tr>')  # nosec B308, B703 # empty_text passes through escape()
    late_label = escape(gettext("quá hạn"))
    out = []
    for d in rows:
        late = bool(d.due_at and d.due_at < now and d.status in running)
        css = "late" if late else ("soon" if d.due_at and d.due_at < soon else "")
        code = escape(d.code)
        due = _when(d.due_at) + (f' <strong class="late">{late_label}</strong>' if late else "") if d.due_at else "—"
        step = escape(d.step_label)
        if d.handler_id and d.handler:
            step += f"<br><small>{escape(d.handler.full_name or d.handler.username)}</small>"
        out.append(
            f'<tr class="{css}"><td><a class="code" href="{_url_pattern("desk:dossier").format(code)}">{code}</a></td>'
            f"<td>{escape(Truncator(d.procedure_version.name).chars(80))}</td>"
            f"<td>{escape(d.applicant_name)}<br><small>{escape(d.applicant_id_number)}</small></td>"
            f"<td>{escape(d.get_channel_display())}</td><td>{_when(d.submitted_at)}</td><td>{due}</td>"
            f"<td>{step}</td></tr>"
        )
    return mark_safe("\n".join(out))  # nosec B308, B703 # every value in the rows passed through escape() above


def _when(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""
