from django.urls import path

from motcua.reports import views

urlpatterns = [
    path("ket-qua/", views.results_page, name="reports_results"),
    path("ket-qua/xlsx/", views.results_xlsx, name="reports_results_xlsx"),
    path("ket-qua/docx/", views.results_docx, name="reports_results_docx"),
    path("ket-qua/ho-so/", views.results_cell, name="reports_results_cell"),
    path("kpi/", views.kpi_page, name="reports_kpi"),
    path("kpi/ho-so/", views.kpi_cell, name="reports_kpi_cell"),
    path("chi-so-766/", views.index766_page, name="reports_index766"),
    path("chi-so-766/ho-so/", views.index766_cell, name="reports_index766_cell"),
    path("trich-xuat/", views.adhoc_page, name="reports_adhoc"),
    path("trich-xuat/tai/", views.adhoc_export, name="reports_adhoc_export"),
]
