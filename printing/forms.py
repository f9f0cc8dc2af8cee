"""The tracking-book form (sổ theo dõi hồ sơ): agency, period, file format."""

from django import forms
from django.core.exceptions import ValidationError

from . import services

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_INVALID = "Ngày không hợp lệ; hãy nhập theo dạng ngày/tháng/năm, ví dụ 05/03/2026."


class TrackingBookForm(forms.Form):
    agency = forms.TypedChoiceField(
        label="Cơ quan",
        coerce=int,
        error_messages={
            "required": "Hãy chọn cơ quan.",
            "invalid_choice": "Bạn không được phân công tại cơ quan này.",
        },
    )
    date_from = forms.DateField(
        label="Từ ngày",
        input_formats=DATE_FORMATS,
        error_messages={"required": "Hãy nhập ngày bắt đầu.", "invalid": DATE_INVALID},
    )
    date_to = forms.DateField(
        label="Đến ngày",
        input_formats=DATE_FORMATS,
        error_messages={"required": "Hãy nhập ngày kết thúc.", "invalid": DATE_INVALID},
    )
    format = forms.ChoiceField(
        label="Định dạng",
        choices=[("pdf", "PDF (để in)"), ("xlsx", "Excel (.xlsx)")],
        initial="pdf",
        error_messages={"required": "Hãy chọn định dạng.", "invalid_choice": "Hãy chọn PDF hoặc Excel."},
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.agencies = {agency.pk: agency for agency in agencies}
        self.fields["agency"].choices = [(agency.pk, agency.name) for agency in agencies]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to"):
            try:
                services.tracking_book_check_period(date_from=data["date_from"], date_to=data["date_to"])
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field, messages)
        return data

    @property
    def chosen_agency(self):
        return self.agencies[self.cleaned_data["agency"]]
