"""Member staff and advocacy in tests: the two organisation trees of tests/members/staff.py with
positions in every state, input and co-signatures the tests know by name, and a snapshot of
everything the advocacy staff pages could change."""

from datetime import timedelta

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from advocacy.models import Endorsement, MemberInput, Position
from association.models import User
from members.models import Organisation, Role
from tests.factories import make_endorsement, make_input, make_position
from tests.members import staff
from tests.members.staff import stored_files


def url(name, *args):
    return reverse(f"advocacy-staff:{name}", args=args)


# Who gives input for which organisation (the colleague, an editor of four, for two).
AUTHORS = {
    "admin_a": "centre-a",
    "editor_a": "centre-a",
    "unit_admin_a": "branch-a",
    "admin_b": "centre-b",
}
COLLEAGUE_INPUT = ["branch-a", "centre-b"]


def build_advocacy_world():
    """staff.build_world(), and positions named by their slugs:
    "open" (open for input for a week, each author's input to it, the colleague's for branch A
    and centre B), "visible" (open, members see
    each other's input; input of A and B), "closed" (its deadline passed; input as for "open"),
    "draft", "drafting" (with input of A), "submitted", "published" (with input of A, no
    co-signature), "endorsed" (published; co-signed by centre A, branch A and centre B, and
    earlier co-signatures of each, withdrawn) and "signing-closed" (co-signed by centre A, branch
    A and centre B, co-signing closed)."""
    w = staff.build_world()
    now = timezone.now()
    w.positions = {}

    def position(slug, status, **fields):
        w.positions[slug] = make_position(
            slug=slug,
            status=status,
            title=f"Position {slug}",
            summary=f"What position {slug} is about.",
            **fields,
        )
        return w.positions[slug]

    position("open", "input", input_deadline=now + timedelta(days=7))
    position(
        "visible", "input", input_deadline=now + timedelta(days=7), input_visible_to_members=True
    )
    position("closed", "input", input_deadline=now - timedelta(hours=1))
    position("draft", "draft")
    position("drafting", "drafting")
    position("submitted", "submitted")
    position("published", "published")
    position("endorsed", "published")
    position("signing-closed", "published", signing_closed=True)

    w.inputs = {}
    for slug in ("open", "closed"):
        for actor, organisation in AUTHORS.items():
            w.inputs[(slug, actor)] = make_input(
                position=w.positions[slug],
                organisation=w.orgs[organisation],
                author=getattr(w, actor),
                text=f"Input of {actor} to {slug}",
            )
        for slug_of in COLLEAGUE_INPUT:
            w.inputs[(slug, "colleague", slug_of)] = make_input(
                position=w.positions[slug],
                organisation=w.orgs[slug_of],
                author=w.colleague,
                text=f"Input of the colleague for {slug_of} to {slug}",
            )
    for slug, actor in [
        ("visible", "admin_a"),
        ("visible", "admin_b"),
        ("drafting", "admin_a"),
        ("published", "admin_a"),
    ]:
        w.inputs[(slug, actor)] = make_input(
            position=w.positions[slug],
            organisation=w.orgs[AUTHORS[actor]],
            author=getattr(w, actor),
            text=f"Input of {actor} to {slug}",
        )

    w.endorsements = {}
    for slug in ("endorsed", "signing-closed"):
        for actor in ("admin_a", "unit_admin_a", "admin_b"):
            organisation = w.orgs[AUTHORS[actor]]
            if slug == "endorsed":
                w.endorsements[(slug, actor, "withdrawn")] = make_endorsement(
                    position=w.positions[slug],
                    organisation=organisation,
                    signed_by=getattr(w, actor),
                    signatory_name=f"Earlier {actor}",
                    withdrawn_at=now - timedelta(days=1),
                )
            w.endorsements[(slug, actor)] = make_endorsement(
                position=w.positions[slug],
                organisation=organisation,
                signed_by=getattr(w, actor),
                signatory_name=f"Signatory of {actor}",
                signatory_title="Chair",
            )
    return w


SNAPSHOT_MODELS = [Position, MemberInput, Endorsement, User, Role, Organisation]


def snapshot(media_root=None):
    """A digest of every row the advocacy staff pages could write (one query), and the files
    under MEDIA_ROOT: equal snapshots, nothing changed."""
    selects = [
        f"SELECT '{model._meta.label}', md5(coalesce(string_agg(row::text, '|' "  # noqa: S608
        f"ORDER BY row::text), '')) FROM {connection.ops.quote_name(model._meta.db_table)} row"
        for model in SNAPSHOT_MODELS
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects))
        digests = dict(cursor.fetchall())
    if media_root is not None:
        digests["files"] = stored_files(media_root)
    return digests
