"""The pages where member staff keep their organisations up to date (under /my/)."""

from datetime import date

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, services
from .forms import (
    AcceptInvitationForm,
    AnnualReportForm,
    ChangeRequestForm,
    ContactFormSet,
    InvitationForm,
    LogoForm,
    MoveForm,
    PhotoForm,
    ProfileForm,
    SubUnitForm,
)
from .models import AnnualReport, ChangeRequest, Organisation, Photo, Role

ADMIN = Role.Level.ADMIN


def _completeness(organisation):
    """What the profile still lacks, in words for its staff."""
    missing = []
    if not organisation.description:
        missing.append(_("a description"))
    if not organisation.logo:
        missing.append(_("a logo"))
    if not (organisation.email or organisation.phone or organisation.consented_contacts):
        missing.append(_("a way to contact it"))
    if (
        not organisation.latest_report_year
        or organisation.latest_report_year < date.today().year - 1
    ):
        missing.append(_("this year's figures"))
    return missing


@login_required
def dashboard(request):
    """The organisations the person holds a role in, each with everything under it: what is
    missing, what is pending, and who changed it last."""
    latest_change = Organisation.history.model.objects.filter(id=OuterRef("pk")).order_by(
        "-history_date"
    )
    organisations = list(
        access.held(request.user)
        .select_related("type")
        .annotate(
            pending_requests=Count(
                "change_requests",
                filter=Q(change_requests__status=ChangeRequest.Status.PENDING),
                distinct=True,
            ),
            consented_contacts=Count("contacts", filter=Q(contacts__consent=True), distinct=True),
            latest_report_year=Subquery(
                AnnualReport.objects.filter(organisation=OuterRef("pk"))
                .order_by("-year")
                .values("year")[:1]
            ),
            changed_by=Subquery(latest_change.values("history_user__name")[:1]),
            changed_by_email=Subquery(latest_change.values("history_user__email")[:1]),
        )
        .order_by("path")[:200]
    )
    groups = {}  # {top organisation: [its sub-units]}, in tree order
    for organisation in organisations:
        organisation.missing = _completeness(organisation)
        # A role inside another role's organisation adds nothing: its sub-units stay with the
        # top one, whose path starts theirs (a path is its ancestors' steps, then its own).
        top = next((top for top in groups if organisation.path.startswith(top.path)), None)
        if top is None:
            groups[organisation] = []
        else:
            groups[top].append(organisation)
    return render(
        request,
        "members/staff/dashboard.html",
        {"groups": list(groups.items()), "secretariat": access.is_secretariat(request.user)},
    )


def _page(request, template, organisation, **context):
    return render(
        request,
        f"members/staff/{template}",
        {
            "organisation": organisation,
            "level": access.level_in(request.user, organisation),
            "pending_requests": organisation.change_requests.filter(
                status=ChangeRequest.Status.PENDING
            ).count(),
        }
        | context,
    )


@login_required
def profile(request, slug):
    organisation = access.organisation_or_404(request.user, slug)
    form = ProfileForm(request.POST or None, instance=organisation)
    contacts = ContactFormSet(request.POST or None, instance=organisation, prefix="contacts")
    if request.method == "POST" and form.is_valid() and contacts.is_valid():
        with transaction.atomic():
            form.save()
            contacts.save()
        messages.success(request, _("The profile is saved."))
        return redirect("staff:profile", organisation.slug)
    return _page(request, "profile.html", organisation, form=form, contacts=contacts)


