from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from credence.catalog.models import ExternalCertification
from credence.catalog.policy import ProgramRules
from credence.recognition.policy import Answers, CareerRole, Cloud

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _yes(value: str) -> bool:
    return value == "yes"


class AdvisorForm(forms.Form):
    fundamentals_done = forms.TypedChoiceField(
        label=_("Have you completed the ML fundamentals (the guide's Pillars 1-5)?"),
        choices=YES_NO,
        coerce=_yes,
        widget=forms.RadioSelect,
    )
    cloud = forms.ChoiceField(
        label=_("Which cloud platform do you work with?"),
        choices=Cloud.choices,
        widget=forms.RadioSelect,
    )
    role = forms.ChoiceField(
        label=_("Which role describes you best?"),
        choices=CareerRole.choices,
        widget=forms.RadioSelect,
    )
    hands_on_ml = forms.TypedChoiceField(
        label=_("Have you built and deployed real ML models?"),
        choices=YES_NO,
        coerce=_yes,
        widget=forms.RadioSelect,
    )
    portfolio = forms.TypedChoiceField(
        label=_("Do you have a public portfolio (e.g. GitHub) that shows your work?"),
        choices=YES_NO,
        coerce=_yes,
        widget=forms.RadioSelect,
    )

    def answers(self) -> Answers:
        data = self.cleaned_data
        return Answers(
            fundamentals_done=data["fundamentals_done"],
            cloud=Cloud(data["cloud"]),
            role=CareerRole(data["role"]),
            hands_on_ml=data["hands_on_ml"],
            portfolio=data["portfolio"],
        )


class DateInput(forms.DateInput):
    input_type = "date"


class ClaimForm(forms.Form):
    external = forms.ModelChoiceField(
        label=_("Certification"),
        queryset=ExternalCertification.objects.none(),
        required=False,
        empty_label=_("Other (not in this list)"),
        help_text=_("The certifications the program recognizes; choose Other for any other."),
    )
    other_name = forms.CharField(
        label=_("Name of the certification (if Other)"), max_length=200, required=False
    )
    other_provider = forms.CharField(label=_("Provider (if Other)"), max_length=200, required=False)
    credential_id = forms.CharField(label=_("Credential id"), max_length=200, required=False)
    credential_url = forms.URLField(
        label=_("Credential URL"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Where the provider lets anyone check it, if it does."),
    )
    issued_on = forms.DateField(label=_("Issued on"), widget=DateInput)
    expires_on = forms.DateField(
        label=_("Expires on"),
        widget=DateInput,
        required=False,
        help_text=_("Leave empty if it does not expire."),
    )
    evidence = forms.FileField(
        label=_("The certificate"),
        help_text=_(
            "A PDF, PNG or JPEG, or the Open Badges 3.0 credential file (JSON) your provider "
            "issued."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.png,.jpg,.jpeg,.json,application/pdf,image/png,image/jpeg"}
        ),
    )
    note = forms.CharField(
        label=_("Anything the program office should know"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, externals: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["external"]).queryset = externals

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("external") and not (data.get("other_name") or "").strip():
            self.add_error("other_name", _("Name the certification, or choose one from the list."))
        if not (data.get("credential_id") or "").strip() and not data.get("credential_url"):
            self.add_error(
                "credential_id", _("Give the credential's id or a URL where it can be checked.")
            )
        return data


class RespondForm(forms.Form):
    note = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    evidence = forms.FileField(label=_("Another file (optional)"), required=False)


class DecisionForm(forms.Form):
    ACTIONS = [
        ("approve", _("Approve: waive the evaluation chosen below")),
        ("info", _("Ask the candidate for more information")),
        ("reject", _("Reject")),
    ]
    action = forms.ChoiceField(label=_("Decision"), choices=ACTIONS, widget=forms.RadioSelect)
    waive = forms.ChoiceField(label=_("Evaluation to waive (if approved)"), required=False)
    message = forms.CharField(
        label=_("Message to the candidate"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when rejecting (the reason) or asking for more (what is needed)."),
    )

    def __init__(self, *args: Any, rules: ProgramRules, suggested: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["waive"]).choices = [
            (f"{c.code}/{e.code}", f"{c.name} — {e.name}")
            for c in rules.certifications
            for e in rules.evaluations_in_order()
        ]
        if suggested:
            self.fields["waive"].initial = suggested

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if action in ("reject", "info") and not (data.get("message") or "").strip():
            self.add_error("message", _("Write the message the candidate will read."))
        if action == "approve" and not data.get("waive"):
            self.add_error("waive", _("Choose the evaluation to waive."))
        return data
