from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import TokenScope
from .services import API_TOKEN_DEFAULT_DAYS, API_TOKEN_NAME_MAX


class ApiTokenForm(forms.Form):
    """Names a new API token so its owner knows later what uses it."""

    name = forms.CharField(
        label=_("Token name"),
        max_length=API_TOKEN_NAME_MAX,
        help_text=_("What will use this token, for example “monthly import script”."),
    )
    scope = forms.ChoiceField(
        label=_("What it may do"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
        help_text=_("Read only is enough for scripts that download data."),
    )
    days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        choices=[(30, _("30 days")), (90, _("90 days")), (365, _("1 year"))],
        initial=API_TOKEN_DEFAULT_DAYS,
    )


class LoginForm(AuthenticationForm):
    """The login form, with a wrong-password message that reads well in both languages and says what to do."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The username or password is wrong. Both are case-sensitive. Forgot your password? Reset it below."
        ),
    }


class TeamAccountForm(forms.Form):
    """A new account of the region's team: who the person is and, in a kab/kota, their OPD."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    username = forms.CharField(
        label=_("Username"), max_length=150, help_text=_("What the person types to sign in, e.g. “dinsos_jakpus”.")
    )
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        help_text=_("When given, the link to choose a password is sent there too."),
    )

    def __init__(self, *args, agencies=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"] = forms.ModelChoiceField(label=_("OPD"), queryset=agencies)


class TwoFactorCodeForm(forms.Form):
    """A 6-digit code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
        help_text=_("The 6 digits your authenticator app shows for Layak, or one of your recovery codes."),
    )
