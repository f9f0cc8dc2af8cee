from django.conf import settings


def portal(request):
    """Names shown in every page header."""
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "PROVINCE_NAME": settings.PROVINCE_NAME,
        "NOTIFICATIONS_POLL_SECONDS": getattr(settings, "NOTIFICATIONS_POLL_SECONDS", 60),
    }
