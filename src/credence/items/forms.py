"""Forms of the item bank's pages: search, an item file upload, an item's GIFT text, export."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credence.catalog.models import Certification
from credence.items.content import ItemContent, ItemFileError, ParsedItem, Problem
from credence.items.formats import GIFT, MOODLE_XML
from credence.items.gift import parse_gift
from credence.items.models import Item

#: An item file larger than this is refused before it is read: a bank of a few hundred items
#: is some 100 KB in either format, and the file is kept in the session between the dry run
#: and the import.
MAX_ITEM_FILE_BYTES = 1024 * 1024
#: One item's GIFT text; an essay's stem is long, a whole bank is not an item.
MAX_ITEM_TEXT = 50_000

FORMAT_CHOICES = [(GIFT, "GIFT"), (MOODLE_XML, "Moodle XML")]


def _certifications() -> Any:
    return Certification.objects.order_by("position", "code")


class CertificationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Certification) -> str:
        return f"{obj.name} ({obj.code})"


class BankSearchForm(forms.Form):
    """The bank's list, by certification, topic and words of the name or text (GET)."""

    certification = CertificationChoice(
        label=gettext_lazy("Certification"),
        queryset=Certification.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("every certification"),
    )
    topic = forms.ChoiceField(label=gettext_lazy("Topic"), required=False)
    q = forms.CharField(
        label=gettext_lazy("Name or text contains"),
        max_length=200,
        required=False,
        strip=True,
    )

    def __init__(self, *args: Any, topics: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["certification"]).queryset = _certifications()
        cast(forms.ChoiceField, self.fields["topic"]).choices = [("", _("every topic")), *topics]


def _sniffed_format(data: bytes) -> str:
    """The format the bytes look like: XML starts with ``<`` (after a BOM and blanks); GIFT
    never does in practice (a question starts with text, ``::``, ``//`` or ``$``)."""
    start = data.removeprefix(b"\xef\xbb\xbf").lstrip()
    return MOODLE_XML if start.startswith(b"<") else GIFT


class ItemFileForm(forms.Form):
    """An item file to check (dry run) and then import into one certification's bank."""

    certification = CertificationChoice(
        label=gettext_lazy("Certification (the bank to import into)"),
        queryset=Certification.objects.none(),
        to_field_name="code",
    )
    file_format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=FORMAT_CHOICES, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label=gettext_lazy("Item file"),
        help_text=gettext_lazy(
            "A Moodle GIFT file (UTF-8 text) or a Moodle XML file, at most 1 MB. Nothing is "
            "imported until you confirm the check."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["certification"]).queryset = _certifications()

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ITEM_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; an item file may be at most %(max)s.")
                % {"size": _megabytes(upload.size), "max": _megabytes(MAX_ITEM_FILE_BYTES)}
            )
        data: bytes = upload.read()
        if not data.strip():
            raise forms.ValidationError(_("The file is empty."))
        return data

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns the cleaned data
        chosen, content = data.get("file_format"), data.get("file")
        if chosen and content is not None and _sniffed_format(content) != chosen:
            if chosen == GIFT:
                message = _(
                    "This file starts like XML, not like GIFT: choose “Moodle XML”, or upload "
                    "the GIFT file."
                )
            else:
                message = _(
                    "This is not a Moodle XML file (it does not start with “<”): choose "
                    "“GIFT”, or upload the XML file."
                )
            self.add_error("file_format", message)
        return data

    @property
    def filename(self) -> str:
        upload = self.files.get("file")
        return getattr(upload, "name", "") or ""


def _megabytes(size: int) -> str:
    return _("%(n).1f MB") % {"n": size / (1024 * 1024)}


class ItemTextForm(forms.Form):
    """One item as GIFT text. ``content`` is the item as understood, once valid."""

    text = forms.CharField(
        label=gettext_lazy("The item in GIFT"),
        max_length=MAX_ITEM_TEXT,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false", "class": "code"}),
        help_text=gettext_lazy(
            "// [tag:topic] lines tag it; ::name:: names it; the answers go in { }. The name "
            "identifies the item and cannot change here."
        ),
    )

    def __init__(self, *args: Any, item: Item, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        self.content: ItemContent | None = None
        self.parsed: ParsedItem | None = None
        self.problems: list[Problem] = []

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        try:
            parsed = parse_gift(text)
        except ItemFileError as exc:
            self.problems = list(exc.problems)
            raise forms.ValidationError(
                _("The text has %(n)d problem(s); see the list below it.")
                % {"n": len(exc.problems)}
            ) from None
        if len(parsed) != 1:
            raise forms.ValidationError(
                _("The text holds %(n)d items; edit one item at a time (import a file for more).")
                % {"n": len(parsed)}
            )
        content = parsed[0].content
        if not content.name and content.label != self.item.name:
            # an untitled item is named by its text; editing the text must not make it a
            # new item, so it keeps its name explicitly
            content = replace(content, name=self.item.name)
        if content.label != self.item.name:
            raise forms.ValidationError(
                _(
                    "The name identifies the item in the bank and in every import; keep "
                    "“::%(name)s::”. To start a new item, import a file."
                )
                % {"name": self.item.name}
            )
        self.content = content
        self.parsed = ParsedItem(content, parsed[0].line)
        return text


class ExportForm(forms.Form):
    certification = CertificationChoice(
        label=gettext_lazy("Certification"),
        queryset=Certification.objects.none(),
        to_field_name="code",
    )
    file_format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=FORMAT_CHOICES, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["certification"]).queryset = _certifications()
