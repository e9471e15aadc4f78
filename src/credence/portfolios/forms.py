from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from credence.accounts.models import User
from credence.portfolios import policy


class SubmitForm(forms.Form):
    certification = forms.ChoiceField(label=_("Certification"))
    url = forms.CharField(
        label=_("Repository address"),
        max_length=500,
        help_text=_("The public repository, such as https://github.com/you/your-project."),
    )
    ref = forms.CharField(
        label=_("Branch, tag or commit (optional)"),
        max_length=200,
        required=False,
        help_text=_("Empty: the default branch as it is now. The commit is fixed when you submit."),
    )
    identities = forms.CharField(
        label=_("Your git identities (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "E-mail addresses and your GitHub login you commit under, one per line, so the "
            "evidence report can tell your commits from others'."
        ),
    )

    def __init__(self, *args: Any, certifications: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["certification"]).choices = certifications

    def identity_list(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["identities"].splitlines() if line.strip()
        ]


class AssignForm(forms.Form):
    first: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("First examiner"), queryset=None
    )
    second: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Second examiner"), queryset=None
    )

    def __init__(self, *args: Any, examiners: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["first"]).queryset = examiners
        cast(forms.ModelChoiceField, self.fields["second"]).queryset = examiners


class SlotForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=10, max_value=240, initial=45
    )
    location = forms.CharField(label=_("Room or video link"), max_length=300)


class ScoreForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes for the other examiner and the office"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, rubric: policy.Rubric, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(n), str(n)) for n in range(rubric.scale + 1)]
        criteria = {}
        for criterion in rubric.criteria:
            criteria[f"c_{criterion.code}"] = forms.TypedChoiceField(
                label=_("%(name)s (weight %(weight)s)")
                % {"name": criterion.name, "weight": criterion.weight},
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
            )
        self.fields = {**criteria, **self.fields}
        self.rubric = rubric

    def points(self) -> dict[str, int]:
        return {c.code: self.cleaned_data[f"c_{c.code}"] for c in self.rubric.criteria}


class ReconcileForm(forms.Form):
    score = forms.DecimalField(
        label=_("Agreed score (percent)"), min_value=0, max_value=100, decimal_places=2
    )
    note = forms.CharField(
        label=_("How the examiners agreed"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ReleaseForm(forms.Form):
    feedback = forms.CharField(
        label=_("Written feedback to the candidate"), widget=forms.Textarea(attrs={"rows": 5})
    )
