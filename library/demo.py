"""The demo library: templates, guides, a recording, reports and tools of a fictional association
of culture centres, some for everyone and some for members only. Files are small and made here
(a one-page PDF, a CSV table, a text file) and go to the private storage like any upload."""

import unicodedata
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from association.models import Topic

from .models import LibraryItem

PUBLIC, MEMBERS = LibraryItem.Visibility.PUBLIC, LibraryItem.Visibility.MEMBERS
K = LibraryItem.Kind


def pdf(title, *lines):
    """A one-page PDF showing the title and lines (Latin letters only: the standard PDF fonts
    have no Lithuanian ones, so diacritics are dropped)."""

    def text(value):
        plain = "".join(
            char for char in unicodedata.normalize("NFKD", value) if not unicodedata.combining(char)
        )
        escaped = plain.encode("latin-1", "replace").decode("latin-1")
        return escaped.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    rows = [f"BT /F1 18 Tf 56 780 Td ({text(title)}) Tj ET"] + [
        f"BT /F1 11 Tf 56 {740 - 18 * number} Td ({text(line)}) Tj ET"
        for number, line in enumerate(lines)
    ]
    stream = "\n".join(rows).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def D(slug, kind, title, language, visibility, days, topics, description, file=None, link=""):
    """One demo item: `file` is (name, bytes) or None for a link item; `days` ago published."""
    return {
        "slug": slug, "kind": kind, "title": title, "language": language,
        "visibility": visibility, "days": days, "topics": topics, "description": description,
        "file": file, "link": link,
    }  # fmt: skip


