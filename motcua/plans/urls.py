from django.urls import path

from motcua.plans import views

urlpatterns = [
    path("", views.index, name="plans_index"),
    path("<int:pk>/", views.plan_detail, name="plans_plan"),
    path("<int:pk>/xuat.<str:fmt>", views.plan_export, name="plans_export"),
    path("<int:pk>/kiem-tra/", views.inspections, name="plans_inspections"),
    path("<int:pk>/tu-kiem-tra/", views.self_inspections, name="plans_self_inspections"),
    path("nhiem-vu/<int:pk>/", views.task_detail, name="plans_task"),
    path("nhiem-vu/<int:pk>/cap-nhat/", views.task_update, name="plans_task_update"),
    path("nhiem-vu/<int:pk>/minh-chung/", views.evidence_upload, name="plans_evidence_upload"),
    path("nhiem-vu/<int:pk>/lien-ket/", views.evidence_link, name="plans_evidence_link"),
    path("nhiem-vu/<int:pk>/y-kien/", views.comment_add, name="plans_comment"),
    path("ky/<int:pk>/cap-nhat/", views.instance_update, name="plans_instance_update"),
    path("minh-chung/<int:pk>/", views.evidence_download, name="plans_evidence_download"),
    path("nhac-viec/<int:pk>/da-doc/", views.reminder_read, name="plans_reminder_read"),
    path("kiem-tra/<int:pk>/", views.inspection_detail, name="plans_inspection"),
    path("kiem-tra/<int:pk>/ket-qua/", views.finding_add, name="plans_finding_add"),
    path("kiem-tra/<int:pk>/kien-nghi/", views.recommendation_add, name="plans_recommendation_add"),
    path("kiem-tra/<int:pk>/ket-luan/", views.inspection_conclude, name="plans_inspection_conclude"),
    path("kiem-tra/<int:pk>/bao-cao.docx", views.inspection_report, name="plans_inspection_report"),
    path("kien-nghi/<int:pk>/khac-phuc/", views.recommendation_follow_up, name="plans_follow_up"),
    path("tu-kiem-tra/tep/<int:pk>/", views.self_inspection_file, name="plans_self_inspection_file"),
]
