"""Demo advocacy: consultations that ministries, the Seimas, municipalities, the European
Commission and the Council of Europe run; the association's positions in every kind and step of
their workflow, with the member input behind them, co-signatures of demo culture centres and the
outcomes; the councils and committees where its delegates sit (8 of the 11 seats of a national
council among them); and a deterministic large set of published positions for benchmarks. Used
by seed_demo.

The consultations, positions, delegates and signatories are fictional; the institutions are
real, but the reference numbers and web addresses below are placeholders.
"""

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify

from association.sanitize import clean_html
from members.models import Organisation
from projects.demo import load_topics

from .models import (
    Body,
    Consultation,
    ConsultationDocument,
    Endorsement,
    Level,
    MemberInput,
    Position,
    Seat,
)
from .services import advocacy_changed, refresh_position_search

BATCH = 2000
Kind, Status, Outcome = Position.Kind, Position.Status, Position.Outcome

# Dates are either fixed (what happened before the demo) or a number of days from the day the
# demo is loaded (what is still open), so that the demo always has upcoming deadlines and input
# open for members; loading again moves the latter to the new day.

# key: title, consulting body, level, reference, opens, deadline, topics, documents
CONSULTATIONS = {
    "ethnic-culture-law": (
        "Draft amendments to the Law on the State Protection of Ethnic Culture",
        "Ministry of Culture of the Republic of Lithuania", Level.NATIONAL, "TAIS 25-04117",
        date(2025, 2, 3), date(2025, 3, 14), ["intangible-heritage", "culture-policy"],
        ["Draft law", "Explanatory note"],
    ),
    "culture-centres-law": (
        "Amendments to the Law on Culture Centres: qualifications and pay of culture workers",
        "Committee on Culture of the Seimas", Level.NATIONAL, "XIVP-3120",
        -14, 9, ["culture-policy", "capacity-building"],
        ["Draft law", "Comparative table of the amendments"],
    ),
    "kaunas-strategy": (
        "Kaunas city culture strategy 2026–2030", "Kaunas City Municipality", Level.LOCAL,
        "KMS-KS-2026/14", -20, 16, ["culture-policy", "amateur-arts", "festivals"],
        ["Draft strategy"],
    ),
    "staff-certification": (
        "Draft procedure for the certification of culture centres' staff",
        "Ministry of Culture of the Republic of Lithuania", Level.NATIONAL, "TAIS 26-18342",
        -6, 30, ["capacity-building", "culture-policy"], ["Draft procedure"],
    ),
    "ngo-fund-rules": (
        "Draft rules of the NGO Fund's calls for institutional strengthening",
        "Ministry of Social Security and Labour of the Republic of Lithuania", Level.NATIONAL,
        "TAIS 26-15507", -45, -10, ["capacity-building"], ["Draft rules"],
    ),
    "eu-culture-programme": (
        "Public consultation on the EU's support for culture after 2027",
        "European Commission, Directorate-General for Education, Youth, Sport and Culture",
        Level.EU, "Ares(2024)2871154", date(2024, 3, 11), date(2024, 6, 3),
        ["international-cooperation", "culture-policy"], ["Consultation questionnaire"],
    ),
    "council-of-europe": (
        "Draft recommendation on culture and democratic participation",
        "Council of Europe, Steering Committee for Culture, Heritage and Landscape",
        Level.INTERNATIONAL, "CDCPP(2025)7", date(2025, 4, 22), date(2025, 6, 30),
        ["culture-policy", "amateur-arts"], ["Draft recommendation", "Explanatory memorandum"],
    ),
    "panevezys-funding": (
        "Rules for funding amateur art collectives in Panevėžys district",
        "Panevėžys District Municipality", Level.LOCAL, "T-2024-112",
        date(2024, 9, 2), date(2024, 9, 30), ["amateur-arts", "rural-communities"],
        ["Draft rules"],
    ),
}  # fmt: skip


def _text(*paragraphs):
    return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


def T(kind, title, language, level, topics, status, summary, body, **extra):
    """One demo position. Published ones give `published` (a date), `outcome` with a note and
    a date, and `signers` (how many demo centres co-sign); ones open for input or drafting give
    `inputs` [(centre number, text)]; `consultation` is a key of CONSULTATIONS."""
    spec = {"kind": kind, "title": title, "language": language, "level": level,
            "topics": topics, "status": status, "summary": summary, "body": body}  # fmt: skip
    return spec | extra


