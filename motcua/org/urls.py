from django.urls import path

from motcua.org import views, views_audit, views_units

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", views.login_view, name="login"),
    path("dang-xuat/", views.logout_view, name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("nhat-ky/", views_audit.audit_log, name="audit_log"),
    path("nhat-ky/kiem-tra/", views_audit.audit_verify, name="audit_verify"),
    path("to-chuc/", views_units.unit_tree, name="unit_tree"),
    path("to-chuc/them/", views_units.unit_create, name="unit_create"),
    path("to-chuc/hop-nhat/", views_units.unit_merge, name="unit_merge"),
    path("to-chuc/<int:pk>/", views_units.unit_detail, name="unit_detail"),
    path("to-chuc/<int:pk>/sua/", views_units.unit_edit, name="unit_edit"),
    path("to-chuc/<int:pk>/phan-cong/", views_units.unit_assign_role, name="unit_assign_role"),
    path("to-chuc/<int:pk>/uy-quyen/", views_units.unit_delegate, name="unit_delegate"),
    path("phan-cong/<int:pk>/ket-thuc/", views_units.assignment_end, name="assignment_end"),
    path("uy-quyen/", views_units.my_delegations, name="my_delegations"),
    path("uy-quyen/<int:pk>/thu-hoi/", views_units.delegation_revoke, name="delegation_revoke"),
]
