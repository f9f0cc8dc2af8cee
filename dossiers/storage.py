"""Private file storage: outside MEDIA_ROOT's public URL, served only through views
that check who may see the file (dossiers.views)."""

from functools import cache

from django.conf import settings
from django.core.files.storage import FileSystemStorage


@cache
def private_storage() -> FileSystemStorage:
    """The storage for citizens' files; a callable so migrations stay environment-free."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)
