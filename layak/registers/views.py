"""View pieces the register pages share: a form page, a form posted from a detail page, an import, and
`RowsPage` (a record's page with its rows and the add and import forms, which builds its three views).

Each register view stays a few lines: find the object for the user (404 outside their regions), check who may
change it, then hand the form and the one service call to one of these.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from layak.common.spreadsheets import ImportRejected

from .access import can_edit_register, check_edit_register
from .forms import ImportForm, save_form
from .imports import import_job_start, register_importer
from .models import Person

Message = str | Promise | Callable[[Any], str]  # a text, a lazy translation, or one made from the saved object


def person_added(person: Person) -> str:
    """The message after a person (a member, a participant) was added to a register."""
    return _("%(name)s was added.") % {"name": person.name}


def form_page(request: HttpRequest, template: str, **context: Any) -> HttpResponse:
    """Renders a form page; a POST that reached it failed validation, so it answers 400."""
    return render(request, template, context, status=400 if request.method == "POST" else 200)


def _text(message: Message, result: Any) -> str:
    return message(result) if callable(message) else str(message)


def form_view(
    request: HttpRequest,
    form: forms.Form,
    run: Callable[[dict[str, Any]], Any],
    /,
    *,
    template: str,
    success: Message,
    redirect_to: Callable[[Any], Any] | None = None,
    **context: Any,
) -> HttpResponse:
    """A create or edit page: on a valid POST the service runs, a message says so and the browser goes to the
    saved object (or `redirect_to(saved)`); otherwise the form again (400 after a failed POST)."""
    if request.method == "POST":
        saved = save_form(form, run)
        if saved:
            messages.success(request, _text(success, saved))
            return redirect(redirect_to(saved) if redirect_to else saved)
    return form_page(request, template, form=form, **context)


def post_on_page(
    request: HttpRequest,
    form: forms.Form,
    run: Callable[[dict[str, Any]], Any],
    /,
    *,
    success: Message,
    redirect_to: Any,
    page: Callable[[forms.Form], HttpResponse],
) -> HttpResponse:
    """A form that sits on a detail page: on success a message and a redirect to `redirect_to` (a URL or an
    object, or a function of the saved object giving one); on a refusal the page again with the form's errors,
    answering 400."""
    saved = save_form(form, run)
    if saved:
        messages.success(request, _text(success, saved))
        return redirect(redirect_to(saved) if callable(redirect_to) else redirect_to)
    response = page(form)
    response.status_code = 400
    return response


def import_view(
    request: HttpRequest,
    run: Callable[[Any], list[Any]],
    /,
    *,
    success: Callable[[int], str],
    redirect_to: Any,
    page: Callable[[ImportForm, list[Any]], HttpResponse],
    job: tuple[str, str] | None = None,
    subject: str = "",
) -> HttpResponse:
    """An all-or-nothing import from an uploaded sheet: `run(upload)` returns what it created or raises
    ImportRejected (every row error is listed on the page) or ValidationError (about the file).

    With `job` = (importer key, record reference), a file over LAYAK_IMPORT_JOB_BYTES is imported by a worker
    instead (`registers.imports`) and the person is taken to the job's page."""
    form, errors = ImportForm(request.POST or None, request.FILES or None), []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["upload"]
        if job is not None and upload.size > settings.LAYAK_IMPORT_JOB_BYTES:
            back = redirect_to if isinstance(redirect_to, str) else redirect_to.get_absolute_url()
            started = import_job_start(
                user=request.user, key=job[0], ref=job[1], upload=upload, subject=subject, back=back
            )
            return redirect("jobs:job_detail", started.pk)
        try:
            created = run(form.cleaned_data["upload"])
        except ImportRejected as exc:
            errors = exc.row_errors
            if not errors:
                form.add_error("upload", exc)
        except ValidationError as exc:
            form.add_error("upload", exc)
        else:
            messages.success(request, success(len(created)))
            return redirect(redirect_to)
    response = page(form, errors)
    if request.method == "POST":
        response.status_code = 400
    return response


View = Callable[..., HttpResponse]


