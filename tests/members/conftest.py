"""A small directory whose every organisation, place and figure the tests know by name."""

from contextlib import contextmanager
from datetime import date
from types import SimpleNamespace

import pytest
from django.db import transaction

from tests.factories import (
    make_contact,
    make_field,
    make_municipality,
    make_organisation,
    make_region,
    make_type,
)
from tests.members import staff


def build_directory():
    """Three types (centre > branch > collective), three regions in three countries with four
    municipalities whose names carry Lithuanian, Slovenian and Swedish letters, three fields of
    activity named in four languages, and eight organisations, one of them unpublished."""
    d = SimpleNamespace()
    d.centre = make_type(
        slug="centre",
        name={"en": "Culture centre", "lt": "Kultūros centras", "sl": "Kulturni center"},
        name_plural={"en": "Culture centres", "lt": "Kultūros centrai", "sl": "Kulturni centri"},
        order=1,
    )
    d.branch = make_type(
        slug="branch",
        name={"en": "Branch", "lt": "Filialas"},
        name_plural={"en": "Branches", "lt": "Filialai"},
        is_legal_entity=False,
        can_be_top_level=False,
        allowed_parents=[d.centre],
        order=2,
    )
    d.collective = make_type(
        slug="collective",
        name={"en": "Art collective", "lt": "Meno kolektyvas"},
        name_plural={"en": "Art collectives", "lt": "Meno kolektyvai"},
        is_legal_entity=False,
        can_be_top_level=False,
        allowed_parents=[d.centre, d.branch],
        order=3,
    )

    d.choir = make_field(
        slug="choir", name={"en": "Choir", "lt": "Choras", "sl": "Pevski zbor", "sv": "Kör"}
    )
    d.folk_dance = make_field(
        slug="folk-dance",
        name={"en": "Folk dance", "lt": "Liaudies šokis", "sl": "Ljudski ples", "sv": "Folkdans"},
    )
    d.theatre = make_field(
        slug="theatre",
        name={"en": "Theatre", "lt": "Teatras", "sl": "Gledališče", "sv": "Teater"},
    )

    d.kaunas_county = make_region(
        country="LT", code="LT-KU", name="Kauno apskritis", slug="kauno-apskritis",
        latitude=55.1, longitude=23.9,
    )  # fmt: skip
    d.savinjska = make_region(
        country="SI", code="SI034", name="Savinjska", slug="savinjska",
        latitude=46.25, longitude=15.2,
    )  # fmt: skip
    d.vastra_gotaland = make_region(
        country="SE", code="14", name="Västra Götalands län", slug="vastra-gotalands-lan",
        latitude=58.0, longitude=12.5,
    )  # fmt: skip
    d.kedainiai = make_municipality(
        region=d.kaunas_county, code="LT-18", name="Kėdainių rajono savivaldybė",
        slug="kedainiu-rajono-savivaldybe", latitude=55.3123, longitude=24.037,
    )  # fmt: skip
    d.kaunas = make_municipality(
        region=d.kaunas_county, code="LT-15", name="Kauno miesto savivaldybė",
        slug="kauno-miesto-savivaldybe", latitude=54.9016, longitude=23.9091,
    )  # fmt: skip
    d.zalec = make_municipality(
        region=d.savinjska, code="SI-190", name="Žalec", slug="zalec",
        latitude=46.25, longitude=15.16,
    )  # fmt: skip
    d.goteborg = make_municipality(
        region=d.vastra_gotaland, code="1480", name="Göteborg", slug="goteborg",
        latitude=57.7, longitude=11.97,
    )  # fmt: skip

    d.kedainiai_centre = make_organisation(
        name="Kėdainių kultūros centras",
        short_name="KKC",
        slug="kedainiu-kulturos-centras",
        type=d.centre,
        municipality=d.kedainiai,
        fields=[d.choir, d.folk_dance],
        latitude=55.29,
        longitude=23.97,
        email="info@kkc.example.org",
        phone="+370 347 12345",
        website="https://kkc.example.org/",
        founding_year=1960,
        member_since=date(2010, 1, 1),
        members_count=300,
        volunteers_count=20,
        staff_count=15,
        description="<p>Koncertai, parodos ir kalendorinės šventės visai bendruomenei.</p>",
    )
    d.josvainiai = make_organisation(
        name="Josvainių filialas",
        slug="josvainiu-filialas",
        type=d.branch,
        parent=d.kedainiai_centre,
        municipality=d.kedainiai,
        fields=[d.folk_dance],
        members_count=40,
        volunteers_count=5,
        staff_count=2,
    )
    d.aidas = make_organisation(
        name="Mišrus choras „Aidas“",
        slug="misrus-choras-aidas",
        type=d.collective,
        parent=d.josvainiai,
        municipality=d.kedainiai,
        fields=[d.choir],
        members_count=25,
        volunteers_count=1,
    )
    d.linelis = make_organisation(
        name="Folkloro ansamblis „Linelis“",
        slug="folkloro-ansamblis-linelis",
        type=d.collective,
        parent=d.kedainiai_centre,
        municipality=d.kedainiai,
        fields=[d.folk_dance],
        members_count=12,
    )
    # Not published: it must not show anywhere, nor count in any figure.
    d.hidden = make_organisation(
        name="Slaptas klubas",
        slug="slaptas-klubas",
        type=d.collective,
        parent=d.kedainiai_centre,
        municipality=d.kedainiai,
        fields=[d.choir],
        members_count=1000,
        volunteers_count=100,
        staff_count=50,
        published=False,
    )
    d.tautos_namai = make_organisation(
        name="Tautos namai",
        slug="tautos-namai",
        type=d.centre,
        municipality=d.kaunas,
        fields=[d.theatre],
        membership_status="applicant",
        members_count=150,
        volunteers_count=10,
        staff_count=8,
    )
    d.savinja = make_organisation(
        name="Dom kulture Savinja",
        slug="dom-kulture-savinja",
        type=d.centre,
        municipality=d.zalec,
        fields=[d.theatre, d.choir],
        members_count=80,
        volunteers_count=4,
        staff_count=6,
        description="<p>Gledališče in pevski zbor v Savinjski dolini.</p>",
    )
    d.kulturhuset = make_organisation(
        name="Kulturhuset Väst",
        slug="kulturhuset-vast",
        type=d.centre,
        municipality=d.goteborg,
        membership_status="former",
        members_count=500,
        staff_count=30,
    )
    d.rasa = make_contact(
        d.kedainiai_centre, name="Rasa Kazlauskienė", role="Direktorė",
        email="rasa@kkc.example.org", consent=True,
    )  # fmt: skip
    d.tomas = make_contact(
        d.kedainiai_centre, name="Tomas Petrauskas", role="Buhalteris",
        email="tomas@kkc.example.org", consent=False,
    )  # fmt: skip
    d.published = [
        d.kedainiai_centre, d.josvainiai, d.aidas, d.linelis, d.tautos_namai, d.savinja,
        d.kulturhuset,
    ]  # fmt: skip
    return d


@pytest.fixture
def directory(db):
    return build_directory()


@contextmanager
def built_once(django_db_blocker, build=build_directory):
    """The directory in a transaction that is rolled back at the end. Each test still runs in
    its own savepoint inside it, so what a test adds is gone after it; tests must not change
    these objects in memory."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def shared_directory(django_db_setup, django_db_blocker):
    """The directory, built once for a module of tests that only read it."""
    with built_once(django_db_blocker) as directory:
        yield directory


@pytest.fixture(scope="class")
def class_directory(django_db_setup, django_db_blocker):
    """The directory, built once for a class of tests that only read it (tests outside the
    class see none of it)."""
    with built_once(django_db_blocker) as directory:
        yield directory


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The staff tests' organisations, people and objects (tests/members/staff.py), built once
    for the module; each test's changes are rolled back after it."""
    with built_once(django_db_blocker, build=staff.build_world) as built:
        yield built


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads go to the test's own folder."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
