"""Pages for citizen and business accounts: register, log in and out, profile, passwords."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from . import sso
from .access import is_officer, is_provincial_admin
from .constants import AccountKind
from .forms import (
    ActivationForm,
    BusinessProfileForm,
    BusinessRegistrationForm,
    CitizenRegistrationForm,
    LoginForm,
    PortalPasswordChangeForm,
    PortalPasswordResetForm,
    PortalSetPasswordForm,
    ProfileForm,
)
from .services import account_activate

BACKEND = "accounts.backends.IdentifierBackend"


def safe_next(request, url: str | None) -> str:
    """``url`` when it stays on this site, else an empty string (no open redirects)."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def _reverse_or_root(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return "/"


def home_url(user) -> str:
    """Where a person lands after logging in when no page asked for them."""
    if is_provincial_admin(user):
        return reverse("admin:index")
    if is_officer(user):
        return reverse("desk:home")
    return _reverse_or_root("dossiers:mine")


def _next_param(request) -> str:
    return safe_next(request, request.POST.get("next") or request.GET.get("next"))


# Registrations from one address per hour: a commune's help desk registers many
# citizens from one address, so the limit stops scripts, not volunteers.
REGISTER_RATE = "30/h"
PASSWORD_RESET_RATE = "10/h"  # nosec B105 # a rate limit, not a password
LIMITED_MESSAGE = "Có quá nhiều yêu cầu từ địa chỉ mạng này. Hãy thử lại sau ít phút."


@ratelimit(key="ip", rate=REGISTER_RATE, method="POST", block=False)
@require_http_methods(["GET", "POST"])
def register(request):
    return _register(request, CitizenRegistrationForm, "accounts/register.html")


@ratelimit(key="ip", rate=REGISTER_RATE, method="POST", block=False)
@require_http_methods(["GET", "POST"])
def register_business(request):
    return _register(request, BusinessRegistrationForm, "accounts/register_business.html")


