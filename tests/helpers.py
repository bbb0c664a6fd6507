from axe_playwright_python.sync_playwright import Axe


def assert_accessible(page):
    """axe-core finds no WCAG violation on the page as it is now."""
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
