"""Django's model backend, refusing any login while the user name is locked from the caller's address."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from . import throttle


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            from django.contrib.auth import get_user_model

            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if throttle.locked(username or "", throttle.client_ip(request)):
            raise PermissionDenied(throttle.locked_message())  # no other backend is tried
        return super().authenticate(request, username=username, password=password, **kwargs)