POSITIONS = [
    # Published, with their outcomes.
    T(Kind.CONSULTATION_RESPONSE,
      "Response to the draft amendments to the Law on the State Protection of Ethnic Culture",
      "en", Level.NATIONAL, ["intangible-heritage", "culture-policy"], Status.PUBLISHED,
      "Culture centres keep most of the country's folk ensembles alive. We ask that the law "
      "name them as partners of the regional ethnic culture councils and fund their ethnic "
      "culture programmes on a separate budget line.",
      _text("Most folk ensembles, storytellers' clubs and calendar feasts in the country are "
            "kept going by culture centres and their branches, yet the draft law mentions them "
            "only in passing.",
            "We propose three changes: culture centres named as partners of the regional "
            "ethnic culture councils; a coordinator for ethnic culture in every region; and a "
            "separate budget line for the ethnic culture programmes of culture centres, so "
            "that they no longer compete with one-off events for the same money.",
            "Forty-one member centres answered our survey on the draft; their comments are "
            "summarised in the annex."),
      consultation="ethnic-culture-law", submitted=date(2025, 3, 12),
      published=date(2025, 3, 20), outcome=Outcome.PARTLY, outcome_date=date(2025, 10, 16),
      outcome_note="The Seimas adopted the amendments with regional coordinators for ethnic "
      "culture, as we proposed. The separate budget line was not taken up; the Ministry has "
      "promised to return to it with the next budget.", signers=18),
    T(Kind.CONSULTATION_RESPONSE,
      "Response to the Commission's consultation on EU support for culture after 2027", "en",
      Level.EU, ["international-cooperation", "culture-policy"], Status.PUBLISHED,
      "Small culture organisations outside the capitals need small grants, simple "
      "applications and lower co-financing. Our answer to the European Commission, written with "
      "member centres that have led or joined European projects.",
      _text("Culture centres in small towns take part in European cooperation when the "
            "grants fit their size. Today a small-scale project asks for the same paperwork "
            "as a large one, and a co-financing rate that a municipal centre cannot raise.",
            "We ask the Commission to keep a strand for small cooperation projects, to accept "
            "volunteers' time as co-financing, to pay a larger share in advance and to "
            "simplify reporting for grants under 60,000 euros.",
            "Amateur arts reach more people than any other part of culture; a programme that "
            "serves them should be open to the organisations that run them."),
      consultation="eu-culture-programme", submitted=date(2024, 5, 30),
      published=date(2024, 6, 4), outcome=Outcome.PARTLY, outcome_date=date(2025, 7, 16),
      outcome_note="The Commission's proposal keeps small cooperation projects and simpler "
      "reporting. Volunteers' time as co-financing and larger advance payments are not in it.",
      signers=22),
    T(Kind.CONSULTATION_RESPONSE,
      "Comments on the Council of Europe's draft recommendation on culture and democratic "
      "participation", "en", Level.INTERNATIONAL, ["culture-policy", "amateur-arts"],
      Status.PUBLISHED,
      "People who sing in a choir or act in a village theatre learn to organise, to argue and "
      "to decide together. We ask the recommendation to name amateur arts and local culture "
      "centres among the places where democracy is practised.",
      _text("The draft recommendation speaks of museums, libraries and the media. It says "
            "little about the places where most people take part in culture themselves: "
            "choirs, dance groups, amateur theatres and the culture centres that house them.",
            "We propose a paragraph on amateur arts as a school of civic participation, and "
            "a call to member states to support the organisations that keep them open to "
            "everyone, in the countryside as in the cities."),
      consultation="council-of-europe", submitted=date(2025, 6, 26),
      published=date(2025, 6, 27), outcome=Outcome.PENDING, signers=11),
    T(Kind.CONSULTATION_RESPONSE,
      "Pastabos dėl Panevėžio rajono mėgėjų meno kolektyvų finansavimo tvarkos", "lt",
      Level.LOCAL, ["amateur-arts", "rural-communities"], Status.PUBLISHED,
      "Siūlome, kad kolektyvų vadovų darbo užmokestis nebūtų finansuojamas iš projektinių lėšų, "
      "o kaimo kolektyvams būtų taikomas mažesnis dalyvių skaičiaus reikalavimas.",
      _text("Tvarkos projekte numatyta, kad kolektyvai kasmet teiktų paraiškas, o jų vadovų "
            "atlyginimas priklausytų nuo konkurso rezultatų. Tokia tvarka nestabili: "
            "kolektyvas negali planuoti repeticijų ir koncertų ilgiau nei metams.",
            "Siūlome vadovų darbo užmokestį numatyti kultūros centro biudžete, o konkursu "
            "skirstyti lėšas kelionėms, kostiumams ir renginiams. Kaimo kolektyvams, kuriuose "
            "dažnai dalyvauja mažiau nei dvylika žmonių, siūlome mažesnį dalyvių skaičiaus "
            "reikalavimą."),
      consultation="panevezys-funding", submitted=date(2024, 9, 27),
      published=date(2024, 9, 27), outcome=Outcome.ADOPTED, outcome_date=date(2024, 11, 28),
      outcome_note="Savivaldybės taryba patvirtino tvarką su abiem mūsų siūlymais.", signers=6),
    T(Kind.POSITION_PAPER, "Culture centres after 2030: their role and how to fund it", "en",
      Level.NATIONAL, ["culture-policy", "amateur-arts", "rural-communities"],
      Status.PUBLISHED,
      "What the country's culture centres do, what they need to keep doing it, and five "
      "proposals for the national culture strategy: stable funding, fair pay, buildings fit "
      "for use, room for volunteers and a say in regional decisions.",
      _text("Culture centres are often the only public place for culture in a small town or "
            "a village. They house amateur collectives, organise feasts and festivals, teach "
            "children and gather seniors, and they do it with budgets that have not followed "
            "prices for a decade.",
            "<strong>Our proposals.</strong> Fund the core work of culture centres through "
            "multi-year agreements rather than yearly projects; bring culture workers' pay in "
            "line with teachers'; renovate the buildings in the worst condition first; "
            "recognise volunteers' work; and give culture centres a seat on every regional "
            "culture council.",
            "The paper was discussed at the association's general meeting and in every "
            "county; member centres may still co-sign it."),
      published=date(2025, 11, 5), outcome=Outcome.PARTLY, outcome_date=date(2026, 4, 9),
      outcome_note="The Ministry's action plan for 2026–2028 includes multi-year funding "
      "agreements for culture centres as a pilot in three regions; the other proposals are "
      "still under discussion.", signers=25, without_staff_centre=True),
    T(Kind.POSITION_PAPER, "Kultūros darbuotojų darbo užmokestis: kaip sumažinti atotrūkį",
      "lt", Level.NATIONAL, ["culture-policy", "capacity-building"], Status.PUBLISHED,
      "Kultūros centrų darbuotojai uždirba gerokai mažiau nei panašios kvalifikacijos "
      "mokytojai. Siūlome trejų metų planą, kaip šį atotrūkį sumažinti.",
      _text("Asociacijos apklausa parodė, kad kultūros centrų meno vadovų vidutinis darbo "
            "užmokestis yra beveik trečdaliu mažesnis nei mokytojų, nors reikalavimai "
            "išsilavinimui panašūs. Jauni specialistai į regionus neatvyksta, o patyrę "
            "darbuotojai išeina.",
            "Siūlome per trejus metus padidinti pareiginės algos koeficientus, numatyti "
            "priedus už darbą su keliais kolektyvais ir kaimo vietovėse, o savivaldybėms "
            "skirti tikslinę dotaciją šiam didinimui."),
      published=date(2024, 2, 15), outcome=Outcome.ADOPTED, outcome_date=date(2024, 12, 19),
      outcome_note="2025 metų biudžete kultūros darbuotojų pareiginės algos koeficientai "
      "padidinti, savivaldybėms skirta tikslinė dotacija.", signers=20),
    T(Kind.STATEMENT, "Statement on the cuts to municipal culture budgets", "en",
      Level.NATIONAL, ["culture-policy"], Status.PUBLISHED,
      "Several municipalities cut their culture centres' budgets by a fifth or more for "
      "2025. We ask them to spare the work with amateur collectives, children and seniors.",
      _text("In the last weeks of 2024 several municipal councils adopted budgets that cut "
            "their culture centres' funding by 20 % or more. Cuts of this size close "
            "branches, end collectives and leave villages without any place to meet.",
            "We call on municipalities to keep the work with amateur collectives, children "
            "and seniors out of the cuts, and to consult their culture centres before "
            "changing their budgets."),
      published=date(2025, 1, 20), outcome=Outcome.NOT_ADOPTED, outcome_date=date(2025, 3, 31),
      outcome_note="Most municipalities kept the cuts; two restored part of the funding in "
      "their spring budget revisions.", signers=14, withdrawn=1),
    T(Kind.STATEMENT, "Pareiškimas dėl kultūros paslaugų prieinamumo regionuose", "lt",
      Level.REGIONAL, ["rural-communities", "culture-policy"], Status.PUBLISHED,
      "Regionų plėtros tarybos turėtų į savo planus įtraukti kultūros centrų filialus, kad "
      "kaimo gyventojai neprarastų artimiausios kultūros erdvės.",
      _text("Mažėjant gyventojų, kultūros centrų filialai kaimuose uždaromi vienas po kito. "
            "Dažnai tai paskutinė vieša erdvė, kurioje susitinka bendruomenė.",
            "Kviečiame regionų plėtros tarybas kartu su kultūros centrais įvertinti filialų "
            "tinklą ir numatyti lėšų jų pastatams ir kilnojamosioms paslaugoms."),
      published=date(2023, 10, 10), outcome=Outcome.PENDING, signers=9),
    T(Kind.OPEN_LETTER,
      "Open letter to Members of the European Parliament on culture in the next EU budget",
      "en", Level.EU, ["international-cooperation", "culture-policy"], Status.PUBLISHED,
      "Culture organisations across Europe ask the European Parliament to keep a budget for "
      "culture of its own in the next long-term budget, with a share for small organisations.",
      _text("Dear Members of the European Parliament,",
            "the next long-term budget of the Union will decide whether culture keeps a "
            "programme of its own. For the culture centres of small towns and villages, "
            "European cooperation has been a way to learn, to exchange and to be seen.",
            "We ask you to keep a budget line for culture that is not smaller than today's, "
            "and to reserve part of it for small organisations with simple rules."),
      published=date(2025, 9, 15), outcome=Outcome.PENDING, signers=24,
      without_staff_centre=True),
    T(Kind.OPEN_LETTER, "Atviras laiškas dėl Dainų šventės tradicijos finansavimo", "lt",
      Level.NATIONAL, ["amateur-arts", "intangible-heritage", "festivals"], Status.PUBLISHED,
      "Dainų šventės tradicija gyvuoja tik todėl, kad kolektyvai repetuoja ištisus metus. "
      "Prašome finansuoti ne tik šventę, bet ir kolektyvų pasirengimą jai.",
      _text("Gerbiami Seimo nariai,",
            "Dainų šventė trunka kelias dienas, tačiau jai ruošiamasi kelerius metus. Chorai, "
            "šokių kolektyvai ir ansambliai repetuoja kultūros centruose, o jų kelionės, "
            "kostiumai ir vadovų darbas dažniausiai apmokami iš savivaldybių lėšų.",
            "Prašome Dainų šventės programoje numatyti lėšų kolektyvų pasirengimui regionuose."),
      published=date(2023, 4, 18), outcome=Outcome.ADOPTED, outcome_date=date(2023, 6, 29),
      outcome_note="Dainų šventės programoje numatytas atskiras finansavimas kolektyvų "
      "pasirengimui regionuose.", signers=25, signing_closed=True),
    T(Kind.LEGAL_PROPOSAL, "Proposal for a procedure for volunteering in culture centres", "en",
      Level.NATIONAL, ["capacity-building", "rural-communities"], Status.PUBLISHED,
      "A short procedure that lets culture centres take on volunteers, insure them, reimburse "
      "their costs and count their hours, drafted with the centres that rely on them most.",
      _text("Thousands of volunteers help culture centres run feasts, festivals and village "
            "halls, yet many municipal centres are unsure whether and how they may take them "
            "on. The proposal sets out the agreement with a volunteer, insurance, the "
            "reimbursement of travel costs and a record of hours that counts towards "
            "co-financing."),
      published=date(2024, 10, 8), outcome=Outcome.NOT_ADOPTED, outcome_date=date(2025, 3, 3),
      outcome_note="The Ministry replied that the general law on volunteering already covers "
      "culture centres and declined a separate procedure; it will publish guidance instead.",
      signers=9),
    T(Kind.LEGAL_PROPOSAL,
      "Siūlymas dėl mėgėjų meno kolektyvų vadovų kvalifikacijos tobulinimo tvarkos", "lt",
      Level.NATIONAL, ["amateur-arts", "capacity-building"], Status.PUBLISHED,
      "Siūlome tvarką, pagal kurią kolektyvų vadovai kas penkerius metus galėtų nemokamai "
      "tobulinti kvalifikaciją, o jų mokymai būtų derinami su Dainų švenčių ciklu.",
      _text("Kolektyvų vadovams trūksta mokymų, kurie atitiktų jų darbą: repertuaro rengimą, "
            "darbą su vaikais ir senjorais, sceninį judesį.",
            "Siūlome penkerių metų kvalifikacijos tobulinimo ciklą, finansuojamą iš valstybės "
            "biudžeto ir organizuojamą kartu su asociacija bei aukštosiomis mokyklomis."),
      published=date(2023, 12, 5), outcome=Outcome.ADOPTED, outcome_date=date(2024, 5, 14),
      outcome_note="Kultūros ministro įsakymu patvirtinta tvarka su penkerių metų ciklu.",
      signers=12),
    # Submitted, waiting for the outcome.
    T(Kind.CONSULTATION_RESPONSE,
      "Response to the draft rules of the NGO Fund's institutional strengthening calls", "en",
      Level.NATIONAL, ["capacity-building"], Status.SUBMITTED,
      "Associations that represent members across the country need multi-year support. We ask "
      "for two-year grants and for volunteers' work to count as co-financing.",
      _text("One-year grants for institutional strengthening end before their results show. "
            "We propose two-year grants, an advance of at least half the amount and "
            "volunteers' hours counted as co-financing at the minimum hourly wage."),
      consultation="ngo-fund-rules", submitted=-11),
    T(Kind.LEGAL_PROPOSAL,
      "Siūlymas dėl kultūros centrų pastatų modernizavimo programos kriterijų", "lt",
      Level.NATIONAL, ["capacity-building", "rural-communities"], Status.SUBMITTED,
      "Siūlome, kad modernizavimo programa pirmiausia remtų blogiausios būklės pastatus ir "
      "filialus kaimuose, o ne tik didžiųjų miestų centrus.",
      _text("Iki šiol modernizavimo lėšos daugiausia teko didžiųjų miestų kultūros centrams. "
            "Siūlome vertinimo kriterijus, kuriuose svarbiausia pastato būklė, lankytojų "
            "skaičius ir tai, ar kitos kultūros erdvės netoliese nėra."),
      submitted=-52),
    # Drafting: member input closed, the secretariat writes.
    T(Kind.CONSULTATION_RESPONSE,
      "Response to the amendments to the Law on Culture Centres on qualifications and pay",
      "en", Level.NATIONAL, ["culture-policy", "capacity-building"], Status.DRAFTING,
      "The amendments tie culture workers' pay to their qualifications. We support the aim "
      "and ask for a transition period and for experience to count as much as diplomas.",
      _text("Draft: the amendments are welcome, but many experienced leaders of collectives "
            "have no formal qualification in their art. A transition period of five years "
            "and the recognition of experience would keep them in their jobs."),
      consultation="culture-centres-law", input_opened=-16, input_deadline=-2,
      inputs=[(1, "Half of our collectives' leaders are over 55 and learned their craft in "
               "practice. Please ask for experience to be recognised, or we lose them."),
              (15, "We support linking pay to qualifications, but the Ministry must fund the "
               "difference: our municipality cannot."),
              (24, "A transition period of at least five years, please, with free courses."),
              (43, "Could the response mention the pay of technical staff (sound, lighting)? "
               "The draft leaves them out.")]),
    T(Kind.POSITION_PAPER,
      "Kultūros bendradarbiavimas regionuose: asociacijos pozicija dėl regionų kultūros tarybų",
      "lt", Level.REGIONAL, ["culture-policy", "rural-communities"], Status.DRAFTING,
      "Regionų kultūros tarybose turėtų būti kultūros centrų atstovų, o tarybų sprendimai "
      "turėtų būti skelbiami viešai.",
      _text("Juodraštis: apibendriname narių pasiūlymus dėl regionų kultūros tarybų sudėties "
            "ir darbo tvarkos."),
      input_opened=-30, input_deadline=-9, input_visible=True,
      inputs=[(32, "Tarybose turi būti bent du kultūros centrų atstovai iš kiekvieno regiono."),
              (40, "Siūlome posėdžius rengti ir nuotoliniu būdu, kad dalyvautų mažesnių "
               "savivaldybių atstovai."),
              (6, "Tarybų sprendimai ir balsavimo rezultatai turėtų būti skelbiami viešai.")]),
    # Open for member input.
    T(Kind.CONSULTATION_RESPONSE,
      "Response to the draft procedure for certifying culture centres' staff", "en",
      Level.NATIONAL, ["capacity-building", "culture-policy"], Status.INPUT,
      "The Ministry proposes that culture centres' staff be certified every five years. Tell "
      "us how the draft would work in your centre before we answer.",
      _text("The draft procedure would certify artistic and managing staff of culture centres "
            "every five years, by a commission at the Ministry. Please tell us in particular: "
            "whether the requirements fit the work of your staff; how many of them would need "
            "training to meet them; and whether the commission should sit in the regions."),
      consultation="staff-certification", input_opened=-5, input_deadline=1,
      inputs=[(20, "Certification every five years is fine if the courses it asks for are "
               "free and can be taken online."),
              (32, "The commission should sit in each region: travelling to Vilnius costs our "
               "staff a day's work."),
              (43, "Please ask that experience in leading collectives count, not only "
               "diplomas.")]),
    T(Kind.CONSULTATION_RESPONSE, "Response to Kaunas city's culture strategy 2026–2030", "en",
      Level.LOCAL, ["culture-policy", "amateur-arts", "festivals"], Status.INPUT,
      "Kaunas is writing its culture strategy for the coming five years. Member centres in and "
      "around Kaunas: what should it say about amateur arts and neighbourhood culture?",
      _text("The draft strategy puts festivals and the city centre first. We would like to ask "
            "for neighbourhood culture houses, amateur collectives and the villages around the "
            "city to have their own goals and budget in it. Your examples help."),
      consultation="kaunas-strategy", input_opened=-3, input_deadline=8, input_visible=True,
      inputs=[(15, "Our collectives rehearse in four neighbourhoods; none is named in the "
               "draft. We will send a list of the halls they use."),
              (16, "The district's centres serve many Kaunas residents too: the strategy "
               "should plan joint programmes with the district.")]),
    # Drafts: only the secretariat sees them.
    T(Kind.STATEMENT, "Statement on the safety of culture centre buildings", "en",
      Level.NATIONAL, ["culture-policy"], Status.DRAFT,
      "Many culture centre buildings have not been renovated since they were built. We ask "
      "for a national survey of their condition.",
      _text("Draft, for the board's meeting.")),
    T(Kind.OPEN_LETTER, "Atviras laiškas dėl kultūros centrų filialų uždarymo", "lt",
      Level.LOCAL, ["rural-communities"], Status.DRAFT,
      "Prašome savivaldybių neuždaryti kaimo filialų, kol nėra aptartos kitos galimybės.",
      _text("Juodraštis valdybai.")),
    T(Kind.POSITION_PAPER, "Amateur arts in the EU's culture policy", "en", Level.EU,
      ["international-cooperation", "amateur-arts"], Status.DRAFT,
      "What culture centres ask of the EU's next work plan for culture.",
      _text("Outline: participation, small organisations, volunteering, rural areas.")),
]  # fmt: skip

