"""The staff search form of the audit trail. Bad values (a malformed date) become form errors
shown next to the field, never a server error."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from credence.audit.selectors import AuditFilter


class AuditSearchForm(forms.Form):
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=80,
        help_text=_('Exact, or a family ending in a dot, e.g. "certificate."'),
    )
    actor = forms.CharField(label=_("Actor (e-mail)"), required=False, max_length=254)
    subject_type = forms.CharField(label=_("Subject type"), required=False, max_length=80)
    subject_id = forms.CharField(label=_("Subject id"), required=False, max_length=64)
    concerning = forms.CharField(label=_("Concerning (e-mail)"), required=False, max_length=254)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    text = forms.CharField(label=_("Words in the reason"), required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns the cleaned data
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end of the range lies before its start."))
        return data

    def criteria(self) -> AuditFilter:
        """The filter of a valid form (call after ``is_valid()``)."""
        data = {key: value for key, value in self.cleaned_data.items() if value}
        for key, value in data.items():
            if isinstance(value, str):
                data[key] = value.strip()
        return AuditFilter(**data)
