from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("payments/vnpay/ipn/", views.vnpay_ipn, name="vnpay_ipn"),
    path("payments/vnpay/return/", views.vnpay_return, name="vnpay_return"),
    path("ho-so/<uuid:public_id>/thanh-toan/", views.pay, name="pay"),
    path("bien-lai/<str:txn_ref>/", views.receipt, name="receipt"),
]
