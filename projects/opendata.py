"""Published projects as 360Giving open data: a JSON data package and a flat CSV.

A project is a grant when it has a funder and an amount awarded (360Giving requires both). What
360Giving has no field for (aims, activities, results with indicators, partners, co-financing,
the project's status) goes into the `culturePortal` extension block of each grant; the README
documents it.
"""

import json

from django.conf import settings
from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django.utils import timezone

from association.exports import streamed_csv
from association.models import AssociationProfile
from association.sanitize import plain_text
from members.selectors import vocabularies as directory_vocabularies

from .models import Project, ProjectItem, ProjectPartner
from .selectors import vocabularies

VERSION = "1.4"
BATCH = 500


def _number(amount):
    # JSON numbers, not strings: 360Giving's amounts are numbers. Two decimals convert exactly.
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _organisation_id(organisation=None):
    """An org-id.guide identifier: from the registration code where there is one, else one
    under the portal's own 360Giving prefix."""
    prefix = settings.OPEN_DATA_ORG_PREFIX
    if organisation is None:
        profile = AssociationProfile.load()
        code, slug = profile.registration_code, "association"
    else:
        code, slug = organisation.registration_code, organisation.slug
    return f"{prefix}-{code}" if code else f"{settings.GRANT_ID_PREFIX}-org-{slug}"


def _item(item):
    entry = {"description": item.text}
    if item.indicator:
        entry["indicator"] = item.indicator
    if item.target is not None:
        entry["target"] = _number(item.target)
    if item.actual is not None:
        entry["actual"] = _number(item.actual)
    return entry


def grant(project, absolute, places, topics, association):
    lead = project.lead_organisation
    recipient = {"id": _organisation_id(lead), "name": lead.name if lead else association.name}
    if lead and lead.published:
        recipient["url"] = absolute(lead.get_absolute_url())
        if lead.municipality_id:
            place = places["municipality"][lead.municipality_id]
            recipient["addressLocality"] = place.name
            recipient["addressCountry"] = places["region"][place.region_id].country
    funder = project.funder
    data = {
        "id": f"{settings.GRANT_ID_PREFIX}-{project.pk}",
        "title": project.title,
        "description": project.summary or plain_text(project.description) or project.title,
        "currency": project.currency,
        "amountAwarded": _number(project.amount_awarded),
        "awardDate": (
            project.decision_date or project.start_date or project.created_at.date()
        ).isoformat(),
        "url": absolute(project.get_absolute_url()),
        "recipientOrganization": [recipient],
        "fundingOrganization": [
            {
                "id": funder.identifier or f"{settings.GRANT_ID_PREFIX}-funder-{funder.slug}",
                "name": funder.name,
            }
        ],
        "dateModified": project.updated_at.isoformat(),
    }
    if project.start_date:
        dates = {"startDate": project.start_date.isoformat()}
        if project.end_date:
            dates["endDate"] = project.end_date.isoformat()
        data["plannedDates"] = [dates]
    if project.programme:
        data["grantProgramme"] = [
            {
                "code": project.programme.code or project.programme.slug,
                "title": project.programme.name,
            }
        ]
    locations = [
        {
            "name": place.name,
            "countryCode": places["region"][place.region_id].country
            if kind == "municipality"
            else place.country,
            "latitude": place.latitude,
            "longitude": place.longitude,
        }
        for kind, ids in [
            ("region", project.region_ids),
            ("municipality", project.municipality_ids),
        ]
        for place in (places[kind][pk] for pk in ids)
    ]
    if locations:
        data["beneficiaryLocation"] = locations
    if project.topic_ids:
        data["classifications"] = [
            {
                "vocabulary": f"{settings.GRANT_ID_PREFIX}-topics",
                "code": topic.slug,
                "title": topic.name,
            }
            for topic in (topics[pk] for pk in project.topic_ids)
        ]
    items = {kind: [] for kind in ProjectItem.Kind.values}
    for item in project.items.all():
        items[item.kind].append(_item(item))
    extension = {
        "code": project.code,
        "status": project.status,
        "aims": [entry["description"] for entry in items[ProjectItem.Kind.AIM]],
        "activities": [entry["description"] for entry in items[ProjectItem.Kind.ACTIVITY]],
        "expectedResults": items[ProjectItem.Kind.EXPECTED],
        "achievedResults": items[ProjectItem.Kind.ACHIEVED],
        "partners": [
            {
                "name": partner.display_name,
                "role": partner.role,
                **(
                    {"id": _organisation_id(partner.organisation)}
                    if partner.organisation_id
                    else {"countryCode": partner.country}
                ),
            }
            for partner in project.partners.all()
        ],
        "fundingDecision": project.decision_reference,
    }
    for field in ["co_financing", "total_budget"]:
        value = getattr(project, field)
        if value is not None:
            extension["coFinancing" if field == "co_financing" else "totalBudget"] = _number(value)
    data["culturePortal"] = extension
    return data


