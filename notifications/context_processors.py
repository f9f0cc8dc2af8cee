from . import selectors


def unread(request) -> dict:
    """``unread_notifications`` for the header of every page (logged-in users only)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": selectors.unread_count(user)}
