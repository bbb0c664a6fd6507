"""The demo association: its texts, in every language the portal speaks (used by `seed_demo`).

A fictional national association of culture centres; none of it describes a real organisation.
"""

from datetime import datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from .models import Affiliation, AssociationProfile, NewsPost, SitePage, Topic, User

ACCOUNTS = [
    # email, password, name, secretariat?
    ("secretariat@example.org", "demo-secretariat", "Rasa Secretariat", True),
    ("staff@example.org", "demo-member-staff", "Tomas Member", False),
]

PROFILE = {
    "name_en": "National Association of Culture Centres",
    "name_lt": "Nacionalinė kultūros centrų asociacija",
    "name_sl": "Nacionalno združenje kulturnih centrov",
    "name_sv": "Nationella föreningen för kulturhus",
    # The demo secretariat signs in with a password alone; a real association keeps the default.
    "secretariat_requires_mfa": False,
    "short_name_en": "NACC",
    "short_name_lt": "NKCA",
    "short_name_sl": "NZKC",
    "short_name_sv": "NFK",
    "founding_year": 2003,
    "registration_code": "300123456",
    "vision_en": (
        "Every town and village has a living culture centre where people of all ages make "
        "music, dance, theatre and crafts together, and where culture workers are valued "
        "professionals."
    ),
    "vision_lt": (
        "Kiekviename mieste ir kaime veikia gyvas kultūros centras, kuriame įvairaus amžiaus "
        "žmonės kartu kuria muziką, šokį, teatrą ir amatus, o kultūros darbuotojai vertinami "
        "kaip profesionalai."
    ),
    "vision_sl": (
        "V vsakem mestu in vasi deluje živ kulturni center, kjer ljudje vseh starosti skupaj "
        "ustvarjajo glasbo, ples, gledališče in rokodelstvo, kulturni delavci pa so cenjeni "
        "strokovnjaki."
    ),
    "vision_sv": (
        "Varje stad och by har ett levande kulturhus där människor i alla åldrar skapar musik, "
        "dans, teater och hantverk tillsammans, och där kulturarbetare värdesätts som "
        "yrkespersoner."
    ),
    "mission_en": (
        "We bring the country's culture centres together to speak with one voice in cultural "
        "policy, to learn from each other and to make amateur art available to everyone."
    ),
    "mission_lt": (
        "Vienijame šalies kultūros centrus, kad jie kalbėtų vienu balsu kultūros politikoje, "
        "mokytųsi vieni iš kitų ir darytų mėgėjų meną prieinamą visiems."
    ),
    "mission_sl": (
        "Povezujemo kulturne centre v državi, da v kulturni politiki govorijo z enim glasom, "
        "se učijo drug od drugega in ljubiteljsko umetnost približajo vsem."
    ),
    "mission_sv": (
        "Vi samlar landets kulturhus för att tala med en röst i kulturpolitiken, lära av "
        "varandra och göra amatörkulturen tillgänglig för alla."
    ),
    "values_en": "Professionalism\nOpenness to new ideas\nCo-operation\nRespect for tradition",
    "values_lt": "Profesionalumas\nAtvirumas naujovėms\nBendradarbiavimas\nPagarba tradicijai",
    "values_sl": "Strokovnost\nOdprtost za nove zamisli\nSodelovanje\nSpoštovanje tradicije",
    "values_sv": "Professionalitet\nÖppenhet för nya idéer\nSamarbete\nRespekt för traditionen",
    "goals_en": (
        "Represent culture centres towards the government, parliament and municipalities\n"
        "Improve the legal and financial basis of culture centres' work\n"
        "Raise the qualifications and social security of culture workers\n"
        "Make the work of culture centres visible at home and abroad"
    ),
    "goals_lt": (
        "Atstovauti kultūros centrams Vyriausybėje, Seime ir savivaldybėse\n"
        "Gerinti kultūros centrų veiklos teisinį ir finansinį pagrindą\n"
        "Kelti kultūros darbuotojų kvalifikaciją ir socialines garantijas\n"
        "Garsinti kultūros centrų veiklą Lietuvoje ir užsienyje"
    ),
    "goals_sl": (
        "Zastopati kulturne centre pri vladi, parlamentu in občinah\n"
        "Izboljšati pravno in finančno podlago delovanja kulturnih centrov\n"
        "Krepiti usposobljenost in socialno varnost kulturnih delavcev\n"
        "Predstavljati delo kulturnih centrov doma in v tujini"
    ),
    "goals_sv": (
        "Företräda kulturhusen gentemot regeringen, riksdagen och kommunerna\n"
        "Förbättra de rättsliga och ekonomiska förutsättningarna för kulturhusens arbete\n"
        "Höja kulturarbetarnas kompetens och sociala trygghet\n"
        "Synliggöra kulturhusens arbete i landet och utomlands"
    ),
    "activities_en": (
        "Consultation responses and draft legal acts\n"
        "Delegates in national councils and committees\n"
        "Trainings and professional development\n"
        "National and international projects\n"
        "Festivals and meetings of amateur art collectives\n"
        "A directory of centres, branches and collectives"
    ),
    "activities_lt": (
        "Pasiūlymai teisės aktų projektams ir konsultacijoms\n"
        "Atstovai nacionalinėse tarybose ir komitetuose\n"
        "Mokymai ir kvalifikacijos kėlimas\n"
        "Nacionaliniai ir tarptautiniai projektai\n"
        "Mėgėjų meno kolektyvų festivaliai ir susitikimai\n"
        "Centrų, filialų ir kolektyvų katalogas"
    ),
    "activities_sl": (
        "Odzivi na javna posvetovanja in predlogi zakonodaje\n"
        "Predstavniki v nacionalnih svetih in odborih\n"
        "Usposabljanja in strokovno izpopolnjevanje\n"
        "Nacionalni in mednarodni projekti\n"
        "Festivali in srečanja ljubiteljskih skupin\n"
        "Imenik centrov, podružnic in skupin"
    ),
    "activities_sv": (
        "Remissvar och förslag till författningar\n"
        "Ledamöter i nationella råd och kommittéer\n"
        "Utbildningar och kompetensutveckling\n"
        "Nationella och internationella projekt\n"
        "Festivaler och träffar för amatörkulturgrupper\n"
        "En katalog över kulturhus, filialer och grupper"
    ),
    "address": "Kultūros g. 12\nLT-01100 Vilnius\nLithuania",
    "email": "info@example.org",
    "phone": "+370 5 200 0000",
    "website": "https://example.org/",
}

