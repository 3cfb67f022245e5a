"""E-mail confirmation links: Django's signed, expiring token, bound to the account's state.

The token hashes the user's id, e-mail address and active flag (and a timestamp checked against
``PASSWORD_RESET_TIMEOUT``), so a link stops working once the account is confirmed or the
address changes, and cannot be forged without the secret key. A different ``key_salt`` keeps it
apart from password-reset tokens.
"""

from __future__ import annotations

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "clusterobs.accounts.tokens.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp: int) -> str:  # type: ignore[no-untyped-def]
        email = getattr(user, "email", "") or ""
        return f"{user.pk}{user.is_active}{email.lower()}{timestamp}"


email_confirmation_token = EmailConfirmationTokenGenerator()
