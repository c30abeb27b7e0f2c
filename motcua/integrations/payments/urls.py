from django.urls import path

from motcua.integrations.payments import counter, views

urlpatterns = [
    path("thanh-toan/ho-so/<str:code>/", views.dossier_payment, name="payments_dossier"),
    path("thanh-toan/ho-so/<str:code>/tai-quay/", counter.record, name="payments_counter"),
    path("thanh-toan/ket-qua/", views.gateway_return, name="payments_return"),
    path("thanh-toan/ipn/", views.gateway_ipn, name="payments_ipn"),
    path("thanh-toan/doi-soat/", views.reconciliation, name="payments_reconciliation"),
    path("thanh-toan/<int:pk>/tra-cuu/", views.payment_query, name="payments_query"),
    path("thanh-toan/<int:pk>/bien-lai.pdf", views.receipt, name="payments_receipt"),
    path("sandbox-thanh-toan/", views.sandbox_pay, name="payments_sandbox_pay"),
    path("sandbox-thanh-toan/truy-van/", views.sandbox_query, name="payments_sandbox_query"),
]