AFFILIATIONS = [
    {
        "en": "European network of culture centres",
        "lt": "Europos kultūros centrų tinklas",
        "sl": "Evropska mreža kulturnih centrov",
        "sv": "Europeiskt nätverk för kulturhus",
    },
    {
        "en": "National council of creative unions",
        "lt": "Nacionalinė kūrybinių sąjungų taryba",
        "sl": "Nacionalni svet ustvarjalnih zvez",
        "sv": "Nationella rådet för konstnärliga förbund",
    },
]

_ACCESSIBILITY_EN = """
<p>The National Association of Culture Centres wants this portal to be usable by everyone. This
statement applies to the whole portal and follows the EU Web Accessibility Directive
(2016/2102).</p>
<h2>Compliance status</h2>
<p>The portal aims to conform with WCAG 2.2 at level AA. Its pages are tested automatically with
axe-core and by hand with a keyboard and a screen reader.</p>
<h2>Content that is not accessible</h2>
<ul>
<li>Documents in PDF that member organisations upload may lack tags or text alternatives.</li>
<li>Maps show locations that are also given as addresses in the text.</li>
</ul>
<h2>Feedback and contact</h2>
<p>If something on the portal is hard to use, write to
<a href="mailto:info@example.org">info@example.org</a>. We answer within 10 working days.</p>
<h2>Enforcement</h2>
<p>If our answer does not satisfy you, you may turn to the national body that monitors the
accessibility of public websites.</p>
<h2>Preparation of this statement</h2>
<p>This statement was prepared on 1 November 2026 from a self-assessment.</p>
"""

