"""Member staff's side of advocacy (under /my/advocacy/): input to positions open for it, and
co-signing published ones for their organisations.

"The person's organisations" are the published organisations they hold a role in themselves,
at any level: each speaks for itself (a centre's staff do not speak for every branch under
it). Input is written and withdrawn only by its author while the position is open for it;
co-signing is for an organisation's admins (members.access.level_in: an admin role in it or
above it). A position in any other state (a draft, one being drafted or submitted) answers 404,
as does another person's input or another organisation's co-signature."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from members import access
from members.models import Organisation, Role
from members.services import delete_files_on_commit, stored_files

from . import services
from .models import Endorsement, MemberInput, Position
from .staff_forms import EndorsementForm, MemberInputForm, NotificationsForm
from .tasks import REMIND_BEFORE

PER_PAGE = 25
Status = Position.Status


def my_organisations(user):
    """The published organisations the person holds a role in themselves, by name."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(roles__user=user, published=True).order_by("sort_name", "id")


def _position_or_404(slug, statuses):
    position = (
        Position.objects.select_related("consultation")
        .filter(slug=slug, status__in=statuses)
        .first()
    )
    if position is None:
        raise Http404
    return position


def _own_input_or_404(user, position, input_id, organisations):
    """Only the author changes an input, and only while they still hold a role in its
    organisation: anything else is not found."""
    return get_object_or_404(
        MemberInput.objects.select_related("organisation"),
        pk=input_id,
        position=position,
        author=user,
        organisation__in=organisations,
    )


@login_required
def position_list(request):
    organisations = list(my_organisations(request.user))
    open_positions = list(
        Position.objects.open_for_input()
        .order_by("input_deadline", "id")
        .only("slug", "title", "kind", "input_deadline", "status")
    )
    given = set(
        MemberInput.objects.filter(
            position__in=[position.pk for position in open_positions],
            organisation__in=organisations,
        ).values_list("position_id", "organisation_id")
    )
    soon = timezone.now() + REMIND_BEFORE
    for position in open_positions:
        position.closing_soon = position.input_deadline <= soon
        position.states = [
            (organisation, (position.pk, organisation.pk) in given)
            for organisation in organisations
        ]

    signable = (
        Position.objects.published()
        .filter(signing_closed=False)
        .order_by("-published_at", "-id")
        .only("slug", "title", "kind", "published_at", "status")
    )
    page = Paginator(signable, PER_PAGE).get_page(request.GET.get("page"))
    signed = set(
        Endorsement.objects.active()
        .filter(
            position__in=[position.pk for position in page.object_list],
            organisation__in=organisations,
        )
        .values_list("position_id", "organisation_id")
    )
    for position in page.object_list:
        position.states = [
            (organisation, (position.pk, organisation.pk) in signed)
            for organisation in organisations
        ]
    return render(
        request,
        "advocacy/staff/list.html",
        {"organisations": organisations, "open_positions": open_positions, "page": page},
    )


def _input_page(request, position, organisations, form, editing=None):
    """The input page: the position, the person's organisations' input, the form (while input
    is open) and, where the secretariat allows it, the other members' input."""
    mine = {organisation.pk for organisation in organisations}
    inputs = position.inputs.select_related("organisation", "author").order_by("created_at", "id")
    if not (position.input_visible_to_members and mine):
        inputs = inputs.filter(organisation__in=mine)
    inputs = list(inputs) if mine else []
    own = [member_input for member_input in inputs if member_input.organisation_id in mine]
    others = [member_input for member_input in inputs if member_input.organisation_id not in mine]
    return render(
        request,
        "advocacy/staff/input.html",
        {
            "position": position,
            "organisations": organisations,
            "form": form if position.input_open and organisations else None,
            "summary_forms": [form],
            "editing": editing,
            "own_inputs": own,
            "other_inputs": others,
        },
    )


