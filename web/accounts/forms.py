"""Login forms (the pages' and the admin's) that say, in Chinese, when a user name is locked."""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from . import throttle


class _Throttled:
    def clean(self):
        username = self.data.get("username", "")
        if throttle.locked(username, throttle.client_ip(self.request)):
            raise forms.ValidationError(throttle.locked_message(), code="locked")
        return super().clean()


class ThrottledAuthenticationForm(_Throttled, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(_Throttled, AdminAuthenticationForm):
    pass
