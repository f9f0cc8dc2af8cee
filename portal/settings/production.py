"""Production settings: everything in base.py, plus what ``check --deploy`` asks for.

Requires SECRET_KEY, DATABASE_URL (PostgreSQL) and REDIS_URL in the environment.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import REDIS_URL, USING_POSTGRES, VNPAY_HASH_SECRET, env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")
# The same test as Django's security.W009, made fatal: at least 50 characters, at
# least 5 different ones, and not a sample or generated-insecure key.
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith(("insecure", "django-insecure-")):
    raise ImproperlyConfigured("SECRET_KEY phải dài ít nhất 50 ký tự và không phải khóa mẫu.")
if not USING_POSTGRES:
    raise ImproperlyConfigured("Môi trường production cần DATABASE_URL trỏ tới PostgreSQL.")
if not REDIS_URL:
    raise ImproperlyConfigured("Môi trường production cần REDIS_URL.")
# The demo merchant's secret is published with the code: anyone could sign an IPN with it.
if VNPAY_HASH_SECRET == "DEMOSECRETDEMOSECRETDEMOSECRET12" or len(VNPAY_HASH_SECRET) < 16:  # nosec B105 # the demo merchant's published secret, compared to refuse it
    raise ImproperlyConfigured("Môi trường production cần VNPAY_HASH_SECRET do VNPay cấp (không dùng khóa mẫu).")

# Officers and admins see citizens' identity documents: a password alone is not enough.
if not env.bool("SECOND_FACTOR_REQUIRED", default=True):
    raise ImproperlyConfigured("Môi trường production phải bắt buộc xác thực hai bước (SECOND_FACTOR_REQUIRED=true).")
SECOND_FACTOR_REQUIRED = True

CELERY_TASK_ALWAYS_EAGER = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Health probes (docker compose, load balancer) speak plain HTTP to the container.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    # Preloading binds every subdomain of the province's domain to HTTPS for good:
    # the operator opts in with SECURE_HSTS_PRELOAD=true (docs/DECISIONS.md).
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# "__Host-": the browser keeps these cookies only if set over HTTPS, for the whole site and
# for this host alone (no Domain), so a sibling subdomain cannot plant or read them.
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
SESSION_COOKIE_SAMESITE = "Lax"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)

# The sandbox stand-in for the national portal never answers in production.
NATIONAL_SYNC = {**NATIONAL_SYNC, "SANDBOX": False}  # noqa: F405