@login_required
def input_page(request, slug):
    position = _position_or_404(slug, [Status.INPUT, Status.PUBLISHED])
    organisation_list = list(my_organisations(request.user))
    form = None
    if request.method == "POST":
        if not position.input_open:
            messages.error(request, _("Member input for this position is closed."))
            return redirect("advocacy-staff:input", position.slug)
        if not organisation_list:
            raise Http404
        member_input = MemberInput(position=position, author=request.user)
        form = MemberInputForm(
            request.POST, request.FILES, instance=member_input, organisations=organisation_list
        )
        if form.is_valid():
            try:
                services.input_save(member_input=form.save(commit=False))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("advocacy-staff:input", position.slug)
            messages.success(
                request,
                _("Your input for %(organisation)s is saved. You can change it until the deadline.")
                % {"organisation": member_input.organisation.name},
            )
            return redirect("advocacy-staff:input", position.slug)
    else:
        form = MemberInputForm(
            organisations=organisation_list,
            initial={"organisation": organisation_list[0].pk} if organisation_list else None,
        )
    return _input_page(request, position, organisation_list, form)


@login_required
def input_edit(request, slug, input_id):
    position = _position_or_404(slug, [Status.INPUT, Status.PUBLISHED])
    organisations = list(my_organisations(request.user))
    member_input = _own_input_or_404(request.user, position, input_id, organisations)
    if not position.input_open:
        if request.method == "POST":
            messages.error(request, _("Member input for this position is closed."))
        return redirect("advocacy-staff:input", position.slug)
    if request.method == "POST":
        before = stored_files(member_input.attachment)
        form = MemberInputForm(
            request.POST, request.FILES, instance=member_input, organisations=None
        )
        if form.is_valid():
            try:
                with transaction.atomic():
                    saved = services.input_save(member_input=form.save(commit=False))
                    # A replaced or removed attachment goes once the change is committed.
                    delete_files_on_commit(
                        [file for file in before if file not in stored_files(saved.attachment)]
                    )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("advocacy-staff:input", position.slug)
            messages.success(request, _("Your input is saved."))
            return redirect("advocacy-staff:input", position.slug)
    else:
        form = MemberInputForm(instance=member_input, organisations=None)
    return _input_page(request, position, organisations, form, editing=member_input)


@login_required
def input_withdraw(request, slug, input_id):
    position = _position_or_404(slug, [Status.INPUT, Status.PUBLISHED])
    organisations = list(my_organisations(request.user))
    member_input = _own_input_or_404(request.user, position, input_id, organisations)
    if not position.input_open:
        if request.method == "POST":
            messages.error(request, _("Member input for this position is closed."))
        return redirect("advocacy-staff:input", position.slug)
    if request.method == "POST":
        try:
            with transaction.atomic():
                delete_files_on_commit(stored_files(member_input.attachment))
                services.input_withdraw(member_input=member_input)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The input of %(organisation)s is withdrawn.")
                % {"organisation": member_input.organisation.name},
            )
        return redirect("advocacy-staff:input", position.slug)
    return render(
        request,
        "advocacy/staff/input_withdraw.html",
        {"position": position, "member_input": member_input},
    )


def _signing_states(position, organisations, user):
    """Each of the person's organisations with its active co-signature (or None) and whether
    the person may sign for it."""
    endorsements = {
        endorsement.organisation_id: endorsement
        for endorsement in Endorsement.objects.active()
        .filter(position=position, organisation__in=organisations)
        .select_related("signed_by")
    }
    admin_of = _admin_of(user, organisations)
    return [
        (organisation, endorsements.get(organisation.pk), organisation.pk in admin_of)
        for organisation in organisations
    ]


def _admin_of(user, organisations):
    """The ids of these organisations where the person is an admin, by a role in each or
    above it (one query, as access.level_in would answer for each)."""
    ancestors = {
        organisation.pk: [*organisation.ancestor_ids, organisation.pk]
        for organisation in organisations
    }
    admin_ids = set(
        Role.objects.filter(
            user=user,
            level=Role.Level.ADMIN,
            organisation_id__in={pk for ids in ancestors.values() for pk in ids},
        ).values_list("organisation_id", flat=True)
    )
    return {pk for pk, ids in ancestors.items() if admin_ids.intersection(ids)}


