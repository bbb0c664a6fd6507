import pytest
from axe_playwright_python.sync_playwright import Axe

# For tests whose data must be committed (a live server, a Celery worker reading it). Every such
# test uses the serialized rollback: the flush after it then leaves no half-restored tables, and
# what the migrations created comes back for the next one.
committed_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def assert_accessible(page):
    """axe-core finds no WCAG violation on the page as it is now."""
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
