"""Processing pages under /mot-cua/ (issue 6): work lists, a dossier's moves and paperwork, late dossiers."""

from django.urls import path

from motcua.dossiers import views_processing as v

urlpatterns = [
    path("xu-ly/", v.worklist, name="dossiers_worklist"),
    path("xu-ly/qua-han/", v.overdue, name="dossiers_overdue"),
    path("ho-so/<str:code>/xu-ly/", v.processing_page, name="dossiers_processing"),
    path("ho-so/<str:code>/xu-ly/<slug:move>/", v.make_move, name="dossiers_move"),
    path("ho-so/<str:code>/phieu-kiem-soat.pdf", v.control_slip_pdf, name="dossiers_control_slip_pdf"),
    path("ho-so/<str:code>/xin-loi/<int:pk>.pdf", v.apology_pdf, name="dossiers_apology_pdf"),
    path("ho-so/<str:code>/bo-sung/<int:pk>.pdf", v.supplement_pdf, name="dossiers_supplement_pdf"),
    path("ho-so/<str:code>/thong-bao-dung.pdf", v.stop_notice_pdf, name="dossiers_stop_notice_pdf"),
    path("ho-so/<str:code>/ket-qua/<int:pk>/", v.result_file, name="dossiers_result_file"),
]
