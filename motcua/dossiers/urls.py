"""Officer pages of the one-stop desk, under /mot-cua/ (sign-in required everywhere)."""

from django.urls import path

from motcua.dossiers import (
    views_book,
    views_counter_rating,
    views_dossier,
    views_find,
    views_intake,
    views_online,
)

urlpatterns = [
    path("tiep-nhan/", views_intake.intake, name="dossiers_intake"),
    path("tiep-nhan/thu-tuc/", views_intake.procedure_suggestions, name="dossiers_intake_procedures"),
    path("tiep-nhan/thanh-phan/", views_intake.case_checklist, name="dossiers_intake_checklist"),
    path("tiep-nhan/nguoi-nop/", views_intake.applicant_lookup, name="dossiers_intake_applicant"),
    path("tim-ho-so/", views_find.find_dossier, name="dossiers_find"),
    path("ho-so/<str:code>/", views_dossier.dossier_detail, name="dossiers_detail"),
    path("ho-so/<str:code>/danh-gia-tai-quay/", views_counter_rating.counter_rating, name="dossiers_counter_rating"),
    path("danh-gia-tai-quay/cam-on/", views_counter_rating.counter_thanks, name="dossiers_counter_thanks"),
    path("ho-so/<str:code>/da-tiep-nhan/", views_dossier.dossier_received, name="dossiers_received"),
    path("ho-so/<str:code>/kiem-tra-truc-tuyen/", views_online.check, name="dossiers_online_check"),
    path("ho-so/<str:code>/giay-tiep-nhan.pdf", views_dossier.receipt_pdf, name="dossiers_receipt_pdf"),
    path("ho-so/<str:code>/tep/<int:pk>/", views_dossier.dossier_file, name="dossiers_file"),
    # Notice numbers hold a slash ("001/PBS-000.01.30.H27-251117"): the PDF pattern comes first.
    path("phieu/<path:number>/phieu.pdf", views_dossier.notice_pdf, name="dossiers_notice_pdf"),
    path("phieu/<path:number>/", views_dossier.notice_detail, name="dossiers_notice"),
    path("so-theo-doi/", views_book.tracking_book, name="dossiers_book"),
    path("so-theo-doi/so-theo-doi.xlsx", views_book.tracking_book_xlsx, name="dossiers_book_xlsx"),
    path("so-theo-doi/so-theo-doi.pdf", views_book.tracking_book_pdf, name="dossiers_book_pdf"),
]
