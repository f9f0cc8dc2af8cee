from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models

from .constants import AccountKind, StaffRole


class User(AbstractUser):
    """A person who logs in: citizen, business representative or officer.

    Citizens log in with their 12-digit personal identification number
    (số định danh cá nhân) as the username; officers with their work username.
    """

    kind = models.CharField("loại tài khoản", max_length=20, choices=AccountKind.choices, default=AccountKind.CITIZEN)
    full_name = models.CharField("họ và tên", max_length=200, blank=True)
    national_id = models.CharField("số định danh cá nhân", max_length=12, blank=True, null=True, unique=True)
    date_of_birth = models.DateField("ngày sinh", null=True, blank=True)
    phone = models.CharField("số điện thoại", max_length=20, blank=True)
    tax_code = models.CharField("mã số thuế/mã số doanh nghiệp", max_length=14, blank=True)
    organisation_name = models.CharField("tên doanh nghiệp, tổ chức", max_length=255, blank=True)
    # Business accounts: the legal representative (người đại diện theo pháp luật). Not unique:
    # the same person may also hold a citizen account, or represent several businesses.
    representative_id = models.CharField("số định danh người đại diện", max_length=12, blank=True)
    address = models.CharField("địa chỉ", max_length=500, blank=True)
    # Stable user id (TechID) at the national portal's single sign-on (research §8.2).
    national_sso_id = models.CharField(
        "mã tài khoản Cổng DVCQG", max_length=64, blank=True, null=True, unique=True, editable=False
    )

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"

    def __str__(self) -> str:
        return self.full_name or self.username

    @cached_property
    def is_officer(self) -> bool:
        """``accounts.access.is_officer`` (the one rule), kept for the request: every page's
        header asks it."""
        from .access import is_officer

        return is_officer(self)

    @property
    def display_name(self) -> str:
        """The name shown in the page header: the business name for business accounts."""
        if self.kind == AccountKind.BUSINESS and self.organisation_name:
            return self.organisation_name
        return self.full_name or self.username


class StaffAssignment(models.Model):
    """An officer serving an agency in a role (phân công cán bộ).

    Every query an officer runs is scoped to the agencies of their assignments.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments", verbose_name="cán bộ")
    agency = models.ForeignKey(
        "procedures.Agency", on_delete=models.PROTECT, related_name="staff", verbose_name="cơ quan"
    )
    role = models.CharField("vai trò", max_length=30, choices=StaffRole.choices)
    department = models.CharField("phòng, ban", max_length=200, blank=True)
    active = models.BooleanField("đang hiệu lực", default=True)

    class Meta:
        verbose_name = "phân công cán bộ"
        verbose_name_plural = "phân công cán bộ"
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="unique_staff_assignment"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.agency}"


class AccountActivation(models.Model):
    """A one-time code for a citizen whose account an officer opened at the counter
    (mã kích hoạt tài khoản): only its hash is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="activations")
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "mã kích hoạt tài khoản"
        verbose_name_plural = "mã kích hoạt tài khoản"

    def __str__(self) -> str:
        return f"{self.user} ({'đã dùng' if self.used_at else 'chưa dùng'})"
