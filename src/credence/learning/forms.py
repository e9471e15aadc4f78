from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from credence.catalog.policy import ProgramRules
from credence.learning.models import ResourceKind


class ElectivesForm(forms.Form):
    electives = forms.MultipleChoiceField(
        label=_("Electives you plan to take"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, rules: ProgramRules, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.MultipleChoiceField, self.fields["electives"])
        field.choices = [
            (code, rules.certification(code).name) for code in rules.composite.electives
        ]
        field.help_text = _("%(award)s needs at least %(count)d.") % {
            "award": rules.composite.name,
            "count": rules.composite.min_electives,
        }


class ResourceFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *ResourceKind.choices]
    )
    certification = forms.ChoiceField(label=_("Certification"), required=False)
    needed = forms.BooleanField(label=_("Only what my path still needs"), required=False)

    def __init__(self, *args: Any, rules: ProgramRules | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, StrOrPromise]] = [("", _("All certifications"))]
        if rules is not None:
            choices += [(c.code, c.name) for c in rules.certifications]
        cast(forms.ChoiceField, self.fields["certification"]).choices = choices
