"""Signed, expiring tokens for the links sent by email (no secret is stored)."""

from django.core import signing

VERIFY_SALT = "renkei.membership.verify-email"
INVITE_SALT = "renkei.membership.invitation"
VERIFY_MAX_AGE = 60 * 60 * 48  # 48 hours
INVITE_MAX_AGE = 60 * 60 * 24 * 14  # 14 days


class TokenError(Exception):
    """The link is malformed, tampered with or expired; the message says which, in Japanese."""


def make(salt: str, pk: int, email: str) -> str:
    return signing.dumps({"pk": pk, "email": email}, salt=salt, compress=True)


def read(salt: str, token: str, max_age: int) -> dict:
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise TokenError("リンクの有効期限が切れています。") from None
    except signing.BadSignature:
        raise TokenError("リンクが正しくありません。メールに記載のアドレスを省略せずに開いてください。") from None
