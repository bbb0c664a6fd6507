"""Exports streamed row by row, so that a large file never sits whole in memory."""

import csv

from django.http import StreamingHttpResponse


class _Echo:
    """A file for csv.writer whose write() hands the line back instead of storing it."""

    def write(self, value):
        return value


def streamed_csv(header, rows, filename):
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
