"""Exports streamed row by row, so that a large file never sits whole in memory."""

import csv

from django.http import StreamingHttpResponse


class _Echo:
    """A file for csv.writer whose write() hands the line back instead of storing it."""

    def write(self, value):
        return value


# A cell starting with one of these is a formula to a spreadsheet application.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _inert(value):
    """Text that a spreadsheet would run as a formula, made plain text with a leading quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def streamed_csv(header, rows, filename):
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([_inert(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
