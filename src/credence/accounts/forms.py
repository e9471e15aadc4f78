"""The sign-up form allauth extends (ACCOUNT_SIGNUP_FORM_CLASS): allauth adds e-mail and
password fields to it and calls ``signup`` once the account is saved."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from credence.accounts.models import User
from credence.accounts.services import candidate_register


class SignupForm(forms.Form):
    # allauth orders its signup fields by this attribute when the form class defines it.
    field_order = ["full_name", "email", "password1", "password2"]

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        help_text=_("As it should appear on your certificates."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def signup(self, request: HttpRequest, user: User) -> None:
        candidate_register(user=user, full_name=self.cleaned_data["full_name"])
