"""Reading the directory's pages in tests: the parts the assertions are about."""

import html
import json
import re


def text(response):
    return response.content.decode()


def result_names(response):
    """The names of the organisations listed on a directory page, in order."""
    return [
        html.unescape(name)
        for name in re.findall(
            r'<li class="result-card">\s*<h3><a href="[^"]*">([^<]*)</a></h3>', text(response)
        )
    ]


def result_count(response):
    """The count in the results heading, e.g. "7 organisations" → 7."""
    heading = re.search(r'<h2 id="results-count"[^>]*>\s*([\d,]+) organisations?\s*</h2>',
                        text(response))  # fmt: skip
    assert heading, "the page has no results heading"
    return int(heading.group(1).replace(",", ""))


def chips(response):
    """{label: (value, address without it)} of the active-filter chips."""
    found = re.findall(
        r'<a class="chip" href="([^"]*)">\s*<span class="chip-label">([^<]*):</span> ([^<]*?)\s*<',
        text(response),
    )
    return {html.unescape(label): (html.unescape(value), html.unescape(href))
            for href, label, value in found}  # fmt: skip


def warnings(response):
    return [html.unescape(message) for message in
            re.findall(r'<p class="message warning">([^<]*)</p>', text(response))]  # fmt: skip


def stats(response):
    """{label: number} of a figures list (members/_figures.html)."""
    return {
        html.unescape(label): int(value.replace(",", ""))
        for value, label in re.findall(
            r'<li class="stat"><span class="stat-value">([\d,]+)</span> '
            r'<span class="stat-label">([^<]+)</span></li>',
            text(response),
        )
    }


def json_ld(response):
    (script,) = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', text(response), re.S
    )
    return json.loads(script)


def meta_property(response, name):
    found = re.search(rf'<meta property="{re.escape(name)}" content="([^"]*)">', text(response))
    return html.unescape(found.group(1)) if found else None


def title(response):
    return html.unescape(re.search(r"<title>(.*?)</title>", text(response), re.S).group(1))