_ACCESSIBILITY_LT = """
<p>Nacionalinė kultūros centrų asociacija siekia, kad šiuo portalu galėtų naudotis visi. Šis
pareiškimas taikomas visam portalui ir parengtas pagal ES interneto prieinamumo direktyvą
(2016/2102).</p>
<h2>Atitikties būsena</h2>
<p>Portalas siekia atitikti WCAG 2.2 AA lygio reikalavimus. Puslapiai tikrinami automatiškai
įrankiu axe-core ir rankiniu būdu – klaviatūra ir ekrano skaitytuvu.</p>
<h2>Neprieinamas turinys</h2>
<ul>
<li>Narių įkeltuose PDF dokumentuose gali trūkti žymų ar tekstinių alternatyvų.</li>
<li>Žemėlapiuose rodomos vietos tekste nurodytos ir adresais.</li>
</ul>
<h2>Atsiliepimai ir kontaktai</h2>
<p>Jei kuria nors portalo dalimi naudotis sunku, rašykite
<a href="mailto:info@example.org">info@example.org</a>. Atsakome per 10 darbo dienų.</p>
<h2>Vykdymo užtikrinimas</h2>
<p>Jei mūsų atsakymas jūsų netenkina, galite kreiptis į nacionalinę instituciją, prižiūrinčią
viešųjų interneto svetainių prieinamumą.</p>
<h2>Pareiškimo parengimas</h2>
<p>Pareiškimas parengtas 2026 m. lapkričio 1 d., remiantis savęs vertinimu.</p>
"""

_ACCESSIBILITY_SL = """
<p>Nacionalno združenje kulturnih centrov želi, da bi portal lahko uporabljal vsakdo. Izjava velja
za celoten portal in sledi evropski direktivi o dostopnosti spletišč (2016/2102).</p>
<h2>Stopnja skladnosti</h2>
<p>Portal si prizadeva za skladnost s smernicami WCAG 2.2 na ravni AA. Strani preverjamo
samodejno z orodjem axe-core in ročno s tipkovnico ter bralnikom zaslona.</p>
<h2>Nedostopna vsebina</h2>
<ul>
<li>Dokumenti PDF, ki jih naložijo članice, morda nimajo oznak ali besedilnih nadomestil.</li>
<li>Lokacije na zemljevidih so v besedilu navedene tudi z naslovi.</li>
</ul>
<h2>Povratne informacije in kontakt</h2>
<p>Če je kateri del portala težko uporabiti, pišite na
<a href="mailto:info@example.org">info@example.org</a>. Odgovorimo v 10 delovnih dneh.</p>
<h2>Izvršba</h2>
<p>Če z odgovorom niste zadovoljni, se lahko obrnete na nacionalni organ, ki nadzoruje
dostopnost javnih spletišč.</p>
<h2>Priprava izjave</h2>
<p>Izjava je bila pripravljena 1. novembra 2026 na podlagi samoocene.</p>
"""

_ACCESSIBILITY_SV = """
<p>Nationella föreningen för kulturhus vill att alla ska kunna använda den här portalen.
Redogörelsen gäller hela portalen och följer EU:s webbtillgänglighetsdirektiv (2016/2102).</p>
<h2>Hur tillgänglig är portalen?</h2>
<p>Portalen strävar efter att uppfylla WCAG 2.2 på nivå AA. Sidorna testas automatiskt med
axe-core och manuellt med tangentbord och skärmläsare.</p>
<h2>Innehåll som inte är tillgängligt</h2>
<ul>
<li>PDF-dokument som medlemsorganisationer laddar upp kan sakna taggar eller textalternativ.</li>
<li>Platser på kartor anges också som adresser i texten.</li>
</ul>
<h2>Återkoppling och kontakt</h2>
<p>Om något i portalen är svårt att använda, skriv till
<a href="mailto:info@example.org">info@example.org</a>. Vi svarar inom 10 arbetsdagar.</p>
<h2>Tillsyn</h2>
<p>Om du inte är nöjd med vårt svar kan du vända dig till den nationella myndighet som har
tillsyn över tillgängligheten på offentliga webbplatser.</p>
<h2>Hur vi testat</h2>
<p>Redogörelsen upprättades den 1 november 2026 utifrån en självskattning.</p>
"""

