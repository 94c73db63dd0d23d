"""Settings for the benchmark: production's, plus the ``baseline`` view's URL.

The server runs as in production (DEBUG off, the connection pool, cached templates: Django
caches compiled templates whenever the loaders are not set). The only differences: plain
HTTP on loopback (no TLS proxy in front, so no redirect to HTTPS), and the bare ``baseline``
view that the benchmark compares every endpoint with.
"""

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# One log line per request would cost more than some of the views it measures.
LOGGING["loggers"]["django"]["level"] = "WARNING"  # noqa: F405
