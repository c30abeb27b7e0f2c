from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.i18n import set_language

from motcua.api import public_api_urls

admin.site.site_header = "Một Cửa – Quản trị hệ thống"
admin.site.site_title = "Một Cửa"


@login_not_required
def favicon(request):
    """Browsers ask for /favicon.ico on their own: send them to the icon the pages link (static, hashed in
    production, served by WhiteNoise)."""
    return redirect(static("favicon.svg"))


urlpatterns = [
    path("quan-tri/", admin.site.urls),
    path("favicon.ico", favicon, name="favicon"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("api/v1/", public_api_urls()),
    path("", include("motcua.catalog.urls")),
    path("", include("motcua.org.urls")),
    path("", include("motcua.integrations.oidc.urls")),
    path("", include("motcua.integrations.payments.urls")),
    path("", include("motcua.org.calendar_urls")),
    path("mot-cua/", include("motcua.dossiers.urls")),
    path("mot-cua/", include("motcua.dossiers.urls_processing")),
    path("ke-hoach/", include("motcua.plans.urls")),
    path("bao-cao/", include("motcua.reports.urls")),
    path("", include("motcua.portal.urls")),
]

handler404 = "motcua.org.views_errors.page_not_found"