# Councils and committees: key: name, parent institution, level, total seats, order, seats
# (delegate, role, centre number or None for the association itself, term start, term end,
# public).
CURRENT_TERM = (date(2024, 7, 1), date(2028, 6, 30))
PAST_TERM = (date(2020, 7, 1), date(2024, 6, 30))
R = Seat.Role
BODIES = {
    "culture-centres-council": (
        "Culture Centres Council", "Ministry of Culture of the Republic of Lithuania",
        Level.NATIONAL, 11, 0, [
            ("Rasa Vaitkienė", R.CHAIR, 15, *CURRENT_TERM, True),
            ("Darius Jonaitis", R.VICE_CHAIR, 20, *CURRENT_TERM, True),
            ("Laima Petkevičienė", R.MEMBER, 2, *CURRENT_TERM, True),
            ("Vytautas Balčiūnas", R.MEMBER, 32, *CURRENT_TERM, True),
            ("Asta Marcinkevičienė", R.MEMBER, 43, *CURRENT_TERM, True),
            ("Giedrius Sabaliauskas", R.MEMBER, 24, *CURRENT_TERM, True),
            ("Daiva Lukošienė", R.MEMBER, 40, *CURRENT_TERM, True),
            ("Saulius Mockus", R.MEMBER, 5, *CURRENT_TERM, True),
            ("Inga Rimkutė", R.SUBSTITUTE, 9, *CURRENT_TERM, False),
            ("Aldona Jurgaitienė", R.CHAIR, 32, *PAST_TERM, True),
            ("Rimantas Gudas", R.MEMBER, 33, *PAST_TERM, True),
            ("Vida Šimkienė", R.MEMBER, 26, *PAST_TERM, True),
        ],
    ),
    "tripartite-council-for-culture": (
        "Tripartite Council for Culture", "Government of the Republic of Lithuania",
        Level.NATIONAL, 15, 1, [
            ("Eglė Žemaitienė", R.MEMBER, None, date(2025, 1, 15), date(2027, 1, 14), True),
            ("Eglė Žemaitienė", R.MEMBER, None, date(2023, 1, 15), date(2025, 1, 14), True),
        ],
    ),
    "kaunas-city-culture-council": (
        "Kaunas City Culture Council", "Kaunas City Municipality", Level.LOCAL, 9, 2, [
            ("Tomas Vasiliauskas", R.MEMBER, 15, date(2023, 9, 1), date(2027, 8, 31), True),
            ("Jūratė Navickienė", R.MEMBER, 16, date(2023, 9, 1), date(2027, 8, 31), True),
        ],
    ),
    "eu-amateur-arts-working-group": (
        "Working group on amateur arts and participation",
        "European Commission, Directorate-General for Education, Youth, Sport and Culture",
        Level.EU, 24, 3, [
            ("Aušra Kavaliauskaitė", R.OBSERVER, None, date(2025, 3, 1), None, True),
        ],
    ),
}  # fmt: skip

