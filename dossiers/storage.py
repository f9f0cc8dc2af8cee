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

    def _save(self, name, content):
        """As Django's, but a write that fails (disk full, no permission) leaves no partial
        file behind: Django keeps what it wrote before the error. ``name`` was free when the
        write began (``get_available_name``), so a file there now is this write's own."""
        try:
            return super()._save(name, content)
        except FileExistsError:
            raise
        except OSError:
            if os.path.isfile(self.path(name)):
                os.remove(self.path(name))
            raise


@cache
def private_storage() -> FileSystemStorage:
    """The storage for citizens' files; a callable so migrations stay environment-free."""
    return PrivateFileStorage(base_url=None)