_PRIVACY_EN = """
<p>This notice explains what personal data the portal keeps, why, and what your rights are under
the General Data Protection Regulation (GDPR).</p>
<h2>Who is responsible</h2>
<p>The National Association of Culture Centres, Kultūros g. 12, Vilnius, is the controller.
Contact: <a href="mailto:info@example.org">info@example.org</a>.</p>
<h2>What we keep and why</h2>
<ul>
<li><strong>Accounts of member staff and the secretariat</strong>: name, email address and sign-in
records, so that you can keep your organisation's information up to date.</li>
<li><strong>Public contact persons</strong> of member organisations: shown only with their
consent.</li>
<li><strong>Newsletter subscribers</strong>: email address, language and interests, with the
record of your consent.</li>
</ul>
<h2>How long</h2>
<p>Account data is kept while you hold a role in a member organisation and deleted within a year
after. Subscriber data is deleted when you unsubscribe, except the address on the suppression
list that keeps us from writing to you again.</p>
<h2>Your rights</h2>
<p>You may ask for a copy of your data, its correction or its erasure, and object to its use.
You may also complain to the national data protection authority.</p>
<h2>Cookies</h2>
<p>The portal sets only the cookies it needs to work: a session cookie when you sign in, a
security cookie for forms and one that remembers your language. It uses no analytics or
advertising cookies.</p>
"""

_PRIVACY_LT = """
<p>Šiame pranešime paaiškinama, kokius asmens duomenis portalas saugo, kodėl, ir kokias teises
jums suteikia Bendrasis duomenų apsaugos reglamentas (BDAR).</p>
<h2>Kas atsakingas</h2>
<p>Duomenų valdytoja – Nacionalinė kultūros centrų asociacija, Kultūros g. 12, Vilnius.
Kontaktai: <a href="mailto:info@example.org">info@example.org</a>.</p>
<h2>Ką saugome ir kodėl</h2>
<ul>
<li><strong>Narių darbuotojų ir sekretoriato paskyros</strong>: vardas, el. pašto adresas ir
prisijungimų įrašai, kad galėtumėte atnaujinti savo organizacijos informaciją.</li>
<li><strong>Narių kontaktiniai asmenys</strong>: rodomi tik gavus jų sutikimą.</li>
<li><strong>Naujienlaiškio prenumeratoriai</strong>: el. pašto adresas, kalba ir domėjimosi
sritys bei sutikimo įrašas.</li>
</ul>
<h2>Kiek laiko</h2>
<p>Paskyros duomenys saugomi, kol einate pareigas narės organizacijoje, ir ištrinami per metus
po to. Prenumeratoriaus duomenys ištrinami atsisakius prenumeratos, išskyrus adresą draudžiamųjų
sąraše, kad daugiau jums nerašytume.</p>
<h2>Jūsų teisės</h2>
<p>Galite prašyti savo duomenų kopijos, jų ištaisymo ar ištrynimo ir nesutikti, kad jie būtų
naudojami. Taip pat galite pateikti skundą Valstybinei duomenų apsaugos inspekcijai.</p>
<h2>Slapukai</h2>
<p>Portalas naudoja tik veikimui būtinus slapukus: sesijos slapuką prisijungus, formų saugos
slapuką ir kalbos pasirinkimą įsimenantį slapuką. Analitikos ar reklamos slapukų nenaudojame.</p>
"""

_PRIVACY_SL = """
<p>To obvestilo pojasnjuje, katere osebne podatke portal hrani, zakaj, in katere pravice vam daje
Splošna uredba o varstvu podatkov (GDPR).</p>
<h2>Kdo je odgovoren</h2>
<p>Upravljavec je Nacionalno združenje kulturnih centrov, Kultūros g. 12, Vilna.
Kontakt: <a href="mailto:info@example.org">info@example.org</a>.</p>
<h2>Kaj hranimo in zakaj</h2>
<ul>
<li><strong>Računi zaposlenih pri članicah in sekretariata</strong>: ime, e-poštni naslov in
zapisi o prijavah, da lahko posodabljate podatke svoje organizacije.</li>
<li><strong>Kontaktne osebe članic</strong>: prikazane samo z njihovim soglasjem.</li>
<li><strong>Naročniki na novice</strong>: e-poštni naslov, jezik in področja zanimanja, skupaj z
zapisom o soglasju.</li>
</ul>
<h2>Kako dolgo</h2>
<p>Podatke o računu hranimo, dokler imate vlogo v članici, in jih izbrišemo v enem letu po tem.
Podatke naročnika izbrišemo ob odjavi, razen naslova na seznamu blokiranih, ki preprečuje, da bi
vam znova pisali.</p>
<h2>Vaše pravice</h2>
<p>Zahtevate lahko kopijo svojih podatkov, njihov popravek ali izbris in ugovarjate njihovi
uporabi. Pritožbo lahko vložite tudi pri nacionalnem nadzornem organu za varstvo podatkov.</p>
<h2>Piškotki</h2>
<p>Portal uporablja le piškotke, nujne za delovanje: sejni piškotek ob prijavi, varnostni
piškotek za obrazce in piškotek, ki si zapomni vaš jezik. Analitičnih ali oglaševalskih piškotkov
ne uporablja.</p>
"""

