from django import forms
from django.utils.translation import gettext_lazy as _

from layak.registers.forms import ImportForm


class ProvisionForm(ImportForm):
    """The filled provisioning sheet, as .xlsx or .csv."""

    upload = forms.FileField(
        label=_("Filled sheet (.xlsx or .csv)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"})
    )


class JoinForm(forms.Form):
    """What an invited operator types to create their account."""

    code = forms.CharField(
        label=_("Invitation code"), max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password_again = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ; type the same password twice."))
        return data


ANSWER_CHOICES = [("yes", _("Yes")), ("no", _("No"))]


class AnswerForm(forms.Form):
    """One checklist question: yes or no, and a note (an empty answer may be saved as a draft)."""

    value = forms.ChoiceField(label=_("Answer"), choices=ANSWER_CHOICES, required=False, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    use_offer = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def answer(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("value") or "")


class EvidencePickForm(forms.Form):
    """The id of a document of the area's library (sent by the chunked uploader when the file is complete)."""

    evidence = forms.IntegerField(min_value=1)


class ReopenForm(forms.Form):
    """Why a verified checklist goes back to its operator (they read it on the checklist)."""

    reason = forms.CharField(
        label=_("Why is it reopened?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The operator reads this on the checklist: say what to correct."),
    )
