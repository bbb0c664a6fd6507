"""Projects for the staff tests: the two organisation trees of tests/members/staff.py, each with
projects, and one the association itself leads."""

import pytest

from projects.models import ProjectDocument, ProjectImage
from tests.factories import make_funder, make_programme, make_project, make_topic
from tests.members import staff
from tests.members.conftest import built_once


def _image(project, name):
    return ProjectImage.objects.create(
        project=project,
        image=f"projects/images/{name}.png",
        thumbnail=f"projects/images/{name}-list.png",
        social=f"projects/images/{name}-social.jpg",
        alt_text=f"Picture of {project.title}",
    )


def build_project_world():
    """staff.build_world(), and: a funder with two programmes and another funder with one, two
    topics, and draft projects led by centre A, by collective A (under branch A) and by centre
    B, each with an aim, an expected result, a partner, an image and a document; a published
    project of centre A; and a published project the association itself leads."""
    w = staff.build_world()
    w.ministry = make_funder(name="Ministry of Culture", slug="ministry")
    w.council = make_funder(name="Culture Council", slug="council")
    w.heritage = make_programme(funder=w.ministry, name="Living heritage", slug="heritage")
    w.youth_programme = make_programme(funder=w.ministry, name="Youth", slug="youth-programme")
    w.arts = make_programme(funder=w.council, name="Arts", slug="arts")
    w.youth = make_topic(name="Youth", slug="youth")
    w.heritage_topic = make_topic(name="Heritage", slug="heritage")
    w.projects = {}
    for slug, lead in [
        ("project-a", "centre-a"),
        ("project-unit-a", "collective-a"),
        ("project-b", "centre-b"),
    ]:
        project = make_project(
            slug=slug,
            title=f"Project of {lead}",
            lead=w.orgs[lead],
            published=False,
            funder=w.ministry,
            items=[("aim", f"An aim of {slug}"), ("expected", f"A result of {slug}")],
            partners=[{"name": f"Partner of {slug}", "country": "LV"}],
        )
        _image(project, slug)
        ProjectDocument.objects.create(
            project=project, title=f"Report of {slug}", url="https://example.org/report"
        )
        w.projects[slug] = project
    w.projects["published-a"] = make_project(
        slug="published-a", title="Published project of A", lead=w.orgs["centre-a"]
    )
    w.projects["association"] = make_project(
        slug="association-project", title="The association's own project", lead=None
    )
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module; each test's changes are rolled back after it."""
    with built_once(django_db_blocker, build=build_project_world) as built:
        yield built


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
