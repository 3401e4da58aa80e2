"""API v1 authentication: obtain a token by login and password, list and revoke one's own tokens."""

from __future__ import annotations

from django.contrib.auth import authenticate, user_logged_in
from drf_spectacular.utils import extend_schema
from knox.models import AuthToken
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from projectoffice.accounts import tokens
from projectoffice.accounts.http import acting_user
from projectoffice.api import serializers as s
from projectoffice.api.authentication import BearerTokenAuthentication


class TokenInfoSerializer(serializers.Serializer):
    key = serializers.CharField(source="token_key", help_text="Первые знаки токена: по ним токен отзывают")
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField(allow_null=True)
    current = serializers.BooleanField(help_text="Этим токеном подписан текущий запрос")


@extend_schema(
    request=s.TokenRequestSerializer,
    responses={200: s.TokenResponseSerializer, 400: s.ErrorSerializer, 401: s.ErrorSerializer, 429: s.ErrorSerializer},
    summary="Выдать новый токен по логину и паролю",
    description="Каждый вход выдаёт новый токен со сроком действия. После нескольких неверных паролей вход для "
    "учётной записи и адреса временно закрывается (429).",
)
@api_view(["POST"])
@authentication_classes([BearerTokenAuthentication])  # so that failures answer 401, not 403
@permission_classes([AllowAny])
def token_obtain(request: Request) -> Response:
    body = s.TokenRequestSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    user = authenticate(request._request, **body.validated_data)
    if user is None or not user.is_active:
        raise exceptions.AuthenticationFailed("Неверное имя пользователя или пароль.")
    # A token is a login: the signal records it (last_login) and clears the failed attempts counted against it.
    user_logged_in.send(sender=type(user), request=request._request, user=user)
    instance, plain = tokens.token_issue(user=user)
    return Response({"token": plain, "expires_at": instance.expiry})


@extend_schema(request=None, responses={204: None, 401: s.ErrorSerializer}, summary="Отозвать токен этого запроса")
@api_view(["POST"])
@authentication_classes([BearerTokenAuthentication])
def token_logout(request: Request) -> Response:
    token = request.auth
    if not isinstance(token, AuthToken):
        raise exceptions.NotAuthenticated()
    tokens.token_revoke(user=acting_user(request), token_key=token.token_key)
    return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    methods=["GET"], responses={200: TokenInfoSerializer(many=True), 401: s.ErrorSerializer}, summary="Мои токены"
)
@extend_schema(methods=["DELETE"], responses={204: None, 401: s.ErrorSerializer}, summary="Отозвать все мои токены")
@api_view(["GET", "DELETE"])
def token_list(request: Request) -> Response:
    user = acting_user(request)
    if request.method == "DELETE":
        tokens.tokens_revoke_all(user=user, reason="отозваны все токены через API")
        return Response(status=status.HTTP_204_NO_CONTENT)
    current = getattr(request.auth, "digest", None)
    rows = [
        {"token_key": t.token_key, "created": t.created, "expiry": t.expiry, "current": t.digest == current}
        for t in tokens.tokens_of(user)
    ]
    return Response(TokenInfoSerializer(rows, many=True).data)


@extend_schema(
    responses={204: None, 401: s.ErrorSerializer, 404: s.ErrorSerializer},
    summary="Отозвать один свой токен",
    operation_id="auth_token_revoke",
)
@api_view(["DELETE"])
def token_revoke(request: Request, key: str) -> Response:
    if not tokens.token_revoke(user=acting_user(request), token_key=key):
        raise exceptions.NotFound()
    return Response(status=status.HTTP_204_NO_CONTENT)