_PRIVACY_SV = """
<p>Här förklarar vi vilka personuppgifter portalen sparar, varför, och vilka rättigheter du har
enligt dataskyddsförordningen (GDPR).</p>
<h2>Personuppgiftsansvarig</h2>
<p>Nationella föreningen för kulturhus, Kultūros g. 12, Vilnius, är personuppgiftsansvarig.
Kontakt: <a href="mailto:info@example.org">info@example.org</a>.</p>
<h2>Vad vi sparar och varför</h2>
<ul>
<li><strong>Konton för medlemmarnas personal och kansliet</strong>: namn, e-postadress och
inloggningar, så att du kan hålla din organisations uppgifter aktuella.</li>
<li><strong>Medlemsorganisationernas kontaktpersoner</strong>: visas bara med deras
samtycke.</li>
<li><strong>Nyhetsbrevsprenumeranter</strong>: e-postadress, språk och intressen, med uppgift om
ditt samtycke.</li>
</ul>
<h2>Hur länge</h2>
<p>Kontouppgifter sparas så länge du har en roll i en medlemsorganisation och raderas inom ett år
därefter. Prenumerantuppgifter raderas när du avslutar prenumerationen, utom adressen på
spärrlistan som hindrar oss från att skriva till dig igen.</p>
<h2>Dina rättigheter</h2>
<p>Du kan begära en kopia av dina uppgifter, rättelse eller radering och invända mot att de
används. Du kan också klaga hos Integritetsskyddsmyndigheten.</p>
<h2>Kakor</h2>
<p>Portalen använder bara kakor som behövs för att den ska fungera: en sessionskaka när du
loggar in, en säkerhetskaka för formulär och en som minns ditt språk. Inga analys- eller
reklamkakor.</p>
"""

PAGES = {
    "accessibility": {
        "en": ("Accessibility statement", _ACCESSIBILITY_EN),
        "lt": ("Prieinamumo pareiškimas", _ACCESSIBILITY_LT),
        "sl": ("Izjava o dostopnosti", _ACCESSIBILITY_SL),
        "sv": ("Tillgänglighetsredogörelse", _ACCESSIBILITY_SV),
    },
    "privacy": {
        "en": ("Privacy notice", _PRIVACY_EN),
        "lt": ("Privatumo pranešimas", _PRIVACY_LT),
        "sl": ("Obvestilo o zasebnosti", _PRIVACY_SL),
        "sv": ("Integritetspolicy", _PRIVACY_SV),
    },
}


def load_association():
    """The demo profile, pages and accounts, created or updated in place."""
    load_profile()
    load_pages()
    load_accounts()


def load_profile():
    profile = AssociationProfile.load()
    for field, value in PROFILE.items():
        setattr(profile, field, value)
    profile.save()
    for order, names in enumerate(AFFILIATIONS):
        Affiliation.objects.update_or_create(
            profile=profile,
            name_en=names["en"],
            defaults={"order": order} | {f"name_{code}": name for code, name in names.items()},
        )


def load_pages():
    for kind, texts in PAGES.items():
        page = SitePage.objects.get(kind=kind)
        for code, (title, body) in texts.items():
            setattr(page, f"title_{code}", title)
            setattr(page, f"body_{code}", body)
        page.save()


def load_accounts():
    secretariat = Group.objects.get(name="Secretariat")
    for email, password, name, is_secretariat in ACCOUNTS:
        user, _created = User.objects.update_or_create(
            email=email, defaults={"name": name, "is_staff": is_secretariat}
        )
        user.set_password(password)
        user.save()
        if is_secretariat:
            user.groups.add(secretariat)
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )


# --- News -------------------------------------------------------------------------------------


def _paragraphs(*texts):
    return "".join(f"<p>{text}</p>" for text in texts)


