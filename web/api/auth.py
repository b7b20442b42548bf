"""How the API knows who is calling: ``Authorization: Bearer <token>`` (a token from ``create_api_token``,
looked up by its SHA-256), or the browser's Django session (with Django's CSRF check on writes)."""

from __future__ import annotations

from ninja.security import HttpBearer, SessionAuth

from web.accounts.models import ApiToken
from web.accounts.signals import current_actor


class TokenAuth(HttpBearer):
    openapi_description = "API 令牌（python web/manage.py create_api_token 用户名 生成，只显示一次）"

    def authenticate(self, request, token):
        user = ApiToken.user_for(token)
        if user is not None:
            request.user = user
            current_actor.set(user)  # audit rows written by signals during this request name the token's user
        return user


class Session(SessionAuth):
    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None
