"""{% registration_box event %}: on an event's page, what a visitor can do about registering
(the form's link, the waiting list, their own registration and the online link once registered)."""

from django import template
from django.template.loader import render_to_string

from events import services
from events.models import Event, Registration

register = template.Library()


@register.simple_tag(takes_context=True)
def registration_box(context, event):
    request = context["request"]
    closed = services.closed_reason(event)
    mine = services.active_registration(event, request.user)
    return render_to_string(
        "events/_registration_box.html",
        {
            "event": event,
            "closed": closed,
            # Places matter only while one can register.
            "places_left": None if closed else services.places_left(event),
            "mine": mine,
            "confirmed": mine is not None and mine.status == Registration.Status.CONFIRMED,
            "members_only": event.audience == Event.Audience.MEMBERS,
            "signed_in": request.user.is_authenticated,
            "cancel_token": services.cancel_token(mine) if mine else "",
        },
        request=request,
    )
