"""Knox's token authentication in one query instead of two.

Knox reads the tokens whose key matches the one presented, then, for each, every token of its user
to delete those that expired. Both come here from one query: the tokens of the users holding a token
with that key. What is checked, deleted and signalled is knox's own, in its order.
"""

import binascii
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox import auth
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS, knox_settings
from knox.signals import token_expired
from rest_framework import exceptions


class TokenAuthentication(auth.TokenAuthentication):
    def authenticate_credentials(self, token):
        message = _("Invalid token.")
        token = token.decode("utf-8")
        key = token[: CONSTANTS.TOKEN_KEY_LENGTH]
        tokens = get_token_model().objects.filter(user__auth_token_set__token_key=key).select_related("user")
        tokens_by_user = {}
        for user_token in tokens:
            tokens_by_user.setdefault(user_token.user_id, {})[user_token.digest] = user_token
        candidates = [
            user_token
            for user_tokens in tokens_by_user.values()
            for user_token in user_tokens.values()
            if user_token.token_key == key
        ]
        for auth_token in candidates:
            if self._cleanup(auth_token, tokens_by_user[auth_token.user_id]):
                continue
            try:
                digest = hash_token(token)
            except (TypeError, binascii.Error) as error:
                raise exceptions.AuthenticationFailed(message) from error
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(message)

    def _cleanup(self, auth_token, user_tokens) -> bool:
        """Knox's ``_cleanup_token`` over the user's tokens already read; those deleted leave ``user_tokens``."""
        for digest, other_token in list(user_tokens.items()):
            if digest != auth_token.digest and other_token.expiry and other_token.expiry < timezone.now():
                other_token.delete()
                del user_tokens[digest]
                token_expired.send(
                    sender=self.__class__, username=other_token.user.get_username(), source="other_token"
                )
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            del user_tokens[auth_token.digest]
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            return True
        return False


class TokenScheme(KnoxTokenScheme):
    """The schema's security scheme for knox's tokens, unchanged: drf-spectacular matches its class exactly."""

    target_class = TokenAuthentication
