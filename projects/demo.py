"""Demo projects and funding calls: the topics a culture-sector association works on, the funders
its members apply to, about forty funded projects of the demo directory's culture centres (and a
few of the association's own), drafts of the demo member-staff account, funding calls around
today's date, and a deterministic large set of projects for benchmarks. Used by seed_demo.

The projects, their partners abroad and the foundation are fictional; the public funders are
real institutions, but their identifiers below are plausible placeholders, not checked against
the registers: correct them before publishing real data.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from association.models import Topic
from association.sanitize import clean_html
from members.models import Organisation

from .models import (
    Funder,
    FundingCall,
    Programme,
    Project,
    ProjectDocument,
    ProjectItem,
    ProjectPartner,
)
from .services import projects_changed, refresh_project_search, unique_slug

# Rows per bulk insert and per search-vector refresh.
BATCH = 2000

TOPICS = [
    # slug, en, lt, sl, sv
    ("amateur-arts", "Amateur arts", "Mėgėjų menas", "Ljubiteljska kultura", "Amatörkultur"),
    ("cultural-heritage", "Cultural heritage", "Kultūros paveldas", "Kulturna dediščina",
     "Kulturarv"),
    ("intangible-heritage", "Intangible heritage", "Nematerialusis kultūros paveldas",
     "Nesnovna kulturna dediščina", "Immateriellt kulturarv"),
    ("youth", "Youth", "Jaunimas", "Mladi", "Unga"),
    ("rural-communities", "Rural communities", "Kaimo bendruomenės", "Podeželske skupnosti",
     "Landsbygdens samhällen"),
    ("culture-policy", "Culture policy", "Kultūros politika", "Kulturna politika",
     "Kulturpolitik"),
    ("festivals", "Festivals and events", "Festivaliai ir renginiai", "Festivali in prireditve",
     "Festivaler och evenemang"),
    ("capacity-building", "Capacity building", "Gebėjimų stiprinimas", "Krepitev zmogljivosti",
     "Kompetensutveckling"),
    ("digital-culture", "Digital culture", "Skaitmeninė kultūra", "Digitalna kultura",
     "Digital kultur"),
    ("international-cooperation", "International cooperation", "Tarptautinis bendradarbiavimas",
     "Mednarodno sodelovanje", "Internationellt samarbete"),
]  # fmt: skip

# key: (name, kind, country, identifier, website, code pattern, decision pattern, programmes)
# Patterns take {programme} (its code), {year}, {number} and (decisions) the project's {code}.
# Identifiers follow org-id.guide (LT-JAR: the Lithuanian register of legal entities); see the
# module's note on placeholders.
FUNDERS = {
    "council": (
        "Lithuanian Council for Culture", Funder.Kind.STATE, "LT", "LT-JAR-304126536",
        "https://www.ltkt.lt/", "{programme}-{year}-{number:04d}", "Decision No. {year}/{number}",
        [("MEG", "Amateur arts and ethnic culture"), ("EDU", "Cultural education and access"),
         ("REG", "Regional culture projects")],
    ),
    "ministry": (
        "Ministry of Culture of the Republic of Lithuania", Funder.Kind.STATE, "LT",
        "LT-JAR-188692688", "https://lrkm.lrv.lt/", "KM-{programme}-{year}-{number:03d}",
        "Order No. ĮV-{number}",
        [("DS", "Song Celebration tradition"), ("KCM", "Modernisation of culture centres")],
    ),
    "social": (
        "Ministry of Social Security and Labour of the Republic of Lithuania",
        Funder.Kind.STATE, "LT", "LT-JAR-188851057", "https://socmin.lrv.lt/",
        "{programme}{number:05d}", "Order No. A3-{number}",
        [("NVOK", "NGO Fund: institutional strengthening of NGOs")],
    ),
    "kaunas": (
        "Kauno miesto savivaldybė", Funder.Kind.MUNICIPALITY, "LT", "LT-JAR-188764867",
        "https://www.kaunas.lt/", "KMS-{programme}-{year}-{number:03d}",
        "Director's order No. A-{number}",
        [("KUL", "Culture project co-financing"), ("K22", "Kaunas 2022 community programme")],
    ),
    "panevezys": (
        "Panevėžio miesto savivaldybė", Funder.Kind.MUNICIPALITY, "LT", "LT-JAR-188613242",
        "https://panevezys.lt/", "PMS-{programme}-{year}-{number:03d}",
        "Director's order No. A-{number}",
        [("KUL", "Culture and arts projects")],
    ),
    "klaipeda-district": (
        "Klaipėdos rajono savivaldybė", Funder.Kind.MUNICIPALITY, "LT", "LT-JAR-188723322",
        "https://www.klaipedos-r.lt/", "KRS-{programme}-{year}-{number:03d}",
        "Director's order No. AV-{number}",
        [("KUL", "Culture and community initiatives")],
    ),
    "akmene": (
        "Akmenės rajono savivaldybė", Funder.Kind.MUNICIPALITY, "LT", "LT-JAR-188784898",
        "https://www.akmene.lt/", "ARS-{programme}-{year}-{number:03d}",
        "Director's order No. A-{number}",
        [("BEN", "Community culture initiatives")],
    ),
    "creative-europe": (
        "Creative Europe (European Commission)", Funder.Kind.EU, "", "XI-IATI-EC_EACEA",
        "https://culture.ec.europa.eu/creative-europe", "{number:09d}",
        "Grant agreement No. {code}",
        [("CREA-CULT-COOP", "Culture: European cooperation projects"),
         ("CREA-CULT-CME", "Culture Moves Europe")],
    ),
    "erasmus": (
        "Erasmus+", Funder.Kind.EU, "", "XI-IATI-EC_EAC", "https://erasmus-plus.ec.europa.eu/",
        "{year}-1-LT01-{programme}-{number:09d}", "Grant agreement No. {code}",
        [("KA122-ADU", "Adult education: learning mobility"),
         ("KA210-ADU", "Adult education: small-scale partnerships"),
         ("KA152-YOU", "Youth exchanges")],
    ),
    "nordic": (
        "Nordic Culture Fund", Funder.Kind.INTERNATIONAL, "DK", "DK-CVR-12345678",
        "https://www.nordiskkulturfond.org/", "NKF-{year}-{number:04d}",
        "Grant letter {code}",
        [("START", "Start-up grants"), ("NB", "Nordic-Baltic cooperation")],
    ),
    "foundation": (
        "Community Culture Foundation", Funder.Kind.FOUNDATION, "LT", "LT-JAR-302999871",
        "https://community-culture.example.org/", "BKF-{year}-{number:03d}",
        "Board decision No. {year}-{number}",
        [("SMALL", "Small grants for village culture")],
    ),
}  # fmt: skip

# What part of a project's budget its organisations pay themselves, by the funder's kind.
CO_FINANCING = {
    Funder.Kind.STATE: Decimal("0.10"),
    Funder.Kind.MUNICIPALITY: Decimal("0.20"),
    Funder.Kind.EU: Decimal("0.25"),
    Funder.Kind.FOUNDATION: Decimal("0.15"),
    Funder.Kind.INTERNATIONAL: Decimal("0.30"),
}

# Kinds of project: the words they share (a description, aims, activities, expected results
# with an indicator and a target, and the achieved results that answer them), and titles for
# the generated benchmark projects.
KINDS = {
    "festival": {
        "description": "{lead} brings the region's amateur collectives to one stage: concerts, "
        "workshops for families and a fair of local craftspeople, organised with volunteers "
        "from the villages around.",
        "aims": [
            "Give the region's amateur collectives a stage and a large audience.",
            "Bring generations together around traditional song, music and dance.",
        ],
        "activities": [
            "An open call to collectives and the selection of the programme",
            "Concerts, workshops and a crafts fair",
            "An evaluation with the collectives, volunteers and the municipality",
        ],
        "expected": [
            ("Collectives perform at the festival", "collectives", 30),
            ("Visitors come to the festival's events", "visitors", 3000),
            ("Workshops are held for children and families", "workshops", 8),
        ],
        "achieved": ["Collectives performed", "Visitors counted", "Workshops held"],
        "titles": [
            "Summer song days",
            "Folk music evenings",
            "Festival of amateur theatre",
            "Harvest festival",
            "Dance under the open sky",
            "Riverside folk festival",
        ],
    },
    "heritage": {
        "description": "Songs, stories and customs that older villagers still know are "
        "recorded by {lead} with local schools, described with the people who shared them and "
        "made public for collectives, teachers and researchers.",
        "aims": [
            "Record the songs, stories and customs still known in the villages before they are "
            "forgotten.",
            "Make the recordings available to schools, collectives and researchers.",
        ],
        "activities": [
            "Field recordings with tradition bearers in the villages",
            "Transcription, description and digitisation of the recordings",
            "An online archive and a printed booklet for schools",
        ],
        "expected": [
            ("Tradition bearers are interviewed and recorded", "people recorded", 25),
            ("Hours of audio and video are made public", "hours", 40),
            ("Copies of the booklet go to schools and libraries", "copies", 500),
        ],
        "achieved": ["Tradition bearers recorded", "Hours published online", "Copies given out"],
        "titles": [
            "Voices of the villages",
            "Recording local songs",
            "Stories of our parish",
            "Calendar customs revisited",
            "Living traditions archive",
        ],
    },
    "youth": {
        "description": "Young people from the small towns of the district meet weekly at "
        "{lead} to make theatre and dance of their own with professional artists; the older "
        "ones learn to lead groups themselves.",
        "aims": [
            "Give young people from small towns a place to create theatre and dance of their own.",
            "Train young leaders who can run groups after the project ends.",
        ],
        "activities": [
            "Weekly workshops led by professional artists",
            "A summer residency and a joint performance",
            "Training of peer leaders among the older participants",
        ],
        "expected": [
            ("Young people take part regularly", "participants", 60),
            ("Performances are created and shown", "performances", 4),
            ("Young leaders are trained", "leaders", 10),
        ],
        "achieved": ["Young people who took part", "Performances shown", "Young leaders trained"],
        "titles": [
            "Youth theatre lab",
            "Stage up!",
            "Young dancers' studio",
            "Teen film workshop",
            "Street art for the young",
        ],
    },
    "digital": {
        "description": "{lead} equips its hall to record and stream concerts and trains its "
        "staff to film, edit and caption, so that people who cannot come still take part.",
        "aims": [
            "Bring the centre's programme and archive online for people who cannot come.",
            "Improve the digital skills of the centre's staff.",
        ],
        "activities": [
            "Purchase and set-up of streaming and recording equipment",
            "Training of staff in filming, editing and captioning",
            "Regular online broadcasts of concerts and events",
        ],
        "expected": [
            ("Events are streamed online", "events", 24),
            ("Staff are trained in digital production", "staff", 12),
            ("People watch the broadcasts", "views", 20000),
        ],
        "achieved": ["Events streamed", "Staff trained", "Views of the broadcasts"],
        "titles": [
            "Culture centre goes live",
            "Digital stage",
            "Online archive of the centre",
            "Streaming our concerts",
        ],
    },
    "rural": {
        "description": "Village culture houses around {lead} become meeting places again: "
        "residents plan each village's programme together, and local volunteers run the "
        "events with the centre's help.",
        "aims": [
            "Revive village culture houses as meeting places for the whole community.",
            "Support the local volunteers who organise events.",
        ],
        "activities": [
            "Community meetings to plan each village's programme",
            "Small events in the villages, organised with local volunteers",
            "Training for volunteers in event organisation and safety",
        ],
        "expected": [
            ("Villages have a regular cultural programme", "villages", 8),
            ("Events are organised with volunteers", "events", 40),
            ("Volunteers are trained", "volunteers", 30),
        ],
        "achieved": ["Villages with a programme", "Events with volunteers", "Volunteers trained"],
        "titles": [
            "Village houses of culture",
            "Culture in every village",
            "Volunteers for village culture",
            "Evenings at the village hall",
        ],
    },
    "capacity": {
        "description": "Directors, managers and artistic staff of culture centres learn "
        "together in a series of trainings and study visits, and write down what works in a "
        "handbook for every member centre.",
        "aims": [
            "Strengthen the professional skills of culture centres' staff.",
            "Share good practice between culture centres.",
        ],
        "activities": [
            "A series of trainings on management, fundraising and audience work",
            "Study visits between member centres",
            "A handbook of good practice",
        ],
        "expected": [
            ("Culture workers are trained", "people trained", 120),
            ("Study visits take place", "visits", 6),
            ("Centres apply what they learned within a year", "centres", 20),
        ],
        "achieved": ["Culture workers trained", "Study visits made", "Centres applying it"],
        "titles": [
            "Training for culture managers",
            "Fundraising school",
            "Audience development course",
            "Skills for culture centre staff",
        ],
    },
    "exchange": {
        "description": "Amateur collectives of {lead} and their partners in the Nordic "
        "countries visit each other, rehearse together and give joint concerts, learning each "
        "other's traditions first hand.",
        "aims": [
            "Build lasting partnerships between amateur collectives in the Baltic and Nordic "
            "countries.",
            "Let participants learn each other's traditions first hand.",
        ],
        "activities": [
            "A preparatory visit and joint planning",
            "Exchange visits with joint rehearsals and concerts",
            "Shared recordings and a final concert",
        ],
        "expected": [
            ("Participants travel on exchange", "participants", 40),
            ("Joint concerts are given", "concerts", 4),
            ("Partnerships continue after the project", "partnerships", 2),
        ],
        "achieved": ["Participants who travelled", "Joint concerts", "Partnerships continued"],
        "titles": [
            "Baltic-Nordic choir bridges",
            "Fiddles across the sea",
            "Nordic-Baltic dance exchange",
        ],
    },
    "cooperation": {
        "description": "Community culture centres in several European countries test together "
        "how to involve people who rarely take part in culture, each with a pilot project in "
        "its own town, and publish the methods that worked.",
        "aims": [
            "Develop new ways for community culture centres to involve people who rarely take "
            "part.",
            "Test participatory art methods and share them across Europe.",
        ],
        "activities": [
            "Joint research on audiences in the partner countries",
            "Pilot participatory art projects in each partner's community",
            "An international conference and a methods toolkit",
        ],
        "expected": [
            ("Pilot projects are carried out", "pilots", 6),
            ("People take part in the pilots", "participants", 900),
            ("Organisations use the toolkit", "organisations", 50),
        ],
        "achieved": ["Pilot projects", "People who took part", "Organisations using the toolkit"],
        "titles": ["Open doors", "Culture for all neighbours", "Participatory art network"],
    },
    "mobility": {
        "description": "Staff of {lead} who teach adults spend time in partner organisations "
        "abroad, follow structured courses and bring new methods back to the centre's "
        "programme.",
        "aims": ["Give the centre's adult educators new methods from abroad."],
        "activities": [
            "Job shadowing in partner organisations",
            "Structured courses abroad",
            "Sharing sessions for colleagues after return",
        ],
        "expected": [
            ("Staff go on mobility", "mobilities", 16),
            ("New methods enter the centre's programme", "methods", 5),
        ],
        "achieved": ["Mobilities completed", "New methods introduced"],
        "titles": ["Learning from neighbours", "Adult educators abroad"],
    },
    "inclusion": {
        "description": "{lead} opens its doors wider: its building and programme are checked "
        "for accessibility, seniors meet weekly to sing and create, and concerts travel to "
        "care homes for those who cannot come.",
        "aims": [
            "Bring older and less mobile people into the centre's activities.",
            "Make the centre accessible for people with disabilities.",
        ],
        "activities": [
            "An accessibility audit of the building and the programme",
            "Weekly creative sessions for seniors",
            "Concerts in care homes",
        ],
        "expected": [
            ("Seniors take part regularly", "participants", 80),
            ("Concerts are given in care homes", "concerts", 12),
            ("Accessibility improvements are made", "improvements", 6),
        ],
        "achieved": ["Seniors taking part", "Concerts in care homes", "Improvements made"],
        "titles": ["Accessible stages", "Songs for every generation", "Culture comes to you"],
    },
    "crafts": {
        "description": "Weavers, wood carvers and potters of the region teach their crafts "
        "at {lead}; a fair and a catalogue help them sell their work.",
        "aims": [
            "Pass traditional crafts on to a new generation.",
            "Help craftspeople earn from their skills.",
        ],
        "activities": [
            "Masterclasses in weaving, wood carving and pottery",
            "A crafts fair",
            "A catalogue of the region's craftspeople",
        ],
        "expected": [
            ("Masterclasses are held", "masterclasses", 20),
            ("Participants complete a course", "participants", 150),
            ("Craftspeople are listed in the catalogue", "craftspeople", 40),
        ],
        "achieved": ["Masterclasses held", "Participants who completed", "Craftspeople listed"],
        "titles": ["Crafts yard", "Weaving the future", "Masters and apprentices"],
    },
    "policy": {
        "description": "The association asks every member centre about its staff, funding, "
        "buildings and audiences, discusses the findings in each region and gives the "
        "Ministry recommendations based on them.",
        "aims": ["Give national culture policy evidence on the state of culture centres."],
        "activities": [
            "A survey of all member centres",
            "Discussions of the findings in every region",
            "A report with recommendations to the Ministry of Culture",
        ],
        "expected": [
            ("Centres answer the survey", "centres", 300),
            ("Regional discussions are held", "discussions", 10),
            ("Recommendations are taken up by the Ministry", "recommendations", 5),
        ],
        "achieved": ["Centres that answered", "Regional discussions", "Recommendations taken up"],
        "titles": ["Culture centres in numbers", "Survey of member centres"],
    },
    "celebration": {
        "description": "Choirs, dance groups and folk ensembles of the district rehearse the "
        "Song Celebration's repertoire together at {lead}, renew their costumes and give a "
        "regional concert before travelling to Vilnius.",
        "aims": ["Prepare the district's collectives for the national Song Celebration."],
        "activities": [
            "Joint rehearsals of choirs and dance groups",
            "New stage costumes for the collectives",
            "A regional concert of the Celebration's repertoire",
        ],
        "expected": [
            ("Collectives are prepared", "collectives", 15),
            ("Singers, dancers and musicians take part", "participants", 500),
        ],
        "achieved": ["Collectives prepared", "Singers, dancers and musicians"],
        "titles": ["On the way to the Song Celebration", "Celebration rehearsals"],
    },
    "institutional": {
        "description": "The association grows stronger as an organisation: its staff, members "
        "and volunteers learn, its work becomes better known, and it meets state institutions "
        "and European networks regularly on the member centres' behalf.",
        "aims": [
            "Make the association stronger as an organisation: raise the skills of its members, "
            "staff and volunteers, tell the public about its work and share what has and has "
            "not worked.",
            "Represent member centres better towards national institutions and help them take "
            "part in local decisions on questions that matter to their communities.",
            "Speak for the member centres in European networks and work with similar "
            "organisations in other countries.",
        ],
        "activities": [
            "Trainings and peer learning for the association's staff, volunteers and members",
            "Making the association's work known: the annual gathering of member centres, "
            "publications and the website",
            "International cooperation: European network meetings and contacts with partner "
            "organisations abroad",
            "Regular ways of working with state institutions: working groups, consultations "
            "and meetings",
        ],
        "expected": [
            ("Members, staff and volunteers have broader skills", "people trained", 80),
            ("New volunteers join the association's work", "new volunteers", 15),
            (
                "The public trusts the association and its members more",
                "mentions in national and regional media",
                30,
            ),
            ("International ties are stronger", "international meetings attended", 4),
            (
                "Cooperation with state institutions follows agreed procedures",
                "working groups with institutions",
                3,
            ),
            (
                "The association's activities continue after the project",
                "activities continued the next year",
                4,
            ),
        ],
        "achieved": [
            "Members, staff and volunteers trained",
            "New volunteers joined",
            "Mentions in national and regional media",
            "International meetings attended",
            "Working groups with institutions set up",
            "Activities continued the next year",
        ],
        # The demo's one completed institutional project reports these values.
        "actual": [94, 18, 41, 5, 3, 4],
        "titles": ["Institutional strengthening", "A stronger association"],
    },
}

EXTERNAL_PARTNERS = {
    "norrsken": ("Kulturföreningen Norrsken", "SE"),
    "fjordklang": ("Spelemannslaget Fjordklang", "NO"),
    "linnea": ("Slöjdföreningen Linnea", "SE"),
    "most": ("Društvo Kulturni most", "SI"),
    "lindo": ("Kulturhuset Lindö", "SE"),
    "vaara": ("Vaaran kansalaisopisto", "FI"),
    "daugava": ("Jauniešu centrs Daugava", "LV"),
    "valle": ("Centro culturale della Valle", "IT"),
    "kultur-lv": ("Rēzeknes tautas nams", "LV"),
}


def P(title, kind, lead, funder, programme, status, start, months, amount, **extra):
    """One demo project: lead by external id (None: the association), funder key and programme
    code, start (year, month) and length in months, the amount awarded in EUR unless
    `currency` says otherwise."""
    return {"title": title, "kind": kind, "lead": lead, "funder": funder,
            "programme": programme, "status": status, "start": start, "months": months,
            "amount": amount} | extra  # fmt: skip


DONE, ON, PLAN, OFF = "completed", "ongoing", "planned", "cancelled"

PROJECTS = [
    P("Strengthening the association's institutional capacity in 2023", "institutional", None,
      "social", "NVOK", DONE, (2023, 7), 6, 20000, code="NVOK06101",
      decision_reference="Order No. A3-92 of the Chancellor of the Ministry of Social Security "
      "and Labour", decision_date=date(2023, 6, 22), co_financing=0,
      website="https://example.org/projects/institutional-capacity-2023/",
      partners=["demo-15", "demo-20"], topics=["capacity-building", "culture-policy"],
      summary="A year's support from the state budget's NGO Fund to make the association a "
      "stronger organisation: skills for its staff, members and volunteers, a louder voice "
      "towards national institutions and closer ties with European networks."),
    P("Managing a modern culture centre: a training series", "capacity", None, "ministry",
      "KCM", DONE, (2022, 2), 10, 35000, partners=["demo-15", "demo-32", "demo-43", "demo-20"],
      topics=["capacity-building", "culture-policy"],
      summary="Ten training days for directors and managers of member centres on budgets, "
      "fundraising, audiences and working with volunteers, with study visits between centres."),
    P("Culture centres in numbers 2024", "policy", None, "council", "REG", DONE, (2024, 3), 9,
      28000, partners=["demo-2", "demo-26"], topics=["culture-policy"],
      summary="A national survey of member centres' staff, buildings, funding and audiences, "
      "discussed in every county and turned into recommendations to the Ministry of Culture."),
    P("Rural volunteers' academy", "rural", None, "foundation", "SMALL", ON, (2026, 2), 12,
      24000, partners=["demo-40", "demo-9", "demo-45"],
      topics=["rural-communities", "capacity-building"],
      description="<p>Volunteers who run village culture houses in three districts meet for "
      "weekend courses and stay in touch between them.</p>",
      summary="Weekend courses for people who keep village culture houses alive as volunteers: "
      "planning events, safety, small budgets and finding helpers."),
    P("Culture centres' voice in Europe: network study visits", "mobility", None,
      "creative-europe", "CREA-CULT-CME", ON, (2025, 10), 15, 12000,
      externals=["most"], topics=["international-cooperation", "culture-policy"],
      description="<p>The association's staff and centre managers spend a week in partner "
      "culture houses abroad and report back to all member centres.</p>",
      summary="Managers of member centres visit culture houses of the European network in "
      "Slovenia and Sweden to see how they are funded and run."),
    P("Nemunas song days in Birštonas", "festival", "demo-5", "council", "REG", DONE, (2022, 6), 3,
      18500, partners=["demo-36", "demo-3"], topics=["festivals", "amateur-arts"],
      summary="Three summer days of choirs, folk ensembles and dance groups from the Nemunas "
      "valley on the Birštonas riverside, with workshops for families."),
    P("Voices of Dzūkija: recording village songs", "heritage", "demo-24", "council", "MEG", DONE,
      (2023, 3), 9, 14200, partners=["demo-7", "demo-2"],
      topics=["intangible-heritage", "cultural-heritage", "rural-communities"],
      summary="Pupils and folklorists record the songs and stories of Lazdijai district's "
      "oldest singers and publish them online with a booklet for schools."),
    P("Stage up! Youth theatre lab in Klaipėda", "youth", "demo-20", "council", "EDU", ON,
      (2025, 9), 15, 22000, partners=["demo-21", "demo-31"], topics=["youth", "amateur-arts"],
      summary="Teenagers from Klaipėda and the surrounding district write and stage their own "
      "plays with directors from the city's theatres."),
    P("Kaunas culture centre goes live", "digital", "demo-15", "kaunas", "KUL", DONE, (2021, 3),
      8, 9800, partners=["demo-16"], topics=["digital-culture"],
      summary="Cameras, sound and training so that the centre's concerts reach people at home, "
      "with captions."),
    P("Neighbourhood stages for Kaunas 2022", "festival", "demo-15", "kaunas", "K22", DONE,
      (2022, 4), 6, 25000, partners=["demo-16", "demo-13"], topics=["festivals", "amateur-arts"],
      summary="Courtyard concerts and performances by amateur collectives in Kaunas "
      "neighbourhoods during the European Capital of Culture year."),
    P("Village houses of culture in Rokiškis district", "rural", "demo-40", "foundation",
      "SMALL", ON, (2025, 5), 24, 12000, partners=["demo-23"],
      topics=["rural-communities", "amateur-arts"],
      summary="Eight village halls of Rokiškis district open regularly again, with programmes "
      "their residents choose."),
    P("Baltic-Nordic choir bridges", "exchange", "demo-43", "nordic", "NB", DONE, (2023, 4), 7,
      180000, currency="SEK", partners=["demo-44"], externals=["norrsken"],
      topics=["international-cooperation", "amateur-arts"],
      summary="Choirs from Šiauliai and from northern Sweden sing together in both countries "
      "and record a joint programme."),
    P("Fiddles across the Baltic Sea", "exchange", "demo-28", "nordic", "START", ON, (2025, 6),
      20, 150000, currency="NOK", externals=["fjordklang"],
      topics=["international-cooperation", "intangible-heritage"],
      summary="Fiddlers of the Curonian Spit and of western Norway compare old dance tunes and "
      "play them together at each other's festivals."),
    P("Nordic-Baltic crafts residency in Skuodas", "crafts", "demo-48", "nordic", "NB", ON,
      (2026, 4), 9, 95000, currency="SEK", partners=["demo-22"], externals=["linnea"],
      topics=["international-cooperation", "intangible-heritage"],
      summary="Swedish and Samogitian weavers spend a month together in Skuodas, teach in "
      "village workshops and exhibit what they make."),
    P("Open doors: participatory art in community centres", "cooperation", "demo-32",
      "creative-europe", "CREA-CULT-COOP", ON, (2024, 10), 30, 198000,
      partners=["demo-33", "demo-6"], externals=["most", "lindo"],
      topics=["international-cooperation", "capacity-building", "amateur-arts"],
      summary="Culture centres in Lithuania, Slovenia and Sweden invite neighbours who never "
      "come to make art with them, and share the methods that worked."),
    P("Learning from neighbours: adult educators abroad", "mobility", "demo-18", "erasmus",
      "KA122-ADU", DONE, (2023, 6), 15, 42500, externals=["vaara"],
      topics=["capacity-building", "international-cooperation"],
      summary="Sixteen staff members of Kėdainiai's culture centre shadow colleagues at a "
      "Finnish adult education centre and bring back new course formats."),
    P("Young heritage keepers in Ignalina", "heritage", "demo-9", "erasmus", "KA152-YOU", DONE,
      (2023, 7), 5, 28400, externals=["daugava"],
      topics=["youth", "intangible-heritage", "international-cooperation"],
      summary="Young people from Ignalina and Latgale spend ten days learning the songs and "
      "crafts of their border region from its elders."),
    P("Digital skills for culture workers", "digital", "demo-8", "erasmus", "KA210-ADU", PLAN,
      (2027, 1), 18, 60000, decision_date=date(2026, 8, 27), externals=["valle"],
      topics=["digital-culture", "capacity-building"],
      summary="Elektrėnai's culture centre and an Italian partner train staff of small "
      "centres to film, stream and caption their events."),
    P("Songs for every generation", "inclusion", "demo-11", "foundation", "SMALL", DONE,
      (2022, 2), 10, 6500, topics=["amateur-arts", "rural-communities"],
      summary="A seniors' choir in Joniškis and concerts in the district's care homes."),
    P("Weaving the future: crafts masterclasses in Samogitia", "crafts", "demo-35", "council",
      "MEG", DONE, (2024, 3), 8, 11300, partners=["demo-39", "demo-26"],
      topics=["intangible-heritage", "cultural-heritage"],
      summary="Masters of sash weaving, wood carving and pottery teach young people in Plungė, "
      "Rietavas and Mažeikiai."),
    P("On the way to the Centenary Song Celebration", "celebration", "demo-33", "ministry",
      "DS", DONE, (2024, 1), 7, 15000, partners=["demo-32"],
      topics=["amateur-arts", "festivals", "intangible-heritage"],
      summary="Joint rehearsals, new costumes and a regional concert for the collectives of "
      "Panevėžys district before the 2024 Song Celebration."),
    P("Palanga seaside folk evenings", "festival", "demo-31", "council", "REG", DONE, (2025, 6),
      3, 9000, topics=["festivals", "intangible-heritage"],
      summary="Folk ensembles from the whole coast play on the Palanga pier every Thursday "
      "evening of the summer."),
    P("Accessible stages in Alytus", "inclusion", "demo-2", "council", "EDU", ON, (2025, 9), 18,
      16800, partners=["demo-3"], topics=["amateur-arts", "capacity-building"],
      summary="Ramps, hearing loops, relaxed performances and easy-read programmes at the "
      "Alytus culture centre."),
    P("Digital archive of Biržai brass bands", "digital", "demo-6", "council", "MEG", DONE,
      (2022, 3), 9, 13500, topics=["digital-culture", "cultural-heritage"],
      summary="A century of photographs, scores and recordings of the district's brass bands, "
      "digitised and described."),
    P("Gargždai crafts yard", "crafts", "demo-21", "klaipeda-district", "KUL", DONE, (2023, 5), 5,
      7200, topics=["intangible-heritage", "rural-communities"],
      summary="A summer crafts yard beside the culture centre with weekly masterclasses and a "
      "closing fair."),
    P("Akmenė winter festival of amateur theatre", "festival", "demo-1", "akmene", "BEN", DONE,
      (2024, 1), 3, 5400, partners=["demo-19"], topics=["festivals", "amateur-arts"],
      description="<p>Every January amateur theatres of Šiauliai county bring their new "
      "productions to Naujoji Akmenė for a weekend of performances and discussions with "
      "directors.</p>",
      summary="A weekend of amateur theatre in Naujoji Akmenė with groups from the whole "
      "Šiauliai county."),
    P("Akmenė community choir school", "youth", "demo-1", "foundation", "SMALL", ON, (2025, 9),
      16, 7800, topics=["youth", "amateur-arts"],
      summary="Free singing lessons for children of Akmenė district and a choir that performs "
      "at the district's events."),
    P("Theatre without walls in Tauragė region", "youth", "demo-50", "council", "REG", OFF,
      (2022, 5), 6, 10500, partners=["demo-29", "demo-45"], topics=["youth", "amateur-arts"],
      summary="Outdoor youth theatre in the villages of Tauragė county; cancelled when the "
      "touring stage could not be hired."),
    P("River barge theatre in Jurbarkas", "festival", "demo-12", "council", "REG", OFF,
      (2021, 6), 3, 8800, topics=["festivals", "amateur-arts"],
      summary="Performances on a barge moored along the Nemunas; cancelled because of the "
      "pandemic restrictions of 2021."),
    P("Franciscan heritage nights in Kretinga", "festival", "demo-22", "council", "MEG", DONE,
      (2021, 8), 4, 8000, topics=["cultural-heritage", "festivals"],
      summary="Evening walks, music and stories in Kretinga's monastery garden and manor park."),
    P("Folk dance for families in Marijampolė", "festival", "demo-25", "council", "MEG", DONE,
      (2021, 9), 9, 7900, topics=["amateur-arts", "intangible-heritage"],
      summary="Monthly folk-dance evenings where parents and children learn the dances of "
      "Suvalkija."),
    P("Šakiai harvest festival", "festival", "demo-41", "council", "REG", DONE, (2021, 8), 3, 6000,
      partners=["demo-14"], topics=["festivals", "rural-communities"],
      summary="A harvest fair and folk concerts in Šakiai with the villages of Zanavykija."),
    P("Young filmmakers of Raseiniai", "youth", "demo-38", "council", "EDU", DONE, (2022, 9), 9,
      9300, topics=["youth", "digital-culture"],
      description="<p>Teenagers learn to film, interview and edit with a documentary director "
      "and show their films about Raseiniai at the centre's cinema evenings.</p>",
      summary="A film club for teenagers who shoot short documentaries about their town."),
    P("Stargazing and storytelling in Molėtai", "heritage", "demo-27", "foundation", "SMALL",
      DONE, (2022, 6), 4, 4800, topics=["intangible-heritage", "rural-communities"],
      summary="Summer nights by the lakes with stories of the stars told in the region's old "
      "beliefs."),
    P("Literary paths of Anykščiai", "heritage", "demo-4", "council", "MEG", ON, (2025, 4), 22,
      12600, topics=["cultural-heritage", "youth"],
      description="<p>Marked walking routes lead past the farmsteads, forests and hills that "
      "Anykščiai's writers described; local actors read on them on summer weekends.</p>",
      summary="Walking routes with readings along the places the district's writers described."),
    P("Modern dance summer school in Jonava", "youth", "demo-10", "council", "EDU", DONE,
      (2024, 6), 3, 8700, topics=["youth", "amateur-arts"],
      summary="Two weeks of contemporary dance classes and a final performance for young "
      "dancers of the district."),
    P("Many languages, one festival: Šalčininkai folk days", "festival", "demo-42", "council",
      "REG", DONE, (2023, 6), 4, 14000, externals=["kultur-lv"],
      topics=["festivals", "intangible-heritage", "international-cooperation"],
      summary="Lithuanian, Polish and Belarusian folk ensembles of the district share one "
      "stage, with guests from Latvia."),
    P("Forest villages on stage: Švenčionys district", "rural", "demo-49", "council", "REG",
      PLAN, (2027, 2), 10, 11000, decision_date=date(2026, 10, 14), partners=["demo-9"],
      topics=["rural-communities", "amateur-arts"],
      summary="Amateur theatre tours to the small forest villages of Švenčionys district."),
    P("Manor summer concerts in Kelmė", "festival", "demo-19", "council", "REG", DONE, (2025, 6),
      3, 9900, topics=["festivals", "cultural-heritage"],
      summary="Chamber and folk concerts in the restored Kelmė manor on summer Sundays."),
    P("Panevėžys street festival of amateur arts", "festival", "demo-32", "panevezys", "KUL",
      DONE, (2024, 5), 4, 12000, partners=["demo-33"], topics=["festivals", "amateur-arts"],
      summary="One Saturday in May when the city's collectives perform in streets and yards."),
    P("Wedding traditions of Kupiškis", "heritage", "demo-23", "council", "MEG", ON, (2026, 3),
      12, 8100, topics=["intangible-heritage"],
      summary="The district's folklore ensemble reconstructs and stages a traditional Kupiškis "
      "wedding, with songs recorded from the oldest villagers."),
    P("Children's folk camp in Prienai", "heritage", "demo-36", "foundation", "SMALL", DONE,
      (2023, 7), 2, 5200, topics=["youth", "intangible-heritage"],
      summary="A week-long summer camp where children learn songs, games and crafts."),
    P("Modernising the Mažeikiai culture centre", "digital", "demo-26", "ministry", "KCM", ON,
      (2025, 11), 14, 64000, topics=["digital-culture", "capacity-building"],
      summary="New stage lighting, sound and a small recording studio for the centre's "
      "collectives."),
]  # fmt: skip

# The demo member-staff account's drafts: its organisation (demo-1) shows them on the staff
# pages; the submitted ones wait for the secretariat. (days_ago: when submitted; None: not yet)
DRAFTS = [
    (P("Cement town memories: an oral history of Naujoji Akmenė", "heritage", "demo-1",
       "council", "MEG", PLAN, (2027, 3), 10, 9500, decision_date=date(2026, 10, 30),
       topics=["cultural-heritage"],
       summary="Former workers of the cement plant and their families tell the story of the "
       "town built around it."), None),
    (P("Youth band studio in Naujoji Akmenė", "youth", "demo-1", "akmene", "BEN", PLAN,
       (2027, 1), 12, 6200, decision_date=date(2026, 11, 5), topics=["youth", "amateur-arts"],
       summary="A rehearsal room with instruments where teenagers form bands and play their "
       "first concerts."), 3),
    (P("Papilė village summer stage", "rural", "demo-1", "foundation", "SMALL", DONE, (2025, 6),
       3, 3800, topics=["rural-communities", "festivals"],
       summary="Four Saturday evenings of concerts and theatre on a new open-air stage in "
       "Papilė."), 12),
]  # fmt: skip

# Funding calls, placed around the day they are loaded: (funder, programme, title, days from
# today to the deadline and to the opening, smallest and largest grant,
# currency, topics, who may apply).
CALLS = [
    ("council", "MEG", "Amateur arts and ethnic culture 2027", 40, -20, 3000, 25000, "EUR",
     ["amateur-arts", "intangible-heritage"],
     "Legal entities registered in Lithuania whose activities include amateur arts or ethnic "
     "culture. One application per organisation."),
    ("creative-europe", "CREA-CULT-COOP", "European cooperation projects 2027", 75, -30, 60000,
     200000, "EUR", ["international-cooperation", "capacity-building"],
     "Consortia of at least three organisations from three countries taking part in Creative "
     "Europe; the lead must have been registered for two years."),
    ("nordic", "START", "Start-up grants: Nordic-Baltic ideas", 9, -60, 20000, 100000, "SEK",
     ["international-cooperation"],
     "Artists and organisations planning a new cooperation with at least one Nordic partner."),
    ("erasmus", "KA210-ADU", "Small-scale partnerships in adult education", 120, -10, 30000,
     60000, "EUR", ["capacity-building", "international-cooperation"],
     "Organisations active in adult education, including culture centres, with at least one "
     "partner in another programme country."),
    ("kaunas", "KUL", "Culture project co-financing 2027", 25, -15, 1000, 10000, "EUR",
     ["amateur-arts", "festivals"],
     "Non-governmental organisations and culture institutions working in Kaunas city."),
    ("ministry", "KCM", "Modernisation of culture centres 2027", 75, 30, 20000, 150000, "EUR",
     ["capacity-building", "digital-culture"],
     "Municipal culture centres; the municipality must co-finance at least 20 %."),
    ("council", "EDU", "Cultural education and access 2026", -60, -120, 2000, 20000, "EUR",
     ["youth", "amateur-arts"],
     "Culture and education institutions and NGOs registered in Lithuania."),
    ("foundation", "SMALL", "Small grants for village culture, spring round", -150, -210, 500,
     5000, "EUR", ["rural-communities"],
     "Village communities and culture centres' branches in places of fewer than 3,000 people."),
    ("social", "NVOK", "Institutional strengthening of NGOs 2026", -200, -240, 10000, 25000,
     "EUR", ["capacity-building"],
     "Non-governmental organisations and their associations that represent members "
     "nationally."),
    ("erasmus", "KA152-YOU", "Youth exchanges, first round", -260, -330, 10000, 40000, "EUR",
     ["youth", "international-cooperation"],
     "Youth organisations and culture centres working with young people aged 13 to 30."),
    ("akmene", "BEN", "Community culture initiatives 2026", -30, -75, 500, 4000, "EUR",
     ["rural-communities", "amateur-arts"],
     "Communities, NGOs and culture institutions of Akmenė district."),
]  # fmt: skip


def load_topics():
    for order, (slug, *names) in enumerate(TOPICS):
        Topic.objects.update_or_create(
            slug=slug,
            defaults={"order": order, "name": names[0]}
            | {
                f"name_{code}": name
                for code, name in zip(["en", "lt", "sl", "sv"], names, strict=True)
            },
        )
    return {topic.slug: topic for topic in Topic.objects.filter(slug__in=[t[0] for t in TOPICS])}


def load_funders(prefix=""):
    """The funders and their programmes, created or updated; returns {key: (funder,
    {programme code: programme})}. A prefix makes a separate set (the benchmark's)."""
    loaded = {}
    for key, (name, kind, country, identifier, website, *_p, programmes) in FUNDERS.items():
        funder, _ = Funder.objects.update_or_create(
            slug=f"{prefix}{key}",
            defaults={"name": name, "kind": kind, "country": country, "website": website,
                      "identifier": identifier if not prefix else ""},
        )  # fmt: skip
        codes = {}
        for code, programme_name in programmes:
            codes[code], _ = Programme.objects.update_or_create(
                slug=f"{prefix}{key}-{code.lower()}",
                defaults={"funder": funder, "name": programme_name, "code": code},
            )
        loaded[key] = (funder, codes)
    return loaded


def _end_of(start, months):
    month = start.month - 1 + months
    following = date(start.year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def _money(value):
    return Decimal(value).quantize(Decimal("0.01"))


def _description(kind, lead_name):
    text = KINDS[kind]["description"].format(lead=lead_name)
    return f"<p>{text[0].upper()}{text[1:]}</p>"


def _items(kind, rng, completed, limit=None):
    """Aims, activities, expected and (for completed projects) achieved results, unsaved and
    without their project."""
    words = KINDS[kind]
    entries = [
        *((ProjectItem.Kind.AIM, text, "", None, None) for text in words["aims"][:limit]),
        *(
            (ProjectItem.Kind.ACTIVITY, text, "", None, None)
            for text in words["activities"][:limit]
        ),
        *((ProjectItem.Kind.EXPECTED, *result, None) for result in words["expected"][:limit]),
    ]
    if completed:
        actual = words.get("actual") or [
            round(target * rng.uniform(0.85, 1.25))
            for _text, _indicator, target in words["expected"]
        ]
        entries += [
            (ProjectItem.Kind.ACHIEVED, text, indicator, target, value)
            for text, (_expected, indicator, target), value in zip(
                words["achieved"][:limit], words["expected"], actual, strict=False
            )
        ]
    orders = {}
    items = []
    for item_kind, text, indicator, target, value in entries:
        orders[item_kind] = orders.get(item_kind, -1) + 1
        items.append(
            ProjectItem(
                kind=item_kind,
                order=orders[item_kind],
                text=text,
                indicator=indicator,
                target=target,
                actual=value,
            )
        )
    return items


class _Batch:
    """Projects to bulk-insert, each with its related rows; save() writes them all, refreshes
    their search vectors and bumps the projects' cache version once the transaction commits."""

    def __init__(self):
        self.projects, self.items, self.partners, self.documents = [], [], [], []
        self.regions, self.municipalities, self.topics = [], [], []

    def add(self, project, *, items, partners=(), documents=(), regions, municipalities, topics):
        index = len(self.projects)
        self.projects.append(project)
        for related in (*items, *partners, *documents):
            related.project = project
        self.items += items
        self.partners += partners
        self.documents += documents
        self.regions += [(index, pk) for pk in regions]
        self.municipalities += [(index, pk) for pk in municipalities]
        self.topics += [(index, pk) for pk in topics]

    def save(self):
        for project in self.projects:
            # bulk_create skips Project.save(), which cleans the description and sets the year.
            project.description = clean_html(project.description)
            known = project.decision_date or project.start_date
            project.year = known.year if known else None
        Project.objects.bulk_create(self.projects, BATCH)
        ProjectItem.objects.bulk_create(self.items, BATCH)
        ProjectPartner.objects.bulk_create(self.partners, BATCH)
        ProjectDocument.objects.bulk_create(self.documents, BATCH)
        ids = [project.pk for project in self.projects]
        for relation, pairs, column in [
            (Project.regions, self.regions, "region_id"),
            (Project.municipalities, self.municipalities, "municipality_id"),
            (Project.topics, self.topics, "topic_id"),
        ]:
            through = relation.through
            through.objects.bulk_create(
                [through(project_id=ids[index], **{column: pk}) for index, pk in pairs], BATCH
            )
        for start in range(0, len(ids), BATCH):
            refresh_project_search(ids[start : start + BATCH])
        transaction.on_commit(projects_changed)
        return len(ids)


@transaction.atomic
def load_demo_projects():
    """The demo projects and drafts, each added once (by its slug); returns how many were
    added."""
    rng = random.Random(2023)  # noqa: S311 - demo data, not secrets
    topics = load_topics()
    funders = load_funders()
    organisations = {
        organisation.external_id: organisation
        for organisation in Organisation.objects.filter(external_id__startswith="demo-")
        .select_related("municipality")
        .only("name", "external_id", "website", "municipality__region_id")
    }
    staff = get_user_model().objects.filter(email="staff@example.org").first()
    taken = set(Project.objects.values_list("slug", flat=True))
    batch = _Batch()
    specs = [(spec, False, None) for spec in PROJECTS]
    specs += [(spec, True, days_ago) for spec, days_ago in DRAFTS]
    for number, (spec, draft, submitted_days_ago) in enumerate(specs, start=1):
        slug = slugify(spec["title"])
        lead = organisations.get(spec["lead"])
        if slug in taken or (spec["lead"] and lead is None):
            continue  # already loaded, or its centre is gone
        project = _demo_project(spec, number, lead, funders, rng)
        project.slug = slug
        project.published = not draft
        project.created_by = staff if draft else None
        if submitted_days_ago:
            project.submitted_at = timezone.now() - timedelta(days=submitted_days_ago)
        involved = [lead] if lead else []
        partners = []
        for key in spec.get("partners", []):
            if key in organisations:
                involved.append(organisations[key])
                partners.append(ProjectPartner(organisation=organisations[key]))
        eu = spec["funder"] in ("creative-europe", "erasmus")
        for key in spec.get("externals", []):
            name, country = EXTERNAL_PARTNERS[key]
            role = ProjectPartner.Role.CO_APPLICANT if eu else ProjectPartner.Role.PARTNER
            partners.append(ProjectPartner(name=name, country=country, role=role))
        for order, partner in enumerate(partners):
            partner.order = order
        completed = spec["status"] == Project.Status.COMPLETED
        report = ProjectDocument(
            title="Final report", url=f"https://example.org/reports/{slug}.pdf"
        )
        places = [o.municipality for o in involved if o.municipality_id]
        batch.add(
            project,
            items=_items(spec["kind"], rng, completed),
            partners=partners,
            documents=[report] if completed else [],
            regions=sorted({place.region_id for place in places}),
            municipalities=sorted({place.pk for place in places}),
            topics=[topics[slug].pk for slug in spec["topics"]],
        )
    return batch.save()


def _demo_project(spec, number, lead, funders, rng):
    funder, programmes = funders[spec["funder"]]
    programme = programmes[spec["programme"]]
    code_pattern, decision_pattern = FUNDERS[spec["funder"]][5:7]
    start = date(*spec["start"], 1)
    decision = spec.get("decision_date") or start - timedelta(days=rng.randint(12, 45))
    numbers = {"programme": programme.code, "year": decision.year}
    if spec["funder"] == "creative-europe":
        numbers["number"] = 101050000 + rng.randint(0, 99999)
    else:
        numbers["number"] = rng.randint(40, 999) + number
    numbers["code"] = spec.get("code") or code_pattern.format(**numbers)
    amount = _money(spec["amount"])
    co_financing = _money(amount * Decimal(spec.get("co_financing", CO_FINANCING[funder.kind])))
    site = lead.website if lead and lead.website else "https://example.org/"
    return Project(
        title=spec["title"],
        code=numbers["code"],
        summary=spec["summary"],
        description=spec.get("description") or _description(spec["kind"], lead and lead.name),
        status=spec["status"],
        lead_organisation=lead,
        funder=funder,
        programme=programme,
        decision_reference=spec.get("decision_reference") or decision_pattern.format(**numbers),
        decision_date=decision,
        amount_awarded=amount,
        currency=spec.get("currency", "EUR"),
        co_financing=co_financing or None,
        total_budget=amount + co_financing,
        start_date=start,
        end_date=_end_of(start, spec["months"]),
        website=spec.get("website") or f"{site}projects/{slugify(spec['title'])}/",
    )


@transaction.atomic
def load_demo_calls():
    """The funding calls, created or updated: their dates follow the day they are loaded, so
    the demo always has open, closing-soon, upcoming and closed calls (and loading twice on
    one day changes nothing). Returns the numbers of (open, upcoming, closed) calls."""
    topics = load_topics()
    funders = load_funders()
    today = timezone.localdate()
    portal_zone = timezone.get_default_timezone()
    slugs = []
    for (
        key,
        code,
        title,
        deadline_in,
        opens_in,
        smallest,
        largest,
        currency,
        topic_slugs,
        who,
    ) in CALLS:
        funder, programmes = funders[key]
        slugs.append(slugify(title))
        call, _ = FundingCall.objects.update_or_create(
            slug=slugs[-1],
            defaults={
                "funder": funder,
                "programme": programmes[code],
                "title": title,
                "summary": f"{funder.name} invites applications to “{programmes[code].name}”.",
                "eligibility": who,
                "amount_min": _money(smallest),
                "amount_max": _money(largest),
                "currency": currency,
                "opens_on": today + timedelta(days=opens_in),
                "deadline": datetime.combine(
                    today + timedelta(days=deadline_in), time(15), portal_zone
                ),
                "url": funder.website,
                "published": True,
            },
        )
        call.topics.set([topics[slug] for slug in topic_slugs])
    calls = FundingCall.objects.filter(slug__in=slugs)
    return calls.open().count(), calls.upcoming().count(), calls.closed().count()


@transaction.atomic
def load_large_projects(count, seed):
    """`count` deterministic, published projects over the generated directory of `seed`
    (seed_demo --organisations), with their own set of funders, for benchmarks."""
    prefix = f"bench{seed}-"
    existing = Project.objects.filter(funder__slug__startswith=prefix).count()
    if existing >= count:
        return 0
    if existing:
        raise ValueError(
            f"{existing} projects of seed {seed} are loaded, fewer than {count}: "
            "start from an empty database to load another size."
        )
    organisations = list(
        Organisation.objects.filter(external_id__startswith=prefix)
        .order_by("id")
        .values_list("id", "municipality_id", "municipality__region_id", "depth")
    )
    if not organisations:
        raise ValueError(f"Load the directory of seed {seed} first (--organisations).")
    rng = random.Random(seed)  # noqa: S311 - benchmark data, not secrets
    topic_ids = [topic.pk for topic in load_topics().values()]
    funders = [
        (funder, list(programmes.values())) for funder, programmes in load_funders(prefix).values()
    ]
    centres = [row for row in organisations if row[3] == 0]
    regions = sorted({row[2] for row in organisations if row[2]})
    taken = set(Project.objects.values_list("slug", flat=True))
    kinds = list(KINDS)
    statuses = [Project.Status.COMPLETED] * 6 + [Project.Status.ONGOING] * 3
    statuses += [Project.Status.PLANNED, Project.Status.CANCELLED]
    batch = _Batch()
    for number in range(1, count + 1):
        kind = rng.choice(kinds)
        lead_id, municipality_id, region_id, _depth = rng.choice(
            centres if rng.random() < 0.5 else organisations
        )
        funder, programmes = rng.choice(funders)
        start = date(rng.randint(2015, 2026), rng.randint(1, 12), 1)
        status = rng.choice(statuses)
        amount = _money(rng.randrange(1000, 120000, 100))
        co_financing = _money(amount * CO_FINANCING[funder.kind])
        title = f"{rng.choice(KINDS[kind]['titles'])} {start.year}"
        project = Project(
            title=title,
            slug=unique_slug(Project, title, taken),
            code=f"{funder.slug.removeprefix(prefix)[:4].upper()}-{start.year}-{number:05d}",
            summary=KINDS[kind]["aims"][0],
            description=_description(kind, "the centre"),
            status=status,
            lead_organisation_id=lead_id,
            funder=funder,
            programme=rng.choice(programmes),
            decision_reference=f"Decision No. {start.year}/{number}",
            decision_date=start - timedelta(days=rng.randint(10, 60)),
            amount_awarded=amount,
            co_financing=co_financing,
            total_budget=amount + co_financing,
            start_date=start,
            end_date=_end_of(start, rng.randint(2, 24)),
            published=True,
        )
        others = [row[0] for row in rng.sample(organisations, 5) if row[0] != lead_id]
        partner_ids = others[: rng.randint(1, 4)]
        more_regions = {rng.choice(regions)} if rng.random() < 0.4 else set()
        batch.add(
            project,
            items=_items(kind, rng, status == Project.Status.COMPLETED, limit=2),
            partners=[
                ProjectPartner(organisation_id=pk, order=order)
                for order, pk in enumerate(partner_ids)
            ],
            regions=sorted({region_id, *more_regions} - {None}),
            municipalities=[municipality_id] if municipality_id else [],
            topics=rng.sample(topic_ids, rng.randint(1, 2)),
        )
    return batch.save()
