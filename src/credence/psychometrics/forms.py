"""Forms of the staff pages: starting a calibration, a new workshop, a ratings sheet."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from credence.psychometrics.models import IrtModel
from credence.psychometrics.selectors import SeenForm

#: The reference form "every calibrated item" (the bank as calibrated).
WHOLE_BANK = "bank"


class CalibrationStartForm(forms.Form):
    model = forms.ChoiceField(label=_("Model"), choices=IrtModel.choices, initial=IrtModel.TWO_PL)


class WorkshopForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    reference = forms.ChoiceField(label=_("Reference form (the items the panel rates)"))
    panellists = forms.CharField(
        label=_("Panellists"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One name per line. More can join when ratings are uploaded."),
    )
    rounds = forms.TypedChoiceField(
        label=_("Rounds"),
        choices=[(1, _("one round")), (2, _("two rounds (discussion between them)"))],
        coerce=int,
        initial=1,
    )

    def __init__(self, *args: Any, seen: list[SeenForm], bank_size: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seen = {form.key: form for form in seen}
        cast(forms.ChoiceField, self.fields["reference"]).choices = [
            (WHOLE_BANK, _("every calibrated item (%(n)d)") % {"n": bank_size}),
            *(
                (
                    form.key,
                    _("a form sat by %(sittings)d candidate(s), %(items)d items")
                    % {"sittings": form.sittings, "items": len(form.items)},
                )
                for form in seen
            ),
        ]

    def panellist_names(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["panellists"].splitlines()]


class RatingsUploadForm(forms.Form):
    round = forms.TypedChoiceField(label=_("Round"), choices=[(1, "1"), (2, "2")], coerce=int)
    sheet = forms.FileField(
        label=_("Ratings sheet (CSV)"),
        help_text=_("Header: panellist, then one column per item id; one row per panellist."),
    )