def N(slug, title, language, days, status, topics, lead, body, **related):
    """One demo news post: published `days` before today (after today when scheduled), with
    topics by slug and related `organisations` (demo external ids), `projects` and `positions`
    (slugs)."""
    spec = {"slug": slug, "title": title, "language": language, "days": days, "status": status,
            "topics": topics, "lead": lead, "body": body}  # fmt: skip
    return spec | related


PUBLISHED, SCHEDULED, DRAFT = (NewsPost.Status.PUBLISHED, NewsPost.Status.SCHEDULED,
                               NewsPost.Status.DRAFT)  # fmt: skip

NEWS = [
    N("regional-coordinators-for-ethnic-culture",
      "Every region gets a coordinator for ethnic culture", "en", 3, PUBLISHED,
      ["intangible-heritage", "culture-policy"],
      "The amendments to the Law on the State Protection of Ethnic Culture name a coordinator "
      "for ethnic culture in every region, as we proposed. The separate budget line for culture "
      "centres' ethnic culture programmes is still to come.",
      _paragraphs(
          "Eighteen member centres co-signed our response to the draft amendments, and forty-one "
          "answered the survey behind it. One of our three proposals is now law: every region "
          "will have a coordinator for ethnic culture who works with the regional ethnic "
          "culture council and with the culture centres that keep folk ensembles, storytellers' "
          "clubs and calendar feasts alive.",
          "The other two proposals were not taken up. Culture centres are still not named as "
          "partners of the regional councils, and their ethnic culture programmes still compete "
          "with one-off events for the same money. The Ministry of Culture has promised to come "
          "back to a separate budget line with the next state budget; we will hold it to that.",
          "Member centres that want to meet their region's coordinator can write to the "
          "secretariat: we are gathering contacts for the first regional meetings."),
      positions=["response-to-the-draft-amendments-to-the-law-on-the-state-protection-of-"
                 "ethnic-culture"]),
    N("first-graduates-of-the-rural-volunteers-academy",
      "First graduates of the Rural volunteers' academy", "en", 8, PUBLISHED,
      ["rural-communities", "capacity-building"],
      "Twenty-six volunteers from village branches in Rokiškis, Ignalina and Šilalė districts "
      "finished the first round of the academy: event planning, first aid, working with "
      "children and writing a small grant application.",
      _paragraphs(
          "Most village branches of culture centres have one member of staff, often part-time. "
          "What happens there depends on volunteers, and volunteers rarely get any training. "
          "The academy, which we run with three member centres, changes that.",
          "Over four weekends the first group learnt to plan an event from the budget to the "
          "last chair, to give first aid, to work safely with children and to write an "
          "application to a small grants programme. Three of their applications have already "
          "been sent.",
          "The second round starts in spring in Šilalė. Member centres can propose volunteers "
          "from their branches until the end of the month."),
      organisations=["demo-40", "demo-9", "demo-45"], projects=["rural-volunteers-academy"]),
    N("atviras-laiskas-europos-parlamento-nariams",
      "24 kultūros centrai pasirašė atvirą laišką Europos Parlamento nariams", "lt", 13,
      PUBLISHED, ["international-cooperation", "culture-policy"],
      "Kartu su kultūros organizacijomis visoje Europoje prašome, kad kitoje ilgalaikėje ES "
      "biudžeto programoje kultūra išliktų atskira sritis ir kad dalis lėšų būtų skirta "
      "mažoms organizacijoms.",
      _paragraphs(
          "Mažų miestų ir kaimų kultūros centrams Europos bendradarbiavimo projektai yra būdas "
          "mokytis, keistis patirtimi ir būti matomiems. Tačiau šiandien mažas projektas "
          "reikalauja tiek pat dokumentų kaip ir didelis.",
          "Laiške prašome išsaugoti kultūros biudžetą ne mažesnį nei dabar ir dalį jo skirti "
          "mažoms organizacijoms su paprastesnėmis taisyklėmis. Laišką pasirašė 24 asociacijos "
          "nariai.",
          "Laiško tekstą ir pasirašiusiųjų sąrašą rasite pozicijos puslapyje."),
      positions=["open-letter-to-members-of-the-european-parliament-on-culture-in-the-next-eu-"
                 "budget"], projects=["culture-centres-voice-in-europe-network-study-visits"]),
    N("open-doors-in-panevezys",
      "Open doors in Panevėžys: participatory art in community centres", "en", 21, PUBLISHED,
      ["amateur-arts", "international-cooperation"],
      "Neighbours wrote the play, built the set and sold the tickets: the first performance of "
      "the Open doors project filled the Panevėžys culture centre's hall twice.",
      _paragraphs(
          "Open doors, led by Panevėžys city culture centre with partners in three countries, "
          "asks people who do not usually come to a culture centre to make art there. In "
          "Panevėžys that meant a play about the neighbourhood, written in six evening "
          "workshops by people aged 9 to 81.",
          "The next stop is Panevėžys district, where the project's partners from abroad will "
          "spend a week working with the district's community centres."),
      organisations=["demo-32", "demo-33"],
      projects=["open-doors-participatory-art-in-community-centres"]),
    N("alytaus-scenos-prieinamesnes",
      "Alytaus scenos tampa prieinamesnės visiems", "lt", 34, PUBLISHED,
      ["amateur-arts", "capacity-building"],
      "Alytaus miesto kultūros centre įrengta indukcinė kilpa, o rudenį vyks pirmieji "
      "pritaikyti spektakliai žmonėms, kuriems įprastas renginys per garsus ar per ilgas.",
      _paragraphs(
          "Projektas „Prieinamos scenos Alytuje“ įpusėjo: salėje įrengta indukcinė kilpa, prie "
          "scenos – pandusas, o renginių programos leidžiamos ir lengvai suprantama kalba.",
          "Kartu su Alytaus rajono kultūros centru mokomės rengti pritaikytus spektaklius: "
          "tylesnius, su šviesa salėje ir galimybe bet kada išeiti. Patirtimi pasidalinsime su "
          "visais asociacijos nariais."),
      organisations=["demo-2", "demo-3"], projects=["accessible-stages-in-alytus"]),
    N("statement-on-municipal-culture-budgets-a-year-on",
      "Municipal culture budgets, a year after our statement", "en", 55, PUBLISHED,
      ["culture-policy", "rural-communities"],
      "Two municipalities restored part of their culture centres' funding; most kept the cuts. "
      "What we learnt, and what we ask of next year's budgets.",
      _paragraphs(
          "Fourteen member centres co-signed our statement on the cuts to municipal culture "
          "budgets. A year on, two municipal councils have given back part of what they took, "
          "in both cases after their culture centres showed how many collectives, children and "
          "seniors the cuts would reach.",
          "That is the lesson we take into the next budget round: figures from the centres "
          "themselves, brought to councillors early. The secretariat has prepared a short "
          "template for it, which member staff can find in their portal."),
      positions=["statement-on-the-cuts-to-municipal-culture-budgets"]),
    N("annual-meeting-of-members",
      "Annual meeting of members: agenda and registration", "en", -6, SCHEDULED,
      ["culture-policy", "capacity-building"],
      "The association's annual meeting takes place in Kaunas city culture centre. On the "
      "agenda: the year's report, the budget, and our priorities for the next state budget.",
      _paragraphs(
          "Each member organisation has one vote and may bring two people. The meeting begins "
          "at 10:00 with the board's report, followed by the budget and the election of two "
          "board members.",
          "In the afternoon, working groups prepare our proposals for the next state budget: "
          "salaries of culture workers, the buildings programme and ethnic culture."),
      organisations=["demo-15"]),
    N("culture-centres-in-numbers-2025-first-results",
      "Culture centres in numbers 2025: first results", "en", 0, DRAFT, ["culture-policy"],
      "A first look at this year's survey of member centres: staff, buildings, funding and "
      "audiences.",
      _paragraphs(
          "Draft for the board: the figures below are not final until every centre has "
          "answered."),
      projects=["culture-centres-in-numbers-2024"]),
]  # fmt: skip


