"""VNPay's calls to the portal. Thin: ``payments.services`` decides."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from . import services


@csrf_exempt
@never_cache
@require_GET
def vnpay_ipn(request):
    """The IPN (server to server): the only call that marks a fee paid."""
    outcome = services.vnpay_ipn(request.GET.dict())
    return JsonResponse(outcome.reply)
