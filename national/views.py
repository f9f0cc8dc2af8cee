"""The portal's own stand-in for the national portal's dossier endpoints (hộp cát), for
demos and tests: it checks each message as the real one would and records it. Served only
when ``NATIONAL_SYNC["SANDBOX"]`` is on (never in production settings)."""

import json

from django.conf import settings
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import services
from .constants import PushKind


@csrf_exempt
@require_POST
def sandbox(request, kind: str):
    conf = settings.NATIONAL_SYNC
    if not conf.get("SANDBOX") or kind not in ("them-moi", "cap-nhat"):
        raise Http404("Không có hộp cát.")
    if conf.get("TOKEN") and request.headers.get("Authorization") != f"Bearer {conf['TOKEN']}":
        return JsonResponse({"error_code": "401", "message": "Sai thông tin xác thực."}, status=401)
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error_code": "1", "message": "Gói tin không phải JSON."}, status=400)
    answer = services.sandbox_receive(PushKind.CREATE if kind == "them-moi" else PushKind.UPDATE, payload)
    return JsonResponse(answer, json_dumps_params={"ensure_ascii": False})
