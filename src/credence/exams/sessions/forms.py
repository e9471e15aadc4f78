from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from credence.accounts.models import Role, User
from credence.catalog.models import Certification


def _proctors() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=_("Proctors who run it"),
        queryset=User.objects.filter(groups__name=Role.PROCTOR.value).order_by("full_name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ProctorsForm(forms.Form):
    """The proctors of an existing session."""

    proctors = _proctors()


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
    # Upper bounds keep absurd input (10**30 minutes) a form error instead of an overflow.
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=24 * 60
    )
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=100_000)
    booking_deadline = forms.DateTimeField(
        label=_("Booking deadline"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    proctors = _proctors()