def grants(request):
    """Every published project with a funder and an amount, as 360Giving grants, from a
    server-side cursor with its items and partners fetched a batch at a time."""
    absolute = request.build_absolute_uri
    directory = directory_vocabularies()
    places = {
        "region": {region.pk: region for region in directory["regions"]},
        "municipality": {place.pk: place for place in directory["municipalities"]},
    }
    topics = {topic.pk: topic for topic in vocabularies()["topics"]}
    association = AssociationProfile.load()
    projects = (
        Project.objects.published()
        .exclude(funder=None)
        .exclude(amount_awarded=None)
        .select_related("lead_organisation", "funder", "programme")
        .with_relation_ids()
        .prefetch_related(
            "items",
            Prefetch("partners", queryset=ProjectPartner.objects.select_related("organisation")),
        )
        .order_by("id")
    )
    for project in projects.iterator(chunk_size=BATCH):
        yield grant(project, absolute, places, topics, association)


def package_json(request):
    association = AssociationProfile.load()
    now = timezone.now().isoformat(timespec="seconds")
    metadata = {
        "version": VERSION,
        "extensions": [request.build_absolute_uri("/") + "#culturePortal"],
        "title": f"{association.name}: funded projects",
        "issued": now,
        "modified": now,
        "identifier": f"{settings.GRANT_ID_PREFIX}-projects",
        "publisher": {
            "name": association.name,
            "identifier": _organisation_id(),
            "website": request.build_absolute_uri("/"),
        },
        "license": settings.OPEN_DATA_LICENSE,
    }

    def chunks():
        yield "{" + json.dumps(metadata)[1:-1] + ', "grants": [\n'
        for number, data in enumerate(grants(request)):
            yield ("" if number == 0 else ",\n") + json.dumps(data, ensure_ascii=False)
        yield "\n]}\n"

    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="360giving.json"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


# The flat CSV follows 360Giving's spreadsheet column titles.
FLAT_COLUMNS = {
    "Identifier": lambda g: g["id"],
    "Title": lambda g: g["title"],
    "Description": lambda g: g["description"],
    "Currency": lambda g: g["currency"],
    "Amount Awarded": lambda g: g["amountAwarded"],
    "Award Date": lambda g: g["awardDate"],
    "Planned Dates:Start Date": lambda g: g.get("plannedDates", [{}])[0].get("startDate", ""),
    "Planned Dates:End Date": lambda g: g.get("plannedDates", [{}])[0].get("endDate", ""),
    "Recipient Org:Identifier": lambda g: g["recipientOrganization"][0]["id"],
    "Recipient Org:Name": lambda g: g["recipientOrganization"][0]["name"],
    "Recipient Org:City": lambda g: g["recipientOrganization"][0].get("addressLocality", ""),
    "Recipient Org:Country": lambda g: g["recipientOrganization"][0].get("addressCountry", ""),
    "Funding Org:Identifier": lambda g: g["fundingOrganization"][0]["id"],
    "Funding Org:Name": lambda g: g["fundingOrganization"][0]["name"],
    "Grant Programme:Code": lambda g: g.get("grantProgramme", [{}])[0].get("code", ""),
    "Grant Programme:Title": lambda g: g.get("grantProgramme", [{}])[0].get("title", ""),
    "Beneficiary Location:Name": lambda g: "; ".join(
        place["name"] for place in g.get("beneficiaryLocation", [])
    ),
    "URL": lambda g: g["url"],
    "Last modified": lambda g: g["dateModified"],
    "Project code": lambda g: g["culturePortal"]["code"],
    "Status": lambda g: g["culturePortal"]["status"],
    "Aims": lambda g: " | ".join(g["culturePortal"]["aims"]),
    "Activities": lambda g: " | ".join(g["culturePortal"]["activities"]),
    "Expected results": lambda g: " | ".join(
        entry["description"] for entry in g["culturePortal"]["expectedResults"]
    ),
    "Achieved results": lambda g: " | ".join(
        entry["description"] for entry in g["culturePortal"]["achievedResults"]
    ),
    "Partners": lambda g: "; ".join(p["name"] for p in g["culturePortal"]["partners"]),
}


def flat_csv(request):
    rows = ([column(data) for column in FLAT_COLUMNS.values()] for data in grants(request))
    return streamed_csv(FLAT_COLUMNS, rows, "360giving.csv")
