from django.urls import path

from motcua.integrations.oidc import views

urlpatterns = [
    path("dang-nhap/vneid/", views.vneid_start, name="oidc_start"),
    path("dang-nhap/vneid/callback/", views.vneid_callback, name="oidc_callback"),
    path("oidc-dev/.well-known/openid-configuration", views.dev_discovery, name="oidc_dev_discovery"),
    path("oidc-dev/authorize/", views.dev_authorize, name="oidc_dev_authorize"),
    path("oidc-dev/token/", views.dev_token, name="oidc_dev_token"),
    path("oidc-dev/userinfo/", views.dev_userinfo, name="oidc_dev_userinfo"),
    path("oidc-dev/jwks/", views.dev_jwks, name="oidc_dev_jwks"),
]
