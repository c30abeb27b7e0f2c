from django.urls import path

from motcua.portal import views

urlpatterns = [
    # Public (no sign-in).
    path("cong/", views.home, name="portal_home"),
    path("cong/thu-tuc/<str:code>/", views.procedure, name="portal_procedure"),
    path("cong/bang-cong-khai/", views.public_board, name="portal_board"),
    path("cong/phan-anh/", views.feedback, name="portal_feedback"),
    path("tra-cuu/", views.lookup, name="portal_lookup"),
    # The signed-in citizen.
    path("cong/nop/<str:code>/", views.start, name="portal_start"),
    path("cong/ho-so-nhap/<int:pk>/to-khai/", views.declaration, name="portal_draft_declaration"),
    path("cong/ho-so-nhap/<int:pk>/giay-to/", views.documents, name="portal_draft_documents"),
    path("cong/ho-so-nhap/<int:pk>/xem-lai/", views.review, name="portal_draft_review"),
    path("cong/ho-so-nhap/<int:pk>/xoa/", views.discard_draft, name="portal_draft_discard"),
    path("cong/ho-so-cua-toi/", views.my_dossiers, name="portal_my_dossiers"),
    path("cong/ho-so-cua-toi/<str:code>/", views.my_dossier, name="portal_my_dossier"),
    path("cong/ho-so-cua-toi/<str:code>/bo-sung/", views.supplement, name="portal_supplement"),
    path("cong/ho-so-cua-toi/<str:code>/danh-gia/", views.rate, name="portal_rate"),
    path("cong/ho-so-cua-toi/<str:code>/ket-qua/<int:pk>/", views.result_download, name="portal_result_download"),
    path("cong/giay-to-cua-toi/", views.my_records, name="portal_my_records"),
    path("cong/giay-to-cua-toi/<int:pk>/", views.record_download, name="portal_record_download"),
    # Control officers.
    path("phan-anh/", views.feedback_list, name="portal_feedback_list"),
]
