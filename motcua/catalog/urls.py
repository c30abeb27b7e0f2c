from django.urls import path

from motcua.catalog import views

urlpatterns = [
    # Public portal pages (no sign-in).
    path("thu-tuc/", views.public_list, name="catalog_public_list"),
    path("thu-tuc/niem-yet/<str:code>.pdf", views.listing_board, name="catalog_listing_board"),
    path("thu-tuc/mau/<int:pk>/", views.form_download, name="catalog_form_download"),
    path("thu-tuc/<str:code>/", views.public_detail, name="catalog_public_detail"),
    # The control officer's pages.
    path("danh-muc/", views.control, name="catalog_control"),
    path("danh-muc/quyet-dinh/moi/", views.decision_new, name="catalog_decision_new"),
    path("danh-muc/quyet-dinh/mau.xlsx", views.entries_template, name="catalog_entries_template"),
    path("danh-muc/quyet-dinh/<int:pk>/", views.decision_detail, name="catalog_decision"),
    path("danh-muc/quy-trinh/<int:case_id>/", views.process_editor, name="catalog_process_editor"),
    path("danh-muc/so-sanh/<str:code>/", views.compare, name="catalog_compare"),
    path("danh-muc/nhap-xuat/", views.exchange, name="catalog_exchange"),
    path("danh-muc/xuat/", views.export, name="catalog_export"),
]
