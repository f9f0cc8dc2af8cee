"""The in-app list, its unread count (polled by the header), and the channel choices."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import is_officer

from . import selectors, services
from .constants import OFFICER_EVENTS, OfficerEmail
from .models import ChannelPreference

PER_PAGE = 20


@login_required
@require_GET
def inbox(request):
    """The newest notifications first; those shown are marked read (kept bold this once)."""
    page = Paginator(selectors.inbox(request.user), PER_PAGE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    unread_ids = [n.pk for n in items if n.read_at is None]
    services.notifications_mark_read(user=request.user, ids=unread_ids)
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "items": items,
            "unread_ids": set(unread_ids),
            "unread_notifications": 0,
            "officer_events": [str(e) for e in OFFICER_EVENTS],
        },
    )


@never_cache
@require_GET
def unread(request):
    """``{"unread": n}`` for the header's badge (0 when not logged in)."""
    return JsonResponse({"unread": selectors.unread_count(request.user)})


@login_required
@require_POST
def mark_all_read(request):
    services.notifications_mark_read(user=request.user)
    messages.success(request, "Đã đánh dấu tất cả thông báo là đã đọc.")
    return redirect("notifications:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """Which channels besides the in-app list: e-mail, SMS (each needs an address); for an
    officer, work e-mail one by one or as one digest a day."""
    user = request.user
    officer = is_officer(user)
    saved = ChannelPreference.objects.filter(user=user).first()
    values = {
        "email": saved.email if saved else bool(user.email),
        "sms": saved.sms if saved else bool(user.phone),
        "officer_email": saved.officer_email if saved else OfficerEmail.EACH,
    }
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {
            "email": request.POST.get("email") == "on",
            "sms": request.POST.get("sms") == "on",
            "officer_email": request.POST.get("officer_email", "") if officer else None,
        }
        try:
            services.preference_save(user=user, **values)
        except ValidationError as exc:
            errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
        else:
            messages.success(request, "Đã lưu cách nhận thông báo.")
            return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"values": values, "errors": errors, "officer": officer, "officer_email_choices": OfficerEmail.choices},
        status=400 if errors else 200,
    )