SIGNATORY_NAMES = [
    # female first names, female surnames, male first names, male surnames
    ["Rasa", "Inga", "Jūratė", "Vida", "Asta", "Daiva", "Laima", "Rūta", "Eglė", "Aušra",
     "Giedrė", "Kristina"],
    ["Kazlauskienė", "Petrauskienė", "Jankauskienė", "Stankevičienė", "Žukauskienė",
     "Butkienė", "Urbonienė", "Navickienė", "Baranauskienė", "Rimkienė"],
    ["Tomas", "Mindaugas", "Darius", "Vytautas", "Saulius", "Giedrius", "Rimas", "Audrius",
     "Andrius", "Linas"],
    ["Kazlauskas", "Petrauskas", "Jankauskas", "Stankevičius", "Žukauskas", "Butkus",
     "Urbonas", "Navickas", "Baranauskas", "Rimkus"],
]  # fmt: skip
SIGNATORY_TITLES = [("Direktorė", "Direktorius"), ("Direktoriaus pavaduotoja",
                    "Direktoriaus pavaduotojas"), ("Meno vadovė", "Meno vadovas")]  # fmt: skip


def _signatory(rng):
    female = rng.random() < 0.65
    first, last = SIGNATORY_NAMES[0:2] if female else SIGNATORY_NAMES[2:4]
    title = rng.choice(SIGNATORY_TITLES)[0 if female else 1]
    return f"{rng.choice(first)} {rng.choice(last)}", title