def load_news():
    """The demo news, each post added once (by its slug), with the topics, organisations,
    projects and positions that exist; a scheduled post still waiting is moved so that it
    stays ahead. Returns how many posts were added."""
    from advocacy.models import Position
    from members.models import Organisation
    from projects.models import Project

    from .news import news_changed

    now = timezone.now()
    morning = datetime.combine(
        timezone.localdate(now), time(9), tzinfo=timezone.get_current_timezone()
    )
    existing = set(
        NewsPost.objects.filter(slug__in=[spec["slug"] for spec in NEWS]).values_list(
            "slug", flat=True
        )
    )
    added = 0
    for spec in NEWS:
        when = morning - timedelta(days=spec["days"])
        if spec["slug"] in existing:
            # Keep the scheduled post ahead; an update sends no signal, so say so.
            passed = NewsPost.objects.filter(
                slug=spec["slug"], status=SCHEDULED, published_at__lte=now
            )
            if spec["status"] == SCHEDULED and passed.update(published_at=when):
                transaction.on_commit(news_changed)
            continue
        post = NewsPost.objects.create(
            slug=spec["slug"], title=spec["title"], lead=spec["lead"], body=spec["body"],
            language=spec["language"], status=spec["status"], published_at=when,
        )  # fmt: skip
        post.topics.set(Topic.objects.filter(slug__in=spec["topics"]))
        post.organisations.set(
            Organisation.objects.filter(external_id__in=spec.get("organisations", []))
        )
        post.projects.set(Project.objects.filter(slug__in=spec.get("projects", [])))
        post.positions.set(Position.objects.filter(slug__in=spec.get("positions", [])))
        added += 1
    return added


