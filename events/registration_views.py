"""Registering for an event, cancelling by a signed link, and member staff proposing events."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from association.subscriptions import _over_limit, client_ip
from members import access
from members.models import Role

from . import services
from .forms import ProposeEventForm, RegistrationForm
from .models import Event

OUTCOMES = {"confirmed", "waiting", "again"}
PER_PAGE = 25


def _is_member_staff(user):
    return access.is_secretariat(user) or Role.objects.filter(user=user).exists()


def members_only_refusal(request, event):
    """The answer for someone who may not register for a members-only event, or None."""
    if event.audience != Event.Audience.MEMBERS:
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not _is_member_staff(request.user):
        return render(request, "events/register_members_only.html", {"event": event}, status=403)
    return None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def register(request, slug):
    event = get_object_or_404(
        Event.objects.filter(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED]),
        slug=slug,
    )
    refusal = members_only_refusal(request, event)
    if refusal is not None:
        return refusal
    user = request.user
    organisations = access.held(user) if user.is_authenticated else None
    initial = {"name": user.name, "email": user.email} if user.is_authenticated else {}
    form = RegistrationForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        organisations=organisations,
    )
    closed = services.closed_reason(event)
    limit_message, status = "", 200
    if request.method == "POST" and not closed and form.is_valid():
        data = form.cleaned_data
        if _over_limit(
            f"events:register:ip:{client_ip(request) or 'unknown'}", services.REGISTRATIONS_PER_IP
        ):
            status = 429
            limit_message = _(
                "Too many registrations have come from your connection in the last hour. "
                "Please try again later."
            )
        else:
            try:
                registration, created = services.registration_create(
                    event=event,
                    name=data["name"],
                    email=data["email"],
                    organisation=data.get("organisation"),
                    organisation_name=data["organisation_name"],
                    needs=data["needs"],
                    user=user,
                )
            except services.RegistrationClosed as error:
                closed = error.message
            else:
                outcome = registration.status if created else "again"
                return redirect("events:registered", event.slug, outcome)
    return render(
        request,
        "events/register.html",
        {
            "event": event,
            "form": form,
            "summary_forms": [form],
            "closed": closed,
            "places_left": services.places_left(event),
            "limit_message": limit_message,
        },
        status=status,
    )


def registered(request, slug, outcome):
    # The outcome is in the address, not the registration: the page says nothing about anyone.
    if outcome not in OUTCOMES:
        raise Http404
    event = get_object_or_404(
        Event.objects.filter(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED]),
        slug=slug,
    )
    return render(request, "events/registered.html", {"event": event, "outcome": outcome})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def cancel(request, token):
    """GET shows the registration and a button (link scanners open links); POST cancels."""
    try:
        registration = services.registration_for_token(token)
    except services.LinkInvalid:
        return render(request, "events/cancel.html", {"problem": "invalid"}, status=400)
    if registration is None:
        return render(request, "events/cancel.html", {"problem": "gone"}, status=404)
    event = registration.event
    over = event.ends_at < timezone.now()
    if request.method == "POST" and not over:
        services.registration_cancel(registration=registration)
        messages.success(request, _("Your registration is cancelled."))
        return redirect("events:cancel", token)
    return render(
        request,
        "events/cancel.html",
        {"registration": registration, "event": event, "over": over, "token": token},
    )


# --- Member staff propose events --------------------------------------------------------------


@login_required
def proposals(request):
    events = (
        Event.objects.filter(organiser__in=access.held(request.user))
        .select_related("organiser")
        .order_by("-created_at", "-id")
    )
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "events/staff/list.html", {"page": page})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def propose(request):
    # Their own organisations only: the secretariat adds events in the administration.
    organisations = access.held(request.user)
    if not organisations.exists():
        return render(request, "events/staff/no_role.html", status=403)
    form = ProposeEventForm(
        request.POST if request.method == "POST" else None,
        organisations=organisations,
        instance=Event(),
    )
    if request.method == "POST" and form.is_valid():
        event = services.event_propose(event=form.save(commit=False), user=request.user)
        messages.success(
            request,
            _("“%(title)s” is sent to the secretariat, which publishes it.") % {"title": event},
        )
        return redirect("events-staff:list")
    return render(request, "events/staff/propose.html", {"form": form, "summary_forms": [form]})
