from django.urls import path

from motcua.org import calendar_views

urlpatterns = [
    path("lich-lam-viec/", calendar_views.work_calendar, name="work_calendar"),
    path("lich-lam-viec/nghi-dia-phuong/", calendar_views.closure_add, name="closure_add"),
    path("lich-lam-viec/nghi-dia-phuong/<int:pk>/xoa/", calendar_views.closure_remove, name="closure_remove"),
]
