"""How often one account may upload files or submit (the filing limit): one counter for the
filing page and the API, so a script cannot take the page's allowance and then the API's
(issue 19: 120 uploads an hour on the page, then 60 more through the API).

A person filing by hand stays far below it; a script filling the disk or flooding an
agency's queue does not (ASVS 2.4.1). Counted in the cache by django-ratelimit.
"""

from django_ratelimit.core import is_ratelimited

FILING_RATE = "120/h"
FILING_LIMITED = (
    "Bạn gửi tệp hoặc nộp hồ sơ quá nhiều lần trong một giờ. Những gì bạn đã nhập đã được lưu; hãy thử lại sau ít phút."
)
RETRY_AFTER = 600  # seconds: a hint, the window slides


def filing_limited(request) -> bool:
    """Count one upload or submission of the signed-in account; True once over the limit."""
    return is_ratelimited(request, group="dossiers.filing", key="user", rate=FILING_RATE, increment=True)
