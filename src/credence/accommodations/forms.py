from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from credence.accommodations.models import AccommodationKind
from credence.accommodations.policy import FACTOR_MAX, FACTOR_MIN
from credence.core.decisions import MAX_TEXT


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DocumentsField(forms.FileField):
    """Several files in one field; their checks are the service's (rule AC1)."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data]
        return [super(DocumentsField, self).clean(f, initial) for f in files if f]


class RequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you need?"), choices=AccommodationKind.choices, widget=forms.RadioSelect
    )
    time_factor = forms.DecimalField(
        label=_("Extra time as a factor of the time limit"),
        help_text=_("Only for extra time: 1.5 turns 40 minutes into 60."),
        min_value=FACTOR_MIN,
        max_value=FACTOR_MAX,
        decimal_places=2,
        required=False,
    )
    details = forms.CharField(
        label=_("What is needed and why"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_TEXT,
        help_text=_(
            "E.g. the assistive technology you use, or how often you need a break. Only you "
            "and the program office read it."
        ),
    )
    documents = DocumentsField(
        label=_("Supporting documents"),
        required=False,  # the service says what is missing, with rule AC1
        help_text=_(
            "One to five files, PDF, PNG or JPEG, e.g. a medical certificate. Only you and the "
            "program office can open them."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["documents"].widget.attrs["accept"] = ".pdf,.png,.jpg,.jpeg"


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Approve")), ("no", _("Refuse"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    valid_from = forms.DateField(
        label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Note to the candidate (required for a refusal)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_TEXT,
        required=False,
    )