@login_required
def cosign(request, slug):
    position = _position_or_404(slug, [Status.PUBLISHED])
    organisations = list(my_organisations(request.user))
    states = _signing_states(position, organisations, request.user)
    admin_orgs = [organisation for organisation, _signed, admin in states if admin]
    unsigned = [organisation for organisation, signed, admin in states if admin and not signed]
    form_kwargs = {"organisations": admin_orgs, "shown": unsigned}
    form = None
    if request.method == "POST":
        if not admin_orgs:
            raise Http404
        # An editor naming an organisation they only edit: not theirs to sign for.
        chosen = request.POST.get("organisation", "")
        editor_only = {str(o.pk) for o, _signed, admin in states if not admin}
        if chosen in editor_only:
            raise Http404
        if position.signing_closed:
            messages.error(request, _("Co-signing of this position is closed."))
            return redirect("advocacy-staff:cosign", position.slug)
        form = EndorsementForm(
            request.POST,
            instance=Endorsement(position=position, signed_by=request.user),
            **form_kwargs,
        )
        if form.is_valid():
            organisation = form.cleaned_data["organisation"]
            if access.level_in(request.user, organisation) != Role.Level.ADMIN:
                raise Http404
            try:
                with transaction.atomic():
                    services.endorse(
                        position=position,
                        organisation=organisation,
                        user=request.user,
                        name=form.cleaned_data["signatory_name"],
                        title=form.cleaned_data["signatory_title"],
                    )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("advocacy-staff:cosign", position.slug)
            except IntegrityError:
                # The same organisation signed in another request a moment ago.
                messages.error(
                    request, _("%(name)s has already co-signed.") % {"name": organisation.name}
                )
                return redirect("advocacy-staff:cosign", position.slug)
            else:
                messages.success(
                    request,
                    _("%(organisation)s co-signs “%(title)s”.")
                    % {"organisation": organisation.name, "title": position.title},
                )
                return redirect("advocacy-staff:cosign", position.slug)
    elif unsigned and position.signing_open:
        form = EndorsementForm(
            initial={"organisation": unsigned[0].pk, "signatory_name": request.user.name},
            **form_kwargs,
        )
    return render(
        request,
        "advocacy/staff/cosign.html",
        {
            "position": position,
            "states": states,
            "admin_orgs": admin_orgs,
            "form": form if position.signing_open else None,
            "summary_forms": [form],
        },
    )


@login_required
def cosign_withdraw(request, slug, endorsement_id):
    position = _position_or_404(slug, [Status.PUBLISHED])
    organisations = list(my_organisations(request.user))
    endorsement = get_object_or_404(
        Endorsement.objects.active().select_related("organisation", "position"),
        pk=endorsement_id,
        position=position,
        organisation__in=_admin_of(request.user, organisations),
    )
    if position.signing_closed:
        if request.method == "POST":
            messages.error(request, _("Co-signing of this position is closed."))
        return redirect("advocacy-staff:cosign", position.slug)
    if request.method == "POST":
        try:
            services.endorsement_withdraw(endorsement=endorsement)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The co-signature of %(organisation)s is withdrawn.")
                % {"organisation": endorsement.organisation.name},
            )
        return redirect("advocacy-staff:cosign", position.slug)
    return render(
        request,
        "advocacy/staff/cosign_withdraw.html",
        {"position": position, "endorsement": endorsement},
    )


@login_required
def notifications(request):
    data = request.POST if request.method == "POST" else None
    form = NotificationsForm(data, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your email settings are saved."))
        return redirect("advocacy-staff:notifications")
    return render(
        request, "advocacy/staff/notifications.html", {"form": form, "summary_forms": [form]}
    )
