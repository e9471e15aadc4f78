from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from credence.catalog.models import Certification


class SessionForm(forms.Form):
    """A session as the program office enters it; times in the server's time zone."""

    certifications = forms.ModelMultipleChoiceField(
        label=_("Certifications whose knowledge test it holds"),
        queryset=Certification.objects.all(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )
    venue = forms.CharField(label=_("Venue"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1)
    capacity = forms.IntegerField(label=_("Seats"), min_value=1)
    booking_deadline = forms.DateTimeField(
        label=_("Booking deadline"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