@dataclass(frozen=True)
class RowsPage:
    """A register record's page that lists its rows (a decree's members, a training's participants) with the
    two forms under the list: add one row, or import many from the Excel template (all or nothing).

    The record is found with `get(user=..., pk=...)` (404 outside the user's regions); `context(request, record)`
    gives what the page shows; `add_form(record, data)` builds the add form; the services `create(user=...,
    <key>=record, **fields)` and `import_rows(user=..., <key>=record, upload=...)` do the writing. The page
    always gets `can_edit`, `add_form`, `import_form` and `import_errors`; posts come back to `#<anchor>`.
    `detail_view`, `add_view` and `import_view` are the app's three views.
    """

    template: str
    anchor: str
    key: str
    get: Callable[..., Any]
    context: Callable[[HttpRequest, Any], dict[str, Any]]
    add_form: Callable[[Any, Any], forms.Form]
    create: Callable[..., Any]
    import_rows: Callable[..., list[Any]]
    imported: Callable[[int], str]

    def render(
        self,
        request: HttpRequest,
        record: Any,
        *,
        add_form: forms.Form | None = None,
        import_form: ImportForm | None = None,
        import_errors: list[Any] | None = None,
    ) -> HttpResponse:
        can_edit = can_edit_register(request.user, record.region_id)
        context = {
            **self.context(request, record),
            "can_edit": can_edit,
            "add_form": add_form or (self.add_form(record, None) if can_edit else None),
            "import_form": import_form or ImportForm(),
            "import_errors": import_errors or [],
        }
        return render(request, self.template, context)

    def _record(self, request: HttpRequest, pk: int, *, edit: bool) -> Any:
        record = self.get(user=request.user, pk=pk)
        if edit:
            check_edit_register(request.user, record.region)
        return record

    def _back(self, record: Any) -> str:
        return f"{record.get_absolute_url()}#{self.anchor}"

    def detail_view(self, doc: str) -> View:
        """The page itself."""

        @login_required
        def view(request: HttpRequest, pk: int) -> HttpResponse:
            return self.render(request, self._record(request, pk, edit=False))

        view.__doc__ = doc
        return view

    def add_view(self, doc: str) -> View:
        """Adds one row from the form on the page (the region's coordinator)."""

        @login_required
        @require_POST
        def view(request: HttpRequest, pk: int) -> HttpResponse:
            record = self._record(request, pk, edit=True)
            create = partial(self.create, user=request.user, **{self.key: record})
            return post_on_page(
                request,
                self.add_form(record, request.POST),
                lambda fields: create(**fields),
                success=person_added,
                redirect_to=self._back(record),
                page=lambda form: self.render(request, record, add_form=form),
            )

        view.__doc__ = doc
        return view

    def import_view(self, doc: str) -> View:
        """Imports rows from the uploaded template; every row error is listed on the page."""

        @login_required
        @require_POST
        def view(request: HttpRequest, pk: int) -> HttpResponse:
            record = self._record(request, pk, edit=True)
            run = partial(self.import_rows, user=request.user, **{self.key: record})
            return import_view(
                request,
                lambda upload: run(upload=upload),
                success=self.imported,
                redirect_to=self._back(record),
                page=lambda form, errors: self.render(request, record, import_form=form, import_errors=errors),
                job=(self.template, str(pk)),
                subject=str(record),
            )

        register_importer(self.template, self._import_as)
        view.__doc__ = doc
        return view

    def _import_as(self, user: Any, ref: str, upload: Any) -> list[Any]:
        """The import of a job: the record found again as `user`, who must still be allowed to change it."""
        record = self.get(user=user, pk=int(ref))
        check_edit_register(user, record.region)
        return self.import_rows(user=user, upload=upload, **{self.key: record})


@dataclass(frozen=True)
class DetailPage:
    """A record's page with forms on it that post to views of their own (an action's yearly target and its
    realisation, a forum's activities, a partner's contributions, a meeting's decisions).

    The record is found with `get(user=..., pk=...)` (404 outside the user's regions); `context(request, record,
    **forms)` gives what the page shows, a form passed by its context name replacing the empty one. Each posted
    form is a view from `post_view`: its service is called as `save(user=..., <key>=record, **fields)`.
    """

    template: str
    key: str
    get: Callable[..., Any]
    context: Callable[..., dict[str, Any]]

    def post_view(
        self,
        form_name: str,
        form: Callable[..., forms.Form],
        save: Callable[..., Any],
        success: Message,
        *,
        anchor: str = "",
        edit_check: bool = False,
    ) -> View:
        """The view of one form on the page (`form_name` in the context): `form` is a form class (built from the
        POST) or a function `(record, data)` building it. On success a message and back to the record's page
        (at `#anchor`); on a refusal the page again with the form's errors (400). `edit_check`: only the
        region's coordinator may post (otherwise the service decides who may)."""
        build = (lambda record, data: form(data)) if isinstance(form, type) else form

        @login_required
        @require_POST
        def view(request: HttpRequest, pk: int) -> HttpResponse:
            record = self.get(user=request.user, pk=pk)
            if edit_check:
                check_edit_register(request.user, record.region)
            run = partial(save, user=request.user, **{self.key: record})
            return post_on_page(
                request,
                build(record, request.POST),
                lambda fields: run(**fields),
                success=success,
                redirect_to=f"{record.get_absolute_url()}#{anchor}" if anchor else record,
                page=lambda bound: render(request, self.template, self.context(request, record, **{form_name: bound})),
            )

        view.__doc__ = f"Saves the {form_name.replace('_', ' ')} posted from {self.template}."
        return view
