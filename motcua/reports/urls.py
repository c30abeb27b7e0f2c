from django.urls import path

from motcua.reports import views, views_exports, views_tables

urlpatterns = [
    path("ket-qua/", views.results_page, name="reports_results"),
    path("ket-qua/xlsx/", views.results_xlsx, name="reports_results_xlsx"),
    path("ket-qua/docx/", views.results_docx, name="reports_results_docx"),
    path("ket-qua/ho-so/", views.results_cell, name="reports_results_cell"),
    path("mot-cua/", views_tables.onestop_page, name="reports_onestop"),
    path("mot-cua/xlsx/", views_tables.onestop_xlsx, name="reports_onestop_xlsx"),
    path("mot-cua/docx/", views_tables.onestop_docx, name="reports_onestop_docx"),
    path("mot-cua/thu-tuc/", views_tables.onestop_cell, name="reports_onestop_cell"),
    path("cong-bo/", views_tables.publication_page, name="reports_publication"),
    path("cong-bo/xlsx/", views_tables.publication_xlsx, name="reports_publication_xlsx"),
    path("cong-bo/docx/", views_tables.publication_docx, name="reports_publication_docx"),
    path("cong-bo/thu-tuc/", views_tables.publication_cell, name="reports_publication_cell"),
    path("kpi/", views.kpi_page, name="reports_kpi"),
    path("kpi/ho-so/", views.kpi_cell, name="reports_kpi_cell"),
    path("kpi/thu-tuc/", views.kpi_procedures_page, name="reports_kpi_procedures"),
    path("chi-so-766/", views.index766_page, name="reports_index766"),
    path("chi-so-766/ho-so/", views.index766_cell, name="reports_index766_cell"),
    path("trich-xuat/", views.adhoc_page, name="reports_adhoc"),
    path("trich-xuat/tai/", views.adhoc_export, name="reports_adhoc_export"),
    path("trich-xuat/nen/", views_exports.export_start, name="reports_export_start"),
    path("trich-xuat/tep/", views_exports.export_jobs_page, name="reports_export_jobs"),
    path("trich-xuat/tep/<int:pk>/", views_exports.export_job_row, name="reports_export_job"),
    path("trich-xuat/tep/<int:pk>/tai/", views_exports.export_download, name="reports_export_download"),
]
