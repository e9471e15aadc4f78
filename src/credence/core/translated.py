"""Texts kept in the base language with their translations beside them (decision 0037).

A model that mixes in ``Translatable`` has a ``translations`` column, ``{"de": {"name": ...,
"proves": [...]}}``, and declares some text fields ``TranslatedCharField``,
``TranslatedTextField`` or ``TranslatedJSONField``. Reading such a field as an attribute
(``certification.name`` in a template, a selector, a PDF) gives the text of the active
language when the row has one, else the base (English) text. Everything that writes or
copies a row sees the base text only: saving (``pre_save``), forms and the admin, the
serializers of backups (``value_from_object``), ``refresh_from_db`` and ``clean_fields``. So
a German page reads German, and an office editing a row in German still edits the English
text, with the German beside it in ``translations``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.utils import translation
from django.utils.translation import gettext_lazy as _


def active_language() -> str | None:
    """The active language's base code ("de" for "de-ch"), or None when no language is
    active or it is the base language the rows are written in."""
    language = translation.get_language()
    if not language:
        return None
    code = language.split("-")[0].lower()
    return None if code == settings.LANGUAGE_CODE.split("-")[0] else code


def translated(translations: Any, field: str, base: Any) -> Any:
    """``field``'s text in the active language from a ``translations`` mapping, or ``base``."""
    language = active_language()
    if language is None or not isinstance(translations, dict):
        return base
    found = (translations.get(language) or {}).get(field)
    return base if found in (None, "", [], ()) else found


def base_value(instance: models.Model, attname: str) -> Any:
    """The stored (base language) value, loading a deferred column first."""
    if attname not in instance.__dict__:
        instance.refresh_from_db(fields=[attname])
    return instance.__dict__[attname]


class _TranslatedAttribute(DeferredAttribute):
    # A data descriptor (it has __set__), so every read goes through __get__, also once the
    # value sits in the instance's __dict__.
    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = base_value(instance, self.field.attname)
        if active_language() is None:
            return value
        return translated(instance.translations, self.field.attname, value)

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class _TranslatedField:
    """Mixed into a Django field: reads translated, writes and copies the base text. To
    migrations it is the plain Django field (the translations live in ``translations``)."""

    descriptor_class = _TranslatedAttribute

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        return base_value(model_instance, self.attname)  # type: ignore[attr-defined]

    def value_from_object(self, obj: models.Model) -> Any:
        return base_value(obj, self.attname)  # type: ignore[attr-defined]

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()  # type: ignore[misc]
        plain = type(self).__mro__[2]  # the Django field after this mixin
        return name, f"django.db.models.{plain.__name__}", args, kwargs


class TranslatedCharField(_TranslatedField, models.CharField):  # type: ignore[misc]
    pass


class TranslatedTextField(_TranslatedField, models.TextField):  # type: ignore[misc]
    pass


class TranslatedJSONField(_TranslatedField, models.JSONField):  # type: ignore[misc]
    pass


class Translatable(models.Model):
    """A model with translated fields: their texts per language, ``{"de": {field: text}}``."""

    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_("Texts in other languages by language and field, as the data file gives them."),
    )

    class Meta:
        abstract = True

    # Both copy attribute values into the row's stored values: they must copy the base text.
    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        with translation.override(None):
            super().refresh_from_db(*args, **kwargs)

    def clean_fields(self, *args: Any, **kwargs: Any) -> None:
        with translation.override(None):
            super().clean_fields(*args, **kwargs)
