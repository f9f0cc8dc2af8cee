from django import forms
from django.conf import settings

from .constants import ServiceLevel, Tier

AUDIENCE_CHOICES = [("", "Tất cả"), ("individual", "Cá nhân"), ("organisation", "Tổ chức, doanh nghiệp")]


class CatalogSearchForm(forms.Form):
    """The catalog's search and filters. Invalid filter values are ignored, never an error page."""

    q = forms.CharField(label="Tìm thủ tục", required=False, max_length=settings.CATALOG_SEARCH_MAX_LENGTH)
    level = forms.TypedChoiceField(
        label="Mức độ",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Tất cả mức độ")] + list(ServiceLevel.choices),
    )
    tier = forms.ChoiceField(
        label="Cấp thực hiện", required=False, choices=[("", "Tất cả các cấp")] + list(Tier.choices)
    )
    field = forms.SlugField(label="Lĩnh vực", required=False)
    agency = forms.SlugField(label="Cơ quan", required=False)
    audience = forms.ChoiceField(label="Đối tượng", required=False, choices=AUDIENCE_CHOICES)

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            data = data.copy()
            # Over-long input is cut rather than refused: the citizen still gets results.
            if "q" in data:
                data["q"] = data["q"][: settings.CATALOG_SEARCH_MAX_LENGTH]
        super().__init__(data, *args, **kwargs)

    def cleaned_or_empty(self) -> dict:
        """Valid values; a field with an invalid value is treated as not given."""
        self.is_valid()
        values = {}
        for name in self.fields:
            if name in self.errors:
                values[name] = None if name == "level" else ""
            else:
                values[name] = self.cleaned_data.get(name)
        return values
