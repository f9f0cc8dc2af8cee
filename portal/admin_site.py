"""The admin site (quản trị hệ thống): for provincial admins only.

Django opens its admin to any account with ``is_staff``; the demo's officers hold that
flag, and an officer granted one model permission by mistake would see the admin. Here
the site itself asks for the provincial-admin role (``accounts.access``), so the flag alone
opens nothing: everybody else is sent to the admin's login page.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class PortalAdminSite(admin.AdminSite):
    site_header = "Quản trị Cổng dịch vụ công"
    site_title = "Quản trị Cổng dịch vụ công"
    index_title = "Quản trị hệ thống"

    def has_permission(self, request) -> bool:
        from accounts.access import is_provincial_admin

        return is_provincial_admin(request.user)


class PortalAdminConfig(AdminConfig):
    default_site = "portal.admin_site.PortalAdminSite"