ITEMS = [
    D("template-annual-activity-report", K.TEMPLATE,
      "Template: annual activity report for culture centres", "en", MEMBERS, 6,
      ["capacity-building", "culture-policy"],
      "<p>A report structure the municipality and the Ministry both accept: activities, "
      "audiences, amateur groups, staff, budget and plans. Fill in the tables and keep the "
      "headings.</p>",
      file=("annual-activity-report-template.pdf", pdf(
          "Annual activity report: template",
          "1. The centre in brief", "2. Activities and audiences", "3. Amateur art groups",
          "4. Staff and volunteers", "5. Budget and sources of funding", "6. Plans for next year",
      ))),
    D("gidas-prieinami-renginiai", K.GUIDE,
      "Gidas: prieinami renginiai kultūros centruose", "lt", PUBLIC, 12,
      ["capacity-building", "rural-communities"],
      "<p>Kaip surengti renginį, į kurį gali ateiti visi: patekimas, informacija lengvai "
      "suprantama kalba, indukcinės kilpos, vieta palydovams ir ramios erdvės.</p>",
      file=("prieinami-renginiai.pdf", pdf(
          "Gidas: prieinami renginiai",
          "Patekimas be laiptu ir aiskios nuorodos", "Informacija lengvai suprantama kalba",
          "Indukcine kilpa ir vertimas i gestu kalba", "Ramios erdves ir poilsio vietos",
      ))),
    D("guide-accessible-events", K.GUIDE,
      "Guide: accessible events in culture centres", "en", PUBLIC, 13,
      ["capacity-building"],
      "<p>How to organise an event everyone can attend: step-free access, information in easy "
      "language, hearing loops, seats for companions and quiet rooms.</p>",
      file=("accessible-events-guide.pdf", pdf(
          "Guide: accessible events",
          "Step-free access and clear signs", "Information in easy language",
          "Hearing loops and sign language interpreting", "Quiet rooms and places to rest",
      ))),
    D("recording-webinar-eu-funding", K.RECORDING,
      "Recording: webinar on EU funding for culture centres", "en", MEMBERS, 20,
      ["international-cooperation", "capacity-building"],
      "<p>Ninety minutes on Creative Europe, Interreg and CERV: which calls suit culture "
      "centres, how partners are found and what reviewers look for. With the questions asked "
      "by members.</p>",
      link="https://video.example.org/nacc/webinar-eu-funding"),
    D("kulturos-centrai-skaiciais-2024", K.REPORT,
      "Kultūros centrai skaičiais 2024", "lt", PUBLIC, 30,
      ["culture-policy", "rural-communities"],
      "<p>Narių apklausos duomenys: renginiai, lankytojai, mėgėjų meno kolektyvai ir "
      "darbuotojai pagal savivaldybes. Lentelė CSV formatu.</p>",
      file=("kulturos-centrai-skaiciais-2024.csv", (
          "savivaldybe,renginiai,lankytojai,kolektyvai,darbuotojai\n"
          "Kėdainių r.,412,61800,38,54\nUtenos r.,367,48250,31,47\n"
          "Šilutės r.,298,35120,27,41\nAkmenės r.,176,19830,16,23\n"
      ).encode())),
    D("report-culture-centres-in-numbers-2024", K.REPORT,
      "Report: culture centres in numbers 2024", "en", PUBLIC, 31,
      ["culture-policy"],
      "<p>What members reported for 2024: events, visitors, amateur art groups and staff, with "
      "the changes since 2023 and what they mean for municipal budgets.</p>",
      file=("culture-centres-in-numbers-2024.pdf", pdf(
          "Culture centres in numbers 2024",
          "Events: 21,400 (+6% on 2023)", "Visitors: 3.1 million (+4%)",
          "Amateur art groups: 2,150", "Staff: 3,480, of whom 41% part-time",
      ))),
    D("sablonas-partnerystes-sutartis", K.TEMPLATE,
      "Šablonas: partnerystės sutartis tarptautiniam projektui", "lt", MEMBERS, 45,
      ["international-cooperation"],
      "<p>Sutarties tarp projekto partnerių šablonas: įsipareigojimai, biudžeto dalys, "
      "ataskaitos ir intelektinė nuosavybė. Pritaikykite pagal programos reikalavimus.</p>",
      file=("partnerystes-sutartis.txt", (
          "PARTNERYSTĖS SUTARTIS\n\n1. Šalys\n2. Projekto tikslas\n3. Partnerių "
          "įsipareigojimai\n4. Biudžetas ir mokėjimai\n5. Ataskaitos\n6. Intelektinė "
          "nuosavybė\n7. Ginčų sprendimas\n"
      ).encode())),
    D("tool-intangible-heritage-inventory", K.TOOL,
      "Tool: inventory of intangible heritage in your community", "en", MEMBERS, 60,
      ["intangible-heritage", "rural-communities"],
      "<p>A spreadsheet to record songs, crafts, customs and their bearers, with consent "
      "noted for each recording. Import it into the national inventory when complete.</p>",
      file=("intangible-heritage-inventory.csv", (
          "element,community,bearer,consent_given,recorded_on\n"
          "Sutartinės singing,Biržai,Village choir,yes,2024-05-12\n"
      ).encode())),
    D("unesco-living-heritage-kit", K.GUIDE,
      "UNESCO: kit for teaching living heritage", "en", PUBLIC, 75,
      ["intangible-heritage"],
      "<p>UNESCO's material for teachers and community educators, with examples from many "
      "countries.</p>",
      link="https://ich.unesco.org/en/resources"),
]  # fmt: skip


def load_demo_library():
    """The demo items, each added once (by its slug), with the topics that exist. Returns how
    many were added."""
    existing = set(
        LibraryItem.objects.filter(slug__in=[spec["slug"] for spec in ITEMS]).values_list(
            "slug", flat=True
        )
    )
    now = timezone.now()
    added = 0
    for spec in ITEMS:
        if spec["slug"] in existing:
            continue
        item = LibraryItem(
            slug=spec["slug"], kind=spec["kind"], title=spec["title"], language=spec["language"],
            visibility=spec["visibility"], description=spec["description"], link=spec["link"],
            published=True, published_at=now - timedelta(days=spec["days"]),
        )  # fmt: skip
        if spec["file"]:
            # A fixed name, written once: loading the demo again (or in every test that seeds
            # it, rolled back afterwards) leaves no copies behind.
            name, content = spec["file"]
            item.file.name = f"library/demo/{spec['slug']}/{name}"
            if not item.file.storage.exists(item.file.name):
                item.file.storage.save(item.file.name, ContentFile(content))
        item.save()
        item.topics.set(Topic.objects.filter(slug__in=spec["topics"]))
        added += 1
    return added
