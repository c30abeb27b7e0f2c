from django.urls import path

from motcua.org import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", views.login_view, name="login"),
    path("dang-xuat/", views.logout_view, name="logout"),
    path("healthz", views.healthz, name="healthz"),
]
