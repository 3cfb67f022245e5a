from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Sign-up with a confirmed e-mail address, claims to manage an organisation, password reset."""

    name = "clusterobs.accounts"
    label = "accounts"
    verbose_name = "Accounts and organisation claims"
