# The exchange's one image: web (gunicorn), worker and beat run it with different commands (compose.yaml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/var/lib/exchange/media

WORKDIR /app
RUN useradd --system --uid 10001 --home-dir /app exchange \
    && mkdir -p /var/lib/exchange/media /var/lib/exchange/beat \
    && chown -R exchange /var/lib/exchange

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
# Static files are built into the image; the key only satisfies the production settings' check while collecting.
RUN SECRET_KEY=collectstatic-only-not-a-secret-collectstatic-only-not-a-secret \
    python manage.py collectstatic --noinput \
    && python manage.py compilemessages --ignore=.venv >/dev/null

USER exchange
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--config", "config/gunicorn.py"]