@login_required
def media(request, slug):
    organisation = access.organisation_or_404(request.user, slug)
    logo_form = LogoForm(prefix="logo")
    photo_form = PhotoForm(prefix="photo")
    # Each form names itself: an empty file input is left out of request.FILES altogether.
    form_name = request.POST.get("form") if request.method == "POST" else None
    if form_name == "logo" and request.POST.get("action") == "remove-logo":
        services.organisation_remove_logo(organisation=organisation)
        messages.success(request, _("The logo is removed."))
        return redirect("staff:media", organisation.slug)
    if form_name == "logo":
        logo_form = LogoForm(request.POST, request.FILES, prefix="logo")
        if logo_form.is_valid():
            services.organisation_set_logo(
                organisation=organisation, upload=logo_form.cleaned_data["logo"]
            )
            messages.success(request, _("The logo is saved."))
            return redirect("staff:media", organisation.slug)
    elif form_name == "photo":
        photo_form = PhotoForm(request.POST, request.FILES, prefix="photo")
        if organisation.photos.count() >= Photo.MAX_PER_ORGANISATION:
            photo_form.add_error(
                None,
                _("An organisation has at most %(count)s photos: remove one first.")
                % {"count": Photo.MAX_PER_ORGANISATION},
            )
        elif photo_form.is_valid():
            services.photo_add(
                organisation=organisation,
                upload=photo_form.cleaned_data["image"],
                alt_text=photo_form.cleaned_data["alt_text"],
            )
            messages.success(request, _("The photo is added."))
            return redirect("staff:media", organisation.slug)
    return _page(
        request,
        "media.html",
        organisation,
        logo_form=logo_form,
        photo_form=photo_form,
        photos=organisation.photos.all(),
        max_photos=Photo.MAX_PER_ORGANISATION,
    )


@login_required
@require_POST
def photo_delete(request, slug, photo_id):
    organisation = access.organisation_or_404(request.user, slug)
    photo = get_object_or_404(Photo, pk=photo_id, organisation=organisation)
    services.photo_delete(photo=photo)
    messages.success(request, _("The photo is removed."))
    return redirect("staff:media", organisation.slug)


@login_required
def units(request, slug):
    organisation = access.organisation_or_404(request.user, slug)
    form = SubUnitForm(request.POST or None, parent=organisation)
    if request.method == "POST" and form.is_valid():
        unit = Organisation.objects.create(
            name=form.cleaned_data["name"],
            slug=services.unique_slug(form.cleaned_data["name"]),
            type=form.cleaned_data["type"],
            parent=organisation,
            municipality=organisation.municipality,
            membership_status=Organisation.MembershipStatus.NONE,
        )
        messages.success(request, _("%(name)s is added. Describe it now.") % {"name": unit.name})
        return redirect("staff:profile", unit.slug)
    return _page(
        request,
        "units.html",
        organisation,
        form=form,
        children=organisation.children.select_related("type").order_by("sort_name"),
    )


@login_required
def move(request, slug):
    organisation = access.organisation_or_404(request.user, slug)
    top = access.top_of_reach(request.user, organisation)
    if top is None:  # the secretariat: anywhere in the directory
        within = Organisation.objects.all()
    elif top == organisation:
        # Out of the role's own subtree only by a change request.
        messages.info(request, _("To place this organisation elsewhere, request a change."))
        return redirect("staff:change-request", organisation.slug)
    else:
        within = Organisation.objects.within(top)
    form = MoveForm(request.POST or None, organisation=organisation, within=within)
    if request.method == "POST" and form.is_valid():
        organisation.parent = form.cleaned_data["parent"]
        organisation.save()
        messages.success(request, _("%(name)s is moved.") % {"name": organisation.name})
        return redirect("staff:units", organisation.parent.slug)
    return _page(request, "move.html", organisation, form=form)


@login_required
@require_POST
def archive(request, slug):
    organisation = access.organisation_or_404(request.user, slug)
    top = access.top_of_reach(request.user, organisation)
    if top == organisation:
        # Staff archive their sub-units; the organisation they hold a role in is the secretariat's.
        messages.error(request, _("Only its sub-units can be archived from here."))
        return redirect("staff:units", organisation.slug)
    organisation.published = request.POST.get("action") == "restore"
    organisation.save()
    if organisation.published:
        messages.success(
            request, _("%(name)s is back in the directory.") % {"name": organisation.name}
        )
    else:
        messages.success(
            request,
            _("%(name)s is archived: it no longer shows in the directory.")
            % {"name": organisation.name},
        )
    return redirect(
        "staff:units", organisation.parent.slug if organisation.parent else organisation.slug
    )


@login_required
def change_request(request, slug):
    organisation = access.organisation_or_404(request.user, slug)
    form = ChangeRequestForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        ChangeRequest.objects.create(
            organisation=organisation,
            changes=form.changes,
            reason=form.cleaned_data["reason"],
            requested_by=request.user,
        )
        messages.success(
            request,
            _("Your request is sent to the secretariat. You will get an email when it is decided."),
        )
        return redirect("staff:change-request", organisation.slug)
    return _page(
        request,
        "change_request.html",
        organisation,
        form=form,
        requests=organisation.change_requests.select_related("requested_by", "decided_by")[:20],
    )


