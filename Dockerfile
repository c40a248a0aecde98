# syntax=docker/dockerfile:1
#
# The portal image: one image for the web process (gunicorn), the Celery worker and Celery beat.
# Build:  docker build -t ttf-portal .
# Run:    see docker-compose.yml; configuration comes from the environment (.env.example).

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_ROOT_USER_ACTION=ignore

# Runtime libraries WeasyPrint needs (Pango, HarfBuzz subsetting) and fonts covering Latin,
# Cyrillic and CJK text in generated PDFs. fontconfig comes in as a dependency of Pango.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-noto-core \
        fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

# pg_dump/pg_restore for `manage.py backup` and `restore` (README "Backups and restores").
# pg_dump must be at least the server's version: bookworm's postgresql-client is 15, as is
# the compose file's postgres:15. Moving the server to a newer major means installing that
# major's client here (postgresql-client-NN from apt.postgresql.org).
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 1000 app \
    && useradd --system --uid 1000 --gid app --create-home --home-dir /home/app \
        --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, so code changes do not invalidate this layer. pyproject.toml declares
# no packages ([tool.setuptools] packages = []): installing it installs only the
# dependencies; the code itself runs from /app. Built outside /app so no build/ or
# *.egg-info is left in the application directory.
COPY pyproject.toml /tmp/src/
RUN pip install --no-cache-dir /tmp/src \
    && rm -rf /tmp/src

COPY . .

# Static files are collected at build time (served by WhiteNoise). The settings refuse to load
# without SECRET_KEY when DEBUG is off, so this one command gets a dummy, build-only key; it is
# not stored in the image's environment.
RUN SECRET_KEY=collectstatic-build-only-not-a-secret DEBUG=0 \
        python manage.py collectstatic --noinput \
    && chmod 0755 docker/entrypoint.sh \
    && mkdir -p /app/media /app/media-private /backups \
    && chown app:app /app/media /app/media-private /backups

USER app

EXPOSE 8000

ENTRYPOINT ["/app/docker/entrypoint.sh"]
# gunicorn's settings (bind, WEB_CONCURRENCY workers, metrics of every worker) are in
# docker/gunicorn.conf.py (docs/adr/0031).
CMD ["gunicorn", "portal.wsgi:application", "--config", "docker/gunicorn.conf.py"]
