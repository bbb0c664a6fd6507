import pytest

from association.demo import load_association
from library.demo import ITEMS, load_demo_library
from library.models import LibraryItem
from projects.demo import load_topics

pytestmark = pytest.mark.django_db


def test_the_demo_library_is_added_once(private_files):
    load_association()
    load_topics()
    assert load_demo_library() == len(ITEMS)
    assert load_demo_library() == 0
    items = LibraryItem.objects.published()
    assert items.count() == len(ITEMS) >= 8
    assert {item.visibility for item in items} == {"public", "members"}
    assert {item.language for item in items} >= {"en", "lt"}
    assert items.exclude(link="").count() >= 2
    for item in items.exclude(file=""):
        assert private_files.exists(item.file.name)
        assert item.file_size
        assert item.topics.exists(), item.slug
    assert LibraryItem.objects.filter(search_vector__isnull=True).count() == 0


def test_the_demo_pdfs_are_pdfs(private_files):
    load_association()
    load_demo_library()
    item = LibraryItem.objects.get(slug="template-annual-activity-report")
    with item.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-1.4") and content.rstrip().endswith(b"%%EOF")
    # The cross-reference table points at each object.
    start = int(content.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    assert content[start:].startswith(b"xref")
