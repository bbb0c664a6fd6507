# The portal's production image: web (gunicorn), Celery worker and beat all run from it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=association.settings.prod

RUN useradd --create-home --uid 10001 portal
WORKDIR /app

# Dependencies first, so that a code change does not reinstall them.
COPY pyproject.toml constraints.txt README.md ./
COPY association/__init__.py association/
COPY members/__init__.py members/
COPY projects/__init__.py projects/
COPY advocacy/__init__.py advocacy/
RUN pip install -c constraints.txt -e ".[s3]"

COPY . .
# Translations and static files are built into the image; the dummy values only let the
# production settings load, nothing connects anywhere during the build.
RUN pybabel compile --domain django --directory locale \
    && SECRET_KEY=build-only ALLOWED_HOSTS=localhost DATABASE_URL=postgres://build@localhost/build \
       python manage.py collectstatic --noinput \
    && mkdir -p /app/media /app/private && chown portal:portal /app/media /app/private

USER portal
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz/', timeout=4)"
CMD ["gunicorn", "association.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