def _at(day, hour=10):
    return datetime.combine(day, time(hour), timezone.get_default_timezone())


def _day(value, today):
    return today + timedelta(days=value) if isinstance(value, int) else value


def _live_dates(spec, today):
    """The dates of a position that follow the day the demo is loaded."""
    dates = {}
    if "input_deadline" in spec:
        dates["input_deadline"] = _at(today + timedelta(days=spec["input_deadline"]), 18)
        dates["input_opened_at"] = _at(today + timedelta(days=spec["input_opened"]), 9)
    if isinstance(spec.get("submitted"), int):
        dates["submitted_on"] = today + timedelta(days=spec["submitted"])
    return dates


@transaction.atomic
def load_demo_advocacy():
    """The demo consultations (created or updated: their dates follow the day), positions with
    their input and co-signatures, councils and seats (each added once). Returns the numbers of
    (positions, consultations, seats) added."""
    rng = random.Random(1992)  # noqa: S311 - demo data, not secrets
    today = timezone.localdate()
    topics = load_topics()
    centres = {
        int(organisation.external_id.removeprefix("demo-")): organisation
        for organisation in Organisation.objects.filter(
            external_id__in=[f"demo-{number}" for number in range(1, 51)]
        )
    }
    staff = get_user_model().objects.filter(email="staff@example.org").first()
    consultations, added_consultations = _load_consultations(today, topics)
    added_positions = 0
    inputs, endorsements = [], []
    for spec in POSITIONS:
        slug = slugify(spec["title"])
        live = _live_dates(spec, today)
        existing = Position.objects.filter(slug=slug)
        if existing.exists():
            # Keep what is open open; leave alone a position someone has moved on since.
            if live:
                existing.filter(status=spec["status"]).update(**live)
            continue
        position = _demo_position(spec, slug, consultations, live)
        position.topics.set([topics[key] for key in spec["topics"]])
        added_positions += 1
        for order, (number, text) in enumerate(spec.get("inputs", [])):
            if number in centres:
                inputs.append(
                    MemberInput(
                        position=position,
                        organisation=centres[number],
                        author=staff if number == 1 else None,
                        text=text,
                        created_at=min(
                            position.input_opened_at + timedelta(hours=5 + 13 * order),
                            timezone.now() - timedelta(hours=1),
                        ),
                    )
                )
        endorsements += _demo_endorsements(spec, position, centres, staff, rng)
    MemberInput.objects.bulk_create(inputs)
    Endorsement.objects.bulk_create(endorsements)
    added_seats = _load_bodies(centres)
    transaction.on_commit(advocacy_changed)
    return added_positions, added_consultations, added_seats


