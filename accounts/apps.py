from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Who may do what: roles, sign-in, site-wide access and the account admin. No models of its own."""

    name = "accounts"
    verbose_name = "账号与权限"
