"""The admin site (quản trị hệ thống): for provincial admins only.

Django opens its admin to any account with ``is_staff``; the demo's officers hold that
flag, and an officer granted one model permission by mistake would see the admin. Here
the site itself asks for the provincial-admin role (``accounts.access``), so the flag alone
opens nothing: everybody else is sent to the admin's login page.

Its sections come in two groups: the business ones (the catalog, dossiers, accounts,
payments…) first, in the order the work goes, then the technical ones (login lockouts,
second-factor devices, periodic tasks, API keys, groups), each named "Kỹ thuật · …", under
their own heading on the index and last in the side menu. An agency's own administration
(officers, roles, levels and fees) is not here but in the portal's pages (``administration/``).
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

# The business sections, in this order; any section not named here nor technical follows them.
BUSINESS_APPS = [
    "procedures",
    "dossiers",
    "accounts",
    "payments",
    "printing",
    "notifications",
    "feedback",
    "privacy",
    "national",
]
# The technical sections, with the names the provincial admin reads.
TECHNICAL_APPS = {
    "auth": "Nhóm quyền (Django)",
    "axes": "Khóa đăng nhập sai (Axes)",
    "otp_totp": "Thiết bị xác thực hai bước (TOTP)",
    "otp_static": "Mã dự phòng xác thực hai bước",
    "django_celery_beat": "Tác vụ định kỳ (Celery beat)",
    "django_celery_results": "Kết quả tác vụ (Celery)",
    "sessions": "Phiên đăng nhập",
    "contenttypes": "Loại dữ liệu (Django)",
    "api": "Khóa API cho hệ thống khác",
}
TECHNICAL_PREFIX = "Kỹ thuật · "


def grouped(app_list: list[dict]) -> list[dict]:
    """The sections with the business ones first (in ``BUSINESS_APPS`` order) and the
    technical ones last, renamed and marked ``technical``."""
    business, technical = [], []
    for app in app_list:
        label = app["app_label"]
        if label in TECHNICAL_APPS:
            technical.append({**app, "name": TECHNICAL_PREFIX + TECHNICAL_APPS[label], "technical": True})
        else:
            business.append({**app, "technical": False})
    rank = {label: i for i, label in enumerate(BUSINESS_APPS)}
    business.sort(key=lambda a: (rank.get(a["app_label"], len(rank)), a["name"]))
    technical.sort(key=lambda a: a["name"])
    return business + technical


class PortalAdminSite(admin.AdminSite):
    site_header = "Quản trị Cổng dịch vụ công"
    site_title = "Quản trị Cổng dịch vụ công"
    index_title = "Quản trị hệ thống"
    index_template = "admin/portal_index.html"

    def has_permission(self, request) -> bool:
        from accounts.access import is_provincial_admin

        return is_provincial_admin(request.user)

    def get_app_list(self, request, app_label=None):
        return grouped(super().get_app_list(request, app_label))

    def index(self, request, extra_context=None):
        apps = self.get_app_list(request)
        context = {
            "business_apps": [a for a in apps if not a["technical"]],
            "technical_apps": [a for a in apps if a["technical"]],
            **(extra_context or {}),
        }
        return super().index(request, context)


class PortalAdminConfig(AdminConfig):
    default_site = "portal.admin_site.PortalAdminSite"