def _load_consultations(today, topics):
    consultations, added = {}, 0
    for key, spec in CONSULTATIONS.items():
        title, body, level, reference, opens, deadline, topic_keys, documents = spec
        slug = slugify(title)
        consultation, created = Consultation.objects.update_or_create(
            slug=slug,
            defaults={
                "title": title,
                "consulting_body": body,
                "level": level,
                "reference": reference,
                "url": f"https://example.org/consultations/{slug}/",
                "opens_on": _day(opens, today),
                "deadline": _day(deadline, today),
            },
        )
        added += created
        if created:
            consultation.topics.set([topics[topic] for topic in topic_keys])
        for number, document in enumerate(documents, start=1):
            ConsultationDocument.objects.get_or_create(
                consultation=consultation,
                title=document,
                defaults={"url": f"https://example.org/consultations/{slug}/{number}.pdf"},
            )
        consultations[key] = consultation
    return consultations, added


def _demo_position(spec, slug, consultations, live):
    published = spec.get("published")
    submitted = spec.get("submitted")
    fields = {
        "kind": spec["kind"],
        "title": spec["title"],
        "slug": slug,
        "summary": spec["summary"],
        "body": spec["body"],
        "language": spec["language"],
        "level": spec["level"],
        "consultation": consultations.get(spec.get("consultation")),
        "status": spec["status"],
        "input_visible_to_members": spec.get("input_visible", False),
        "submitted_on": submitted if isinstance(submitted, date) else None,
        "published_at": _at(published) if published else None,
        "signing_closed": spec.get("signing_closed", False),
        "outcome": spec.get("outcome", Outcome.PENDING),
        "outcome_note": spec.get("outcome_note", ""),
        "outcome_date": spec.get("outcome_date"),
    }
    return Position.objects.create(**fields | live)


