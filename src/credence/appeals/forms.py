from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from credence.appeals.models import AppealOutcome
from credence.core.decisions import MAX_TEXT


class AppealForm(forms.Form):
    reasons = forms.CharField(
        label=_("Why do you appeal this result?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_TEXT,
        help_text=_("Say what you think went wrong and what you ask for."),
    )


class AssignForm(forms.Form):
    reviewer = forms.TypedChoiceField(label=_("Independent reviewer"), coerce=int)

    def __init__(self, *args: Any, reviewers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["reviewer"]).choices = [
            (p.pk, p.full_name or p.email) for p in reviewers
        ]


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (AppealOutcome.UPHELD, AppealOutcome.UPHELD.label),
            (AppealOutcome.DISMISSED, AppealOutcome.DISMISSED.label),
        ],
        widget=forms.RadioSelect,
    )
    decision = forms.CharField(
        label=_("Reasons for the decision (the candidate reads them)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_TEXT,
    )
