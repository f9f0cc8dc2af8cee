"""Private file storage: outside MEDIA_ROOT's public URL, served only through views
that check who may see the file (dossiers.views)."""

import os
from functools import cache

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateFileStorage(FileSystemStorage):
    """Files under ``settings.PRIVATE_MEDIA_ROOT``, read when used rather than when the
    models are imported: the FileFields keep the storage made at import, and the backup
    (portal/backup.py) and the tests' per-test folder go by the setting."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)


@cache
def private_storage() -> FileSystemStorage:
    """The storage for citizens' files; a callable so migrations stay environment-free."""
    return PrivateFileStorage(base_url=None)