def _demo_endorsements(spec, position, centres, staff, rng):
    candidates = sorted(centres)
    if spec.get("without_staff_centre") and 1 in centres:
        candidates.remove(1)  # the member-staff account's centre still has this one to sign
    signers = sorted(rng.sample(candidates, min(spec.get("signers", 0), len(candidates))))
    endorsements = []
    for order, number in enumerate(signers):
        name, title = _signatory(rng)
        endorsements.append(
            Endorsement(
                position=position,
                organisation=centres[number],
                signed_by=staff if number == 1 else None,
                signatory_name=name,
                signatory_title=title,
                signed_at=position.published_at + timedelta(hours=3 + 11 * order),
            )
        )
    if spec.get("withdrawn"):
        for endorsement in endorsements[-spec["withdrawn"] :]:
            endorsement.withdrawn_at = endorsement.signed_at + timedelta(days=6)
    return endorsements


def _load_bodies(centres):
    added = 0
    for slug, (name, parent, level, total, order, seats) in BODIES.items():
        body, _ = Body.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "parent_institution": parent,
                "level": level,
                "total_seats": total,
                "order": order,
                "url": f"https://example.org/councils/{slug}/",
            },
        )
        for delegate, role, number, start, end, public in seats:
            _, created = Seat.objects.get_or_create(
                body=body,
                delegate=delegate,
                term_start=start,
                defaults={
                    "role": role,
                    "organisation": centres.get(number),
                    "term_end": end,
                    "public": public,
                },
            )
            added += created
    return added


# --- Benchmark data ---------------------------------------------------------------------------

SUBJECTS = [
    "funding for amateur arts", "culture workers' pay", "the Song Celebration tradition",
    "village culture houses", "ethnic culture programmes", "the culture budget",
    "digital services of culture centres", "access to culture for people with disabilities",
    "volunteering in culture", "young people's participation in culture",
    "regional culture co-operation", "EU funding for small culture organisations",
    "heritage in rural areas", "culture centre buildings", "festivals and public events",
    "culture in schools", "the certification of culture staff", "local culture councils",
]  # fmt: skip
TITLES = {
    Kind.CONSULTATION_RESPONSE: "Response to the consultation on {subject}, {year}",
    Kind.POSITION_PAPER: "Position paper on {subject}, {year}",
    Kind.STATEMENT: "Statement on {subject}, {year}",
    Kind.OPEN_LETTER: "Open letter on {subject}, {year}",
    Kind.LEGAL_PROPOSAL: "Proposal for a legal act on {subject}, {year}",
}
PARAGRAPHS = [
    "Culture centres are often the only public place for culture in a small town: they house "
    "amateur collectives, teach children and gather seniors.",
    "Member centres answered the association's survey; their comments are summarised below and "
    "in the annex.",
    "We propose <strong>stable, multi-year funding</strong> instead of yearly projects, so that "
    "collectives can plan their rehearsals and concerts.",
    "The proposal would add work for small centres without the staff to do it; we ask for a "
    "transition period and free training.",
    "Volunteers' time should count as co-financing, and reporting should be simpler for small "
    "grants.",
    "We ask the institution to consult culture centres before deciding, and to publish how it "
    "took their comments into account.",
]
NOTES = {
    Outcome.ADOPTED: "The institution took up our proposals in full.",
    Outcome.PARTLY: "Some of our proposals were taken up; the others are still discussed.",
    Outcome.NOT_ADOPTED: "The institution did not take up our proposals.",
}
# Generated data lies before this day, whenever it is loaded.
LAST_DAY = date(2026, 6, 30)


