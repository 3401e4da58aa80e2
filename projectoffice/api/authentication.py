"""API authentication: knox tokens (hashed, with an expiry) under `Authorization: Bearer <token>`."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from knox.models import AuthToken
from rest_framework.exceptions import AuthenticationFailed

from projectoffice.accounts.models import User


class TokenRefused(AuthenticationFailed):
    """A real token that no longer admits its owner, with the reason why."""


class BearerTokenAuthentication(TokenAuthentication):
    """A token works until it expires or is revoked, and not after its owner's password changed."""

    def authenticate_credentials(self, token: bytes) -> tuple[User, AuthToken]:
        try:
            return super().authenticate_credentials(token)
        except TokenRefused:
            raise
        except AuthenticationFailed:  # knox's own messages are English
            raise AuthenticationFailed("Неверный, просроченный или отозванный токен.") from None

    def validate_user(self, auth_token: AuthToken) -> tuple[Any, AuthToken]:
        user = auth_token.user
        if not user.is_active:
            raise TokenRefused("Учётная запись отключена.")
        if user.password_changed_at and auth_token.created < user.password_changed_at:
            auth_token.delete()
            raise TokenRefused("Токен отозван: пароль изменён после его выдачи. Получите новый токен.")
        return user, auth_token


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI document describes the token: an HTTP bearer scheme."""

    target_class = BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "Токен из POST /api/v1/auth/token"}