# email, name, language, topics: people who subscribed through the form.
SUBSCRIBERS = [
    ("ona.reader@example.org", "Ona", "lt", ["culture-policy"]),
    ("jonas.reader@example.org", "Jonas", "lt", []),
    ("maja.reader@example.org", "Maja", "sl", []),
    ("erik.reader@example.org", "Erik", "sv", ["culture-policy"]),
    ("alex.reader@example.org", "Alex", "en", []),
]


def load_newsletter():
    """Demo subscribers (confirmed, with their consent recorded), a newsletter sent last month
    (in the public archive) and two drafts for the secretariat to send: one to subscribers, one
    to member staff. Each is added once. Returns how many subscribers were added."""
    from .campaigns import campaign_render
    from .models import Campaign, ConsentRecord, Delivery, Subscriber
    from .subscriptions import CONSENT_TEXT_VERSION, SUBSCRIBE_FORM

    now = timezone.now()
    added = 0
    for email, name, language, topics in SUBSCRIBERS:
        subscriber, created = Subscriber.objects.get_or_create(
            email=email,
            defaults={
                "name": name,
                "language": language,
                "status": Subscriber.Status.CONFIRMED,
                "confirmed_at": now - timedelta(days=60),
            },
        )
        if created:
            subscriber.topics.set(Topic.objects.filter(slug__in=topics))
            ConsentRecord.objects.create(
                subscriber=subscriber,
                given_at=subscriber.confirmed_at,
                form=SUBSCRIBE_FORM,
                text_version=CONSENT_TEXT_VERSION,
            )
            added += 1
    if not Campaign.objects.exists():
        sent = Campaign.objects.create(
            subject="October news from the association",
            preheader="The autumn forum, new funding calls and a position open for your input",
            intro="Dear friends of culture centres,\n\nHere is what happened in October and "
            "what is coming up. Thank you for reading.",
            language="en",
        )
        sent.html, sent.text = campaign_render(sent)
        sent.status = Campaign.Status.FINISHED
        sent.started_at = now - timedelta(days=30)
        sent.finished_at = sent.started_at + timedelta(minutes=2)
        sent.save()
        Delivery.objects.bulk_create(
            Delivery(
                campaign=sent,
                subscriber=subscriber,
                email=subscriber.email,
                status=Delivery.Status.SENT,
                attempts=1,
                sent_at=sent.finished_at,
            )
            for subscriber in Subscriber.objects.filter(language="en")
        )
        Campaign.objects.create(
            subject="November news from the association",
            preheader="Latest news, positions open for input and calls closing soon",
            intro="Dear friends of culture centres,\n\nThe year's last forum is behind us; "
            "here is what members asked us to share.",
        )
        Campaign.objects.create(
            subject="For member centres: annual figures are due",
            intro="Dear colleagues,\n\nPlease enter your centre's figures for this year on the "
            "portal before 15 January. The secretariat is glad to help.",
            audience=Campaign.Audience.STAFF,
            include_news=False,
        )
    return added
