# Production image: gunicorn (web), Celery worker and beat all run from it.
# docker-compose.yml says which process each service starts; see docs/OPERATIONS.md.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=portal.settings.production \
    MEDIA_ROOT=/var/lib/portal/media \
    PRIVATE_MEDIA_ROOT=/var/lib/portal/private

# WeasyPrint (receipts, PDFs) needs Pango, HarfBuzz's subsetter and fontconfig;
# fonts-noto-core has every Vietnamese letter; gettext compiles the English
# translation at build time; postgresql-client has pg_dump and pg_restore for
# manage.py backup/restore. Nothing else is fetched at run time.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libharfbuzz0b \
        libfontconfig1 fonts-noto-core gettext postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 portal \
    && useradd --system --uid 10001 --gid portal --home-dir /app --shell /usr/sbin/nologin portal

WORKDIR /app
# The lock pins every package and the sha256 of its files (make lock writes it from
# requirements.txt); pip refuses anything else. The pip that installs it is itself pinned
# and hash-checked (requirements-bootstrap.lock), whatever pip the base image bundles.
COPY requirements-bootstrap.lock requirements.lock ./
RUN pip install --require-hashes -r requirements-bootstrap.lock \
    && pip install --require-hashes -r requirements.lock \
    && python -c "import weasyprint, django, celery"

COPY . .

# Static files are collected into the image (WhiteNoise serves them, hashed names).
# The production settings refuse to load without these variables; the values below
# exist only for this build step and are not kept in the image's environment.
RUN SECRET_KEY=collectstatic-at-build-time-only-never-used-to-sign-anything-0123456789 \
    DATABASE_URL=postgres://build@127.0.0.1:5432/build \
    REDIS_URL=redis://127.0.0.1:6379/0 \
    ALLOWED_HOSTS=localhost \
    VNPAY_HASH_SECRET=build-time-only-never-a-merchant-secret \
    sh -c "python manage.py compilemessages -v0 && python manage.py collectstatic --no-input -v0" \
    && mkdir -p /app/var /var/lib/portal/media /var/lib/portal/private \
    && chown -R portal:portal /app/var /var/lib/portal

USER portal
EXPOSE 8000

# The default command serves the web tier; the worker, beat and migrate services
# of docker-compose.yml override it.
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-", \
     "--timeout", "60", "--graceful-timeout", "30", "--max-requests", "1000", "--max-requests-jitter", "100"]
