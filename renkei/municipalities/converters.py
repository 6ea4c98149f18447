"""Codes in addresses as people type them: １３１０１６ (full-width, from an IME or a pasted
document) names the same local government as 131016, not a wrong check digit."""

from django.urls import register_converter

from renkei.core.text import normalise


class CodeConverter:
    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return normalise(value)

    def to_url(self, value) -> str:
        return str(value)


def register() -> None:
    register_converter(CodeConverter, "code")
