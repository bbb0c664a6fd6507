"""The pages where member staff add and keep up to date the projects their organisations lead
(under /my/projects/). A project is reachable when its lead organisation is one the person may
edit (members.access); any other project, and one the association itself leads, answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members import access
from members.models import Role

from . import services
from .forms import (
    PartnerFormSet,
    ProjectDocumentForm,
    ProjectForm,
    ProjectImageForm,
    ResultFormSet,
)
from .models import Project, ProjectDocument, ProjectImage, ProjectItem, ProjectPartner

PER_PAGE = 25
MAX_DOCUMENTS = 20


def reachable(user):
    """The projects the person may edit: led by an organisation under their roles, or, for the
    secretariat, by any organisation (the association's own projects are edited in the
    administration)."""
    if access.is_secretariat(user):
        return Project.objects.filter(lead_organisation__isnull=False)
    return Project.objects.filter(lead_organisation__in=access.held(user))


def project_or_404(user, slug):
    project = (
        Project.objects.select_related("lead_organisation", "funder", "programme")
        .filter(slug=slug)
        .first()
    )
    if (
        project is None
        or project.lead_organisation is None
        or access.RANK[access.level_in(user, project.lead_organisation)]
        < access.RANK[Role.Level.EDITOR]
    ):
        raise Http404
    return project


@login_required
def project_list(request):
    projects = (
        reachable(request.user).select_related("lead_organisation").order_by("-updated_at", "-id")
    )
    page = Paginator(projects, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/staff/list.html",
        {"page": page, "secretariat": access.is_secretariat(request.user)},
    )


class NonFormErrors:
    """A formset's own errors (too many rows, the same partner twice, a tampered form) as a
    form with no fields, for the error summary."""

    def __init__(self, formset):
        self.formset = formset

    def non_field_errors(self):
        return self.formset.non_form_errors()

    def __iter__(self):
        return iter(())


def _save_rows(formset, project, **values):
    """Save a formset's rows in the order shown, numbered from 0, each with these values.
    Empty new rows are skipped, rows marked for removal removed, and (as Django's own formsets
    do) a row whose id is none of this project's is dropped."""
    order = 0
    for index, form in enumerate(formset.forms):
        existing = index < formset.initial_form_count()
        if existing and form.instance.pk is None:
            continue
        if form.cleaned_data.get("DELETE"):
            if existing:
                form.instance.delete()
            continue
        if not existing and not form.has_changed():
            continue
        row = form.save(commit=False)
        row.project, row.order = project, order
        for name, value in values.items():
            setattr(row, name, value)
        row.save()
        order += 1


def _save_lines(project, kind, lines):
    project.items.filter(kind=kind).delete()
    ProjectItem.objects.bulk_create(
        ProjectItem(project=project, kind=kind, order=order, text=text)
        for order, text in enumerate(lines)
    )


@login_required
def project_edit(request, slug=None):
    """One form for a new project and for an existing one: its details, aims and activities
    (one per line), expected and achieved results, and partners."""
    project = project_or_404(request.user, slug) if slug else Project()
    # The page is about the project as saved: the form changes the instance as it validates.
    saved_title, saved_lead = project.title, project.lead_organisation
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    items = list(project.items.all()) if project.pk else []
    form = ProjectForm(
        data,
        files,
        instance=project,
        organisations=access.editable(request.user),
        items=items,
    )
    results = {
        kind: ResultFormSet(
            data,
            instance=project,
            prefix=kind,
            queryset=ProjectItem.objects.filter(kind=kind),
        )
        for kind in (ProjectItem.Kind.EXPECTED, ProjectItem.Kind.ACHIEVED)
    }
    partners = PartnerFormSet(
        data,
        instance=project,
        prefix="partners",
        queryset=ProjectPartner.objects.select_related("organisation"),
    )
    formsets = [*results.values(), partners]
    if data is not None and all([form.is_valid()] + [formset.is_valid() for formset in formsets]):
        with transaction.atomic():
            creating = project.pk is None
            project = form.save(commit=False)
            if creating:
                project.slug = services.unique_slug(Project, project.title)
                project.created_by = request.user
                project.published = False
            project.save()
            form.save_m2m()
            _save_lines(project, ProjectItem.Kind.AIM, form.cleaned_data["aims"])
            _save_lines(project, ProjectItem.Kind.ACTIVITY, form.cleaned_data["activities"])
            for kind, formset in results.items():
                _save_rows(formset, project, kind=kind)
            _save_rows(partners, project)
        if creating:
            messages.success(
                request,
                _(
                    "The project is saved as a draft. Add images and documents if you like, "
                    "then send it to the secretariat to publish."
                ),
            )
        else:
            messages.success(request, _("The project is saved."))
        return redirect("projects-staff:edit", project.slug)
    summary = [form]
    for formset in formsets:
        summary += [NonFormErrors(formset), *formset.forms]
    return render(
        request,
        "projects/staff/edit.html",
        {
            "project": project,
            "saved_title": saved_title,
            "saved_lead": saved_lead,
            "form": form,
            "expected": results[ProjectItem.Kind.EXPECTED],
            "achieved": results[ProjectItem.Kind.ACHIEVED],
            "partners": partners,
            "summary_forms": summary,
            "has_errors": bool(form.errors)
            or any(formset.total_error_count() for formset in formsets),
        },
    )


