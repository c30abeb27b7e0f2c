"""Một Cửa settings: one module, values from the environment with safe development defaults.

See `.env.example` for every variable. `MOTCUA_ENV=production` refuses to start with
DEBUG on or with the development secret key.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from motcua.lib.env import EnvError, env_bool, env_int, env_list, env_str, parse_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MOTCUA_VAR_DIR", str(BASE_DIR / "var")))

DEV_SECRET_KEY = "dev-only-insecure-key-change-me"

try:
    MOTCUA_ENV = env_str("MOTCUA_ENV", "development")
    if MOTCUA_ENV not in {"development", "production", "test"}:
        raise EnvError(
            f"Biến môi trường MOTCUA_ENV={MOTCUA_ENV!r} không hợp lệ: development, production hoặc test."
        )
    PRODUCTION = MOTCUA_ENV == "production"
    DEBUG = env_bool("DEBUG", not PRODUCTION)
    SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
    DATABASES = {
        "default": parse_database_url(
            env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'motcua.sqlite3'}"), name="DATABASE_URL"
        )
    }
    LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5, minimum=1)
    LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
    INTAKE_CUTOFF = env_str("INTAKE_CUTOFF", "15:00")
    ONLINE_CLOCK_FROM = env_str("ONLINE_CLOCK_FROM", "submission")
    DOSSIER_MAX_FILE_MB = env_int("DOSSIER_MAX_FILE_MB", 20, minimum=1)
    DOSSIER_MAX_APOLOGIES = env_int("DOSSIER_MAX_APOLOGIES", 1, minimum=0)
    TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)
    TRUSTED_PROXY_HOPS = env_int("TRUSTED_PROXY_HOPS", 1, minimum=1)  # X-Forwarded-For entry counted from the right
    # Citizen sign-in through OpenID Connect (VNeID) and its local development provider.
    OIDC_DEV_PROVIDER_ENABLED = env_bool("OIDC_DEV_PROVIDER_ENABLED", not PRODUCTION)
    OIDC_ISSUER = env_str("OIDC_ISSUER", "http://127.0.0.1:8000/oidc-dev" if OIDC_DEV_PROVIDER_ENABLED else "")
    OIDC_CLIENT_ID = env_str("OIDC_CLIENT_ID", "motcua")
    OIDC_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", "dev-oidc-client-secret-change-me-0001" if not PRODUCTION else "")
    OIDC_REDIRECT_URI = env_str("OIDC_REDIRECT_URI", "http://127.0.0.1:8000/dang-nhap/vneid/callback/")
    OIDC_SCOPES = env_str("OIDC_SCOPES", "openid profile email phone")
    OIDC_PERSONAL_ID_CLAIM = env_str("OIDC_PERSONAL_ID_CLAIM", "personal_id")
    OIDC_TIMEOUT_SECONDS = env_int("OIDC_TIMEOUT_SECONDS", 10, minimum=1)
    # Online payment of fees: a VNPay-like gateway, or the sandbox gateway the project ships.
    PAYMENT_SANDBOX_ENABLED = env_bool("PAYMENT_SANDBOX_ENABLED", not PRODUCTION)
    PAYMENT_GATEWAY_NAME = env_str("PAYMENT_GATEWAY_NAME", "sandbox" if PAYMENT_SANDBOX_ENABLED else "vnpay")
    PAYMENT_GATEWAY_URL = env_str("PAYMENT_GATEWAY_URL", "http://127.0.0.1:8000/sandbox-thanh-toan/")
    PAYMENT_QUERY_URL = env_str("PAYMENT_QUERY_URL", "http://127.0.0.1:8000/sandbox-thanh-toan/truy-van/")
    PAYMENT_MERCHANT_CODE = env_str("PAYMENT_MERCHANT_CODE", "MOTCUA01")
    PAYMENT_SECRET = env_str("PAYMENT_SECRET", "dev-payment-secret-change-me-000001" if not PRODUCTION else "")
    PAYMENT_SANDBOX_IPN_URL = env_str("PAYMENT_SANDBOX_IPN_URL", "http://127.0.0.1:8000/thanh-toan/ipn/")
    PAYMENT_TIMEOUT_SECONDS = env_int("PAYMENT_TIMEOUT_SECONDS", 10, minimum=1)
    # Notifications to applicants (integrations/notify): e-mail through SMTP, SMS through an adapter.
    EMAIL_ENABLED = env_bool("EMAIL_ENABLED", True)
    # Development writes mail to files under var/mail (no SMTP server needed); production uses SMTP.
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION
                            else "django.core.mail.backends.filebased.EmailBackend")
    EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
    EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
    EMAIL_PORT = env_int("EMAIL_PORT", 1025, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
    DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Một Cửa <khong-tra-loi@motcua.local>")
    SMS_ENABLED = env_bool("SMS_ENABLED", True)
    SMS_BACKEND = env_str("SMS_BACKEND", "motcua.integrations.notify.sms.FakeSmsBackend")
    SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL", "")
    SMS_GATEWAY_TOKEN = env_str("SMS_GATEWAY_TOKEN", "")
    SMS_SENDER = env_str("SMS_SENDER", "MOTCUA")
    SMS_TIMEOUT_SECONDS = env_int("SMS_TIMEOUT_SECONDS", 10, minimum=1)
    # Seconds a database connection is kept between requests (0: one per request; 600 behind gunicorn).
    DB_CONN_MAX_AGE = env_int("DB_CONN_MAX_AGE", 0, minimum=0)
    # PostgreSQL: server-side binding and prepared statements (off behind a transaction-pooling PgBouncer).
    DB_PREPARED_STATEMENTS = env_bool("DB_PREPARED_STATEMENTS", True)
    # Ad-hoc dossier exports: above this many rows the file is written by the task worker (a job with a
    # progress bar and a download link); finished files are deleted after EXPORT_RETENTION_HOURS.
    EXPORT_BACKGROUND_THRESHOLD = env_int("EXPORT_BACKGROUND_THRESHOLD", 20000, minimum=0)
    EXPORT_RETENTION_HOURS = env_int("EXPORT_RETENTION_HOURS", 72, minimum=1)
except EnvError as exc:
    raise ImproperlyConfigured(str(exc)) from None

if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("MOTCUA_ENV=production không được chạy với DEBUG=true.")
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured(
            "MOTCUA_ENV=production cần SECRET_KEY riêng, dài ít nhất 32 ký tự (không dùng khóa mặc định)."
        )
    if OIDC_DEV_PROVIDER_ENABLED:
        raise ImproperlyConfigured("MOTCUA_ENV=production không được bật OIDC_DEV_PROVIDER_ENABLED (nhà cung cấp thử).")
    if PAYMENT_SANDBOX_ENABLED:
        raise ImproperlyConfigured("MOTCUA_ENV=production không được bật PAYMENT_SANDBOX_ENABLED (cổng thanh toán thử).")

DB_ENGINE = DATABASES["default"]["ENGINE"]
if DB_ENGINE == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
elif DB_ENGINE == "django.db.backends.postgresql" and DB_PREPARED_STATEMENTS:
    # psycopg 3 prepares a statement the second time a connection runs it; later runs skip parse and plan
    # (bench/intake_bench.py: about +18% intakes per second). Every test passes with it on PostgreSQL.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 1})
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = DB_CONN_MAX_AGE
DATABASES["default"]["CONN_HEALTH_CHECKS"] = DB_CONN_MAX_AGE > 0
DATABASES["default"]["TEST"] = {"NAME": None}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "motcua.org",
    "motcua.catalog",
    "motcua.dossiers",
    "motcua.plans",
    "motcua.records",
    "motcua.portal",
    "motcua.integrations.oidc",
    "motcua.integrations.payments",
    "motcua.integrations.notify",
    "motcua.paperwork",
    "motcua.reports",
]
if DB_ENGINE == "django.db.backends.postgresql":
    INSTALLED_APPS.append("django.contrib.postgres")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.org.middleware.VietnameseByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "motcua.org.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "motcua" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "motcua.org.context_processors.navigation",
            ],
        },
    }
]

AUTH_USER_MODEL = "org.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "motcua" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%dT%H:%M"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG
STATICFILES_DIRS = [BASE_DIR / "motcua" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)

# Content-Security-Policy: everything from our own origin, no CDN, no inline script.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

TESTING = "pytest" in sys.modules or (len(sys.argv) > 1 and sys.argv[1] == "test")
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
