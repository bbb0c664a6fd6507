"""Who may edit which organisation.

A role (admin or editor) in an organisation covers its whole subtree. The secretariat, who may
change any organisation in the administration, may also use the staff pages of any of them, as
an admin would. Everyone else reaches no organisation: another organisation answers 404.
"""

from django.db.models import Q
from django.http import Http404

from .models import Organisation, Role

RANK = {None: 0, Role.Level.EDITOR: 1, Role.Level.ADMIN: 2}


def is_secretariat(user):
    return user.is_authenticated and user.has_perm("members.change_organisation")


def editable(user):
    """Every organisation the user may edit (published or not)."""
    if is_secretariat(user):
        return Organisation.objects.all()
    return held(user)


def held(user):
    """The organisations under the user's own roles (not the secretariat's reach)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    paths = Role.objects.filter(user=user).values_list("organisation__path", flat=True)
    subtrees = Q()
    for path in paths:
        subtrees |= Q(path__startswith=path)
    return Organisation.objects.filter(subtrees) if subtrees else Organisation.objects.none()


def level_in(user, organisation):
    """The user's role in the organisation, from it or from an ancestor: admin, editor or None."""
    if is_secretariat(user):
        return Role.Level.ADMIN
    if not user.is_authenticated:
        return None
    levels = Role.objects.filter(
        user=user, organisation_id__in=[*organisation.ancestor_ids, organisation.pk]
    ).values_list("level", flat=True)
    return max(levels, key=RANK.__getitem__, default=None)


def organisation_or_404(user, slug, *, level=Role.Level.EDITOR):
    """The organisation the user may act on at this level, or 404: an organisation out of
    reach and a role too low look the same from outside."""
    organisation = (
        Organisation.objects.select_related("type", "parent", "municipality")
        .filter(slug=slug)
        .first()
    )
    if organisation is None or RANK[level_in(user, organisation)] < RANK[level]:
        raise Http404
    return organisation


def top_of_reach(user, organisation):
    """The highest organisation the user's roles reach above or at this one (moves and new
    sub-units stay within it)."""
    if is_secretariat(user):
        return None
    ids = [*organisation.ancestor_ids, organisation.pk]
    held = set(Role.objects.filter(user=user, organisation_id__in=ids).values_list(
        "organisation_id", flat=True
    ))  # fmt: skip
    return Organisation.objects.get(pk=next(pk for pk in ids if pk in held))
