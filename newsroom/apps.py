from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        from newsroom import (
            accounts,  # noqa: F401 - connects the sign-in lockout log
            sessions,  # noqa: F401 - starts a session's clocks at sign-in
        )
