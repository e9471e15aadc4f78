from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from credence.core.decisions import MAX_TEXT
from credence.items.api import RulingKind


class ChallengeForm(forms.Form):
    position = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=10_000)
    reasons = forms.CharField(
        label=_("Why do you challenge this item?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_TEXT,
        help_text=_("Say what is wrong with the item: its key, its wording, its options."),
    )


class DecideForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Decision"), choices=RulingKind.choices, widget=forms.RadioSelect
    )
    key = forms.TypedMultipleChoiceField(
        label=_("Options that earn full marks (rekey: one; accept several answers: two or more)"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reasons = forms.CharField(
        label=_("Reasons for the decision (recorded in the audit trail)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_TEXT,
    )

    def __init__(self, *args: Any, options: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["key"]).choices = options