@login_required
def figures(request, slug):
    organisation = access.organisation_or_404(request.user, slug)
    form = AnnualReportForm(request.POST or None, initial={"year": date.today().year})
    if request.method == "POST" and form.is_valid():
        values = {
            name: form.cleaned_data[name]
            for name in ["members", "volunteers", "staff", "collectives"]
        }
        services.annual_report_save(
            organisation=organisation,
            year=form.cleaned_data["year"],
            values=values,
            user=request.user,
        )
        messages.success(
            request, _("The figures for %(year)s are saved.") % {"year": form.cleaned_data["year"]}
        )
        return redirect("staff:figures", organisation.slug)
    return _page(
        request, "figures.html", organisation, form=form, reports=organisation.annual_reports.all()
    )


@login_required
def people(request, slug):
    organisation = access.organisation_or_404(request.user, slug, level=ADMIN)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitation = services.invitation_create(
            organisation=organisation,
            email=form.cleaned_data["email"],
            level=form.cleaned_data["level"],
            invited_by=request.user,
            request=request,
        )
        messages.success(
            request, _("An invitation is on its way to %(email)s.") % {"email": invitation.email}
        )
        return redirect("staff:people", organisation.slug)
    return _page(
        request,
        "people.html",
        organisation,
        form=form,
        roles=organisation.roles.select_related("user"),
        invitations=organisation.invitations.pending().select_related("invited_by"),
    )


@login_required
@require_POST
def invitation_action(request, slug, invitation_id, action):
    organisation = access.organisation_or_404(request.user, slug, level=ADMIN)
    invitation = get_object_or_404(organisation.invitations.pending(), pk=invitation_id)
    if action not in {"resend", "revoke"}:
        raise Http404
    if action == "resend":
        services.invitation_send(invitation=invitation, request=request)
        messages.success(
            request, _("The invitation is sent again to %(email)s.") % {"email": invitation.email}
        )
    else:
        services.invitation_revoke(invitation=invitation)
        messages.success(
            request, _("The invitation to %(email)s is revoked.") % {"email": invitation.email}
        )
    return redirect("staff:people", organisation.slug)


@login_required
@require_POST
def role_remove(request, slug, role_id):
    organisation = access.organisation_or_404(request.user, slug, level=ADMIN)
    role = get_object_or_404(organisation.roles.select_related("user"), pk=role_id)
    if role.user == request.user:
        messages.error(request, _("You cannot remove your own role; ask another admin."))
    else:
        role.delete()
        messages.success(
            request,
            _("%(person)s no longer works on this organisation here.") % {"person": role.user},
        )
    return redirect("staff:people", organisation.slug)


def accept_invitation(request, token):
    """The link in an invitation: a new account, or the role added to the signed-in person."""
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "members/staff/invitation_invalid.html", status=404)
    existing = get_user_model().objects.filter(email__iexact=invitation.email).first()
    if request.user.is_authenticated:
        if request.user.email.lower() != invitation.email:
            return render(
                request, "members/staff/invitation_other_account.html", {"invitation": invitation}
            )
        if request.method == "POST":
            services.invitation_accept(invitation=invitation, user=request.user)
            messages.success(
                request,
                _("You now work on %(name)s here.") % {"name": invitation.organisation.name},
            )
            return redirect("staff:dashboard")
        return render(request, "members/staff/invitation_accept.html", {"invitation": invitation})
    if existing is not None:
        # An account already has the address: sign in first, then come back to this link.
        return redirect(f"{reverse('account_login')}?next={request.path}")
    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = get_user_model().objects.create_user(
                email=invitation.email,
                password=form.cleaned_data["password1"],
                name=form.cleaned_data["name"],
            )
            # The address is verified: the invitation reached it.
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
            services.invitation_accept(invitation=invitation, user=user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Welcome. You now work on %(name)s here.") % {"name": invitation.organisation.name},
        )
        return redirect("staff:dashboard")
    return render(
        request, "members/staff/invitation_signup.html", {"invitation": invitation, "form": form}
    )