@transaction.atomic
def load_large_positions(count, seed):
    """`count` deterministic, published positions over the generated directory of `seed`
    (seed_demo --organisations), for benchmarks: consultations for the responses, 1-2 topics,
    outcomes, 0-15 co-signing centres each and one position co-signed by 200 organisations.
    Returns the numbers of (positions, consultations, seats) added."""
    prefix = f"bench{seed}-"
    existing = Position.objects.filter(slug__startswith=prefix).count()
    if existing >= count:
        return 0, 0, 0
    if existing:
        raise ValueError(
            f"{existing} positions of seed {seed} are loaded, fewer than {count}: "
            "start from an empty database to load another size."
        )
    organisations = list(
        Organisation.objects.filter(external_id__startswith=prefix)
        .order_by("id")
        .values_list("id", "depth")
    )
    if not organisations:
        raise ValueError(f"Load the directory of seed {seed} first (--organisations).")
    rng = random.Random(seed)  # noqa: S311 - benchmark data, not secrets
    topic_ids = [topic.pk for topic in load_topics().values()]
    centres = [pk for pk, depth in organisations if depth == 0]
    consultations = _large_consultations(prefix, max(1, count // 20), rng, topic_ids)
    paragraphs = [clean_html(f"<p>{text}</p>") for text in PARAGRAPHS]
    plain = [strip_tags(text) for text in PARAGRAPHS]
    kinds, levels = list(Kind), list(Level)
    outcomes = [Outcome.PENDING] * 2 + [Outcome.ADOPTED, Outcome.PARTLY, Outcome.NOT_ADOPTED]
    positions, topics, signers = [], [], []
    for number in range(1, count + 1):
        response = rng.random() < 0.4 or number == 1
        kind = Kind.CONSULTATION_RESPONSE if response else rng.choice(kinds)
        consultation = rng.choice(consultations) if kind == Kind.CONSULTATION_RESPONSE else None
        if consultation:
            published = consultation.deadline + timedelta(days=rng.randint(-10, 20))
        else:
            published = date(2016, 1, 1) + timedelta(days=rng.randint(0, 3800))
        published = min(published, LAST_DAY)
        title = TITLES[kind].format(subject=rng.choice(SUBJECTS), year=published.year)
        outcome = rng.choice(outcomes)
        decided = min(published + timedelta(days=rng.randint(30, 300)), LAST_DAY)
        positions.append(
            Position(
                kind=kind,
                title=title,
                slug=f"{prefix}{slugify(title)[:200]}-{number}",
                summary=f"{rng.choice(plain[0::2])} {rng.choice(plain[1::2])}",
                body="".join(rng.sample(paragraphs, 3)),
                language="en",
                level=consultation.level if consultation else rng.choice(levels),
                consultation=consultation,
                status=Status.PUBLISHED,
                submitted_on=published if consultation else None,
                published_at=_at(published, rng.randint(8, 17)),
                signing_closed=published.year < 2024,
                outcome=outcome,
                outcome_note=NOTES.get(outcome, ""),
                outcome_date=decided if outcome != Outcome.PENDING else None,
            )
        )
        topics += [(number - 1, pk) for pk in rng.sample(topic_ids, rng.randint(1, 2))]
        # One position (the first response) gathers 200 co-signers from anywhere in the
        # directory; the others a few centres.
        many = number == 1
        pool = [pk for pk, _depth in organisations] if many else centres
        size = min(200, len(pool)) if many else min(rng.randint(0, 15), len(pool))
        signers += [(number - 1, pk) for pk in rng.sample(pool, size)]
    Position.objects.bulk_create(positions, BATCH)  # without save(): no search vectors yet
    ids = [position.pk for position in positions]
    for start in range(0, len(ids), BATCH):
        refresh_position_search(ids[start : start + BATCH])
    through = Position.topics.through
    through.objects.bulk_create(
        [through(position_id=positions[index].pk, topic_id=pk) for index, pk in topics], BATCH
    )
    endorsements = []
    for order, (index, organisation_id) in enumerate(signers):
        name, title = _signatory(rng)
        endorsements.append(
            Endorsement(
                position_id=positions[index].pk,
                organisation_id=organisation_id,
                signatory_name=name,
                signatory_title=title,
                signed_at=positions[index].published_at + timedelta(minutes=7 * (order % 500)),
            )
        )
    Endorsement.objects.bulk_create(endorsements, BATCH)
    transaction.on_commit(advocacy_changed)
    return len(positions), len(consultations), 0


def _large_consultations(prefix, count, rng, topic_ids):
    bodies = [
        ("Ministry of Culture of the Republic of Lithuania", Level.NATIONAL),
        ("Committee on Culture of the Seimas", Level.NATIONAL),
        ("Vilnius City Municipality", Level.LOCAL),
        ("Šiauliai Region Development Council", Level.REGIONAL),
        ("European Commission", Level.EU),
        ("Council of Europe", Level.INTERNATIONAL),
    ]
    consultations = []
    for number in range(1, count + 1):
        body, level = rng.choice(bodies)
        deadline = date(2016, 1, 1) + timedelta(days=rng.randint(30, 3800))
        subject = rng.choice(SUBJECTS)
        consultations.append(
            Consultation(
                title=f"Consultation on {subject}",
                slug=f"{prefix}{slugify(subject)}-{number}",
                consulting_body=body,
                level=level,
                reference=f"{deadline.year}-{number:04d}",
                url=f"https://example.org/consultations/{number}/",
                opens_on=deadline - timedelta(days=rng.randint(14, 60)),
                deadline=deadline,
            )
        )
    Consultation.objects.bulk_create(consultations, BATCH)
    through = Consultation.topics.through
    through.objects.bulk_create(
        [
            through(consultation_id=consultation.pk, topic_id=rng.choice(topic_ids))
            for consultation in consultations
        ],
        BATCH,
    )
    return consultations
