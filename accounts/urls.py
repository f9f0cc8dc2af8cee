from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("dang-ky/", views.register, name="register"),
    path("dang-ky/doanh-nghiep/", views.register_business, name="register_business"),
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-nhap/dvcqg/", views.sso_start, name="sso_start"),
    path("dang-nhap/dvcqg/callback/", views.sso_callback, name="sso_callback"),
    path("dang-nhap/xac-thuc/", views.second_factor_prompt, name="second_factor"),
    path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
    path("kich-hoat/", views.activate, name="activate"),
    path("tai-khoan/", views.profile, name="profile"),
    path("tai-khoan/xac-thuc-hai-buoc/", views.second_factor_setup, name="second_factor_setup"),
    path("tai-khoan/doi-mat-khau/", views.PasswordChangeView.as_view(), name="password_change"),
    path("quen-mat-khau/", views.PasswordResetView.as_view(), name="password_reset"),
    path("quen-mat-khau/da-gui/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("quen-mat-khau/hoan-tat/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("quen-mat-khau/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
]
