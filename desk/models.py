"""What officers keep for themselves: saved queue filters (bộ lọc đã lưu)."""

from django.conf import settings
from django.db import models


class SavedFilter(models.Model):
    """A named queue with its filters, as the query string of the queue page."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters", verbose_name="cán bộ"
    )
    name = models.CharField("tên bộ lọc", max_length=100)
    query = models.CharField("điều kiện lọc", max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "bộ lọc đã lưu"
        verbose_name_plural = "bộ lọc đã lưu"
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="unique_saved_filter_name")]

    def __str__(self) -> str:
        return self.name