@login_required
def media(request, slug):
    project = project_or_404(request.user, slug)
    image_form = ProjectImageForm(prefix="image")
    document_form = ProjectDocumentForm(prefix="document")
    # Each form names itself: an empty file input is left out of request.FILES altogether.
    form_name = request.POST.get("form") if request.method == "POST" else None
    if form_name == "image":
        image_form = ProjectImageForm(request.POST, request.FILES, prefix="image")
        if project.images.count() >= ProjectImage.MAX_PER_PROJECT:
            image_form.add_error(
                None,
                _("A project has at most %(count)s images: remove one first.")
                % {"count": ProjectImage.MAX_PER_PROJECT},
            )
        elif image_form.is_valid():
            services.project_image_add(
                project=project,
                upload=image_form.cleaned_data["image"],
                alt_text=image_form.cleaned_data["alt_text"],
            )
            messages.success(request, _("The image is added."))
            return redirect("projects-staff:media", project.slug)
    elif form_name == "document":
        document = ProjectDocument(project=project, order=project.documents.count())
        document_form = ProjectDocumentForm(
            request.POST, request.FILES, instance=document, prefix="document"
        )
        if document.order >= MAX_DOCUMENTS:
            document_form.add_error(
                None,
                _("A project has at most %(count)s documents: remove one first.")
                % {"count": MAX_DOCUMENTS},
            )
        elif document_form.is_valid():
            document_form.save()
            messages.success(request, _("The document is added."))
            return redirect("projects-staff:media", project.slug)
    return render(
        request,
        "projects/staff/media.html",
        {
            "project": project,
            "image_form": image_form,
            "document_form": document_form,
            "images": project.images.all(),
            "documents": project.documents.all(),
            "max_images": ProjectImage.MAX_PER_PROJECT,
            "max_documents": MAX_DOCUMENTS,
        },
    )


@login_required
@require_POST
def image_delete(request, slug, image_id):
    project = project_or_404(request.user, slug)
    image = get_object_or_404(ProjectImage, pk=image_id, project=project)
    services.project_image_delete(image=image)
    messages.success(request, _("The image is removed."))
    return redirect("projects-staff:media", project.slug)


@login_required
@require_POST
def document_delete(request, slug, document_id):
    project = project_or_404(request.user, slug)
    document = get_object_or_404(ProjectDocument, pk=document_id, project=project)
    services.document_delete(document=document)
    messages.success(request, _("The document is removed."))
    return redirect("projects-staff:media", project.slug)


@login_required
@require_POST
def submit(request, slug):
    project = project_or_404(request.user, slug)
    if project.published:
        messages.info(request, _("The project is already published."))
    elif project.submitted_at:
        messages.info(request, _("The project is already with the secretariat."))
    else:
        review = reverse("admin:projects_project_changelist") + "?publication=submitted"
        services.project_submit_for_publication(
            project=project, by=request.user, review_url=request.build_absolute_uri(review)
        )
        messages.success(
            request,
            _(
                "The project is sent to the secretariat. It will show on the portal once "
                "they publish it."
            ),
        )
    return redirect("projects-staff:edit", project.slug)


@login_required
def delete(request, slug):
    project = project_or_404(request.user, slug)
    if project.published:
        messages.error(
            request,
            _("A published project cannot be deleted here: ask the secretariat to unpublish it."),
        )
        return redirect("projects-staff:edit", project.slug)
    if request.method == "POST":
        title = project.title
        with transaction.atomic():
            services.project_delete(project=project)
        messages.success(request, _("“%(title)s” is deleted.") % {"title": title})
        return redirect("projects-staff:list")
    return render(request, "projects/staff/delete.html", {"project": project})