def _register(request, form_class, template):
    next_url = _next_param(request)
    if request.user.is_authenticated:
        return redirect(next_url or home_url(request.user))
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and getattr(request, "limited", False):
        form.is_valid()
        form.add_error(None, LIMITED_MESSAGE)
        context = {"form": form, "next": next_url, "sso_enabled": sso.is_enabled()}
        return render(request, template, context, status=429)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        if user is not None:
            login(request, user, backend=BACKEND)
            messages.success(request, "Đăng ký tài khoản thành công. Bạn đã được đăng nhập.")
            return redirect(next_url or home_url(user))
    context = {"form": form, "next": next_url, "sso_enabled": sso.is_enabled()}
    return render(request, template, context)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def get_redirect_url(self):
        return safe_next(self.request, self.request.POST.get("next", self.request.GET.get("next", "")))

    def get_default_redirect_url(self):
        return home_url(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(sso_enabled=sso.is_enabled(), **kwargs)

    def post(self, request, *args, **kwargs):
        """Too many logins from one address: refused before any password is checked, with
        the identifier kept in the form (the lockout per identifier is django-axes')."""
        from django.forms.utils import ErrorDict
        from django_ratelimit.core import is_ratelimited

        if is_ratelimited(request, group="accounts.login", key="ip", rate=settings.LOGIN_RATE, increment=True):
            form = self.get_form()
            form._errors, form.cleaned_data = ErrorDict(), {}
            form.add_error(None, LIMITED_MESSAGE)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    """POST only (Django's LogoutView answers GET with 405)."""

    next_page = reverse_lazy("procedures:home")

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "Bạn đã đăng xuất.")
        return response


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    form_class = BusinessProfileForm if user.kind == AccountKind.BUSINESS else ProfileForm
    form = form_class(request.POST if request.method == "POST" else None, instance=user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Đã lưu thông tin tài khoản.")
            return redirect("accounts:profile")
        user.refresh_from_db()  # the header shows the saved name, not the rejected one
    return render(request, "accounts/profile.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PortalPasswordChangeForm
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Đã đổi mật khẩu.")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    form_class = PortalPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    @method_decorator(ratelimit(key="ip", rate=PASSWORD_RESET_RATE, method="POST", block=False))
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        if getattr(self.request, "limited", False):
            form.add_error(None, LIMITED_MESSAGE)
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        self.extra_email_context = {
            "portal_base_url": settings.PORTAL_BASE_URL.rstrip("/"),
            "portal_name": settings.PORTAL_NAME,
            "province_name": settings.PROVINCE_NAME,
        }
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = PortalSetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@require_GET
def sso_start(request):
    if not sso.is_enabled():
        raise Http404
    return redirect(sso.begin(request, _next_param(request)))


@require_GET
def sso_callback(request):
    if not sso.is_enabled():
        raise Http404
    try:
        if request.GET.get("error"):
            request.session.pop(sso.SESSION_KEY, None)
            raise sso.SSOError("Bạn chưa hoàn tất đăng nhập tại Cổng Dịch vụ công quốc gia.")
        user, next_url, id_token = sso.complete(
            request, code=request.GET.get("code", ""), state=request.GET.get("state", "")
        )
    except sso.SSOError as error:
        return render(request, "accounts/sso_error.html", {"error": str(error)}, status=400)
    login(request, user, backend=BACKEND)
    if id_token:
        request.session[sso.ID_TOKEN_SESSION_KEY] = id_token  # for a later single logout
    messages.success(request, "Đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia thành công.")
    return redirect(safe_next(request, next_url) or home_url(user))


ACTIVATION_RATE = "20/h"


@ratelimit(key="ip", rate=ACTIVATION_RATE, method="POST", block=False)
@require_http_methods(["GET", "POST"])
def activate(request):
    """A citizen whose account was opened at the counter sets their first password."""
    form = ActivationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if getattr(request, "limited", False):
            form.is_valid()
            form.add_error(None, LIMITED_MESSAGE)
            status = 429
        elif form.is_valid():
            try:
                user = account_activate(
                    national_id=form.cleaned_data["national_id"],
                    code=form.cleaned_data["code"],
                    password=form.cleaned_data["password1"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field, errors)
            else:
                login(request, user, backend=BACKEND)
                messages.success(request, "Đã kích hoạt tài khoản. Hồ sơ nộp tại quầy của bạn ở dưới đây.")
                return redirect("dossiers:mine")
        if form.errors and status == 200:
            status = 400
    return render(request, "accounts/activate.html", {"form": form}, status=status)


# --- Second factor (xác thực hai bước) ------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_prompt(request):
    """After the password: the 6-digit code from the authenticator app (or a backup code)."""
    from . import second_factor

    next_url = _next_param(request) or home_url(request.user)
    if second_factor.is_verified(request.user):
        return redirect(next_url)
    if not second_factor.has_device(request.user):
        return redirect(reverse("accounts:second_factor_setup") + "?" + urlencode({"next": next_url}))
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            second_factor.verify(request, token=request.POST.get("token", ""))
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            left = second_factor.backup_codes_left(request.user)
            if left <= 3:
                messages.warning(request, f"Bạn chỉ còn {left} mã dự phòng. Hãy tạo mã mới trong trang tài khoản.")
            return redirect(next_url)
    return render(
        request,
        "accounts/second_factor.html",
        {"errors": errors, "next": next_url},
        status=400 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_setup(request):
    """Set up (or replace) the authenticator app: scan the QR code, type its first code,
    keep the backup codes shown once. Replacing one needs the current session verified."""
    from . import second_factor

    next_url = _next_param(request) or home_url(request.user)
    if second_factor.has_device(request.user) and not second_factor.is_verified(request.user):
        return redirect(reverse("accounts:second_factor") + "?" + urlencode({"next": next_url}))
    errors: dict[str, str] = {}
    device = second_factor.enrolment_device(request.user)
    if request.method == "POST" and device is not None:
        try:
            codes = second_factor.enrolment_confirm(request, device=device, token=request.POST.get("token", ""))
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            return render(request, "accounts/second_factor_codes.html", {"codes": codes, "next": next_url})
    elif request.method == "POST":
        errors = {"token": [second_factor.MSG_EXPIRED_QR]}
    if device is None or request.method == "GET":
        device = second_factor.enrolment_start(request.user)
    return render(
        request,
        "accounts/second_factor_setup.html",
        {
            "errors": errors,
            "next": next_url,
            "qr": second_factor.qr_code_svg(device),
            "secret": second_factor.secret_text(device),
            "replacing": second_factor.has_device(request.user),
        },
        status=400 if errors else 200,
    )
