from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from motcua.lib.text import nfc
from motcua.org import throttle


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150,
                               widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))
    password = forms.CharField(label=_("Mật khẩu"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        from motcua.org.middleware import client_ip

        data = super().clean()
        username = nfc(data.get("username") or "")
        password = data.get("password") or ""
        if not username or not password:
            return data
        ip = client_ip(self.request) if self.request else None
        if throttle.is_locked(username, ip):
            raise forms.ValidationError(
                _("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút."),
                params={"minutes": throttle.settings.LOGIN_LOCKOUT_MINUTES}, code="locked",
            )
        user = authenticate(self.request, username=username, password=password)
        if user is None or not user.is_active:
            throttle.record_failure(username, ip)
            raise forms.ValidationError(_("Tên đăng nhập hoặc mật khẩu không đúng."), code="invalid_login")
        throttle.clear_failures(username)
        self.user = user
        return data
