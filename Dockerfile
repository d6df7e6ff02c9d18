# syntax=docker/dockerfile:1
#
# Grannsamverkan production image. The default command serves the site with gunicorn;
# the same image runs the Celery worker and beat with a different command (see
# docker-compose.yml). Configuration comes from the environment: see config/settings.py.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

# A fixed, unprivileged UID/GID, so the ownership of mounted volumes is predictable.
# The home directory holds gunicorn's control socket (~/.gunicorn/).
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --create-home --home-dir /home/app \
        --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies before the code, so a code change does not reinstall them. Every
# package is pinned by hash (uv pip compile --generate-hashes); pip refuses anything
# else, and all of them ship manylinux wheels, so no compiler is needed.
COPY requirements.txt ./
RUN pip install --no-cache-dir --require-hashes -r requirements.txt

# The one directory the app user may write to (uploaded photos); .dockerignore keeps a
# local media/ out of the COPY below.
RUN install -d -o app -g app /app/media

# The compiled translation catalogues (locale/*/LC_MESSAGES/*.mo) are part of the
# source tree, so the image needs no gettext. .dockerignore keeps tests, the
# virtualenv, local databases and secrets out.
COPY . .

# Static files are collected and compressed at build time; WhiteNoise serves them.
# Production settings refuse to load without these variables, so dummy values are
# set for this RUN only: they are not part of the image's environment, and nothing
# here connects to a database or to Redis. Every RUN after `COPY . .` touches the
# project: CI runs them outside Docker with exactly these variables, in a virtual
# environment made from requirements.txt alone (tests/test_image_build.py).
# The code stays owned by root (read-only for the app user).
RUN DJANGO_ENV=production \
    SECRET_KEY=build-time-only-collectstatic-not-a-secret \
    ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://build-time-only@localhost:5432/none \
    REDIS_URL=redis://localhost:6379/0 \
    DEFAULT_FROM_EMAIL=build-time-only@localhost \
    python manage.py collectstatic --noinput \
 && python -m compileall -q .

# Production is the default: the container refuses to start without SECRET_KEY
# (or SECRET_KEY_FILE), ALLOWED_HOSTS, DATABASE_URL, REDIS_URL and DEFAULT_FROM_EMAIL.
# gunicorn reads WEB_CONCURRENCY
# as its worker count; override it per host (about 2 x CPUs + 1).
ENV DJANGO_ENV=production \
    WEB_CONCURRENCY=3

USER app

EXPOSE 8000

# /healthz/live answers while gunicorn does, without asking the database or Redis:
# restarting the web container mends neither (point an uptime monitor at /healthz,
# which does, and at the worker's heartbeat). urlopen raises on any status >= 400.
# The Host header is the first ALLOWED_HOSTS entry, so the probe is not rejected as a
# disallowed host; the path is exempt from SECURE_SSL_REDIRECT. Containers that run
# the worker or beat must override or disable this check (docker-compose.yml does).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; h = os.environ.get('ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.'); r.urlopen(r.Request('http://127.0.0.1:8000/healthz/live', headers={'Host': h if h not in ('', '*') else 'localhost'}), timeout=4)"]

# Access log to stdout, error log to stderr (gunicorn's default). The worker heartbeat
# files live in /dev/shm, a tmpfs, so a slow overlay filesystem cannot stall workers.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--worker-tmp-dir", "/dev/shm"]
