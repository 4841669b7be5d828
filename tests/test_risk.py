"""Risk flags and redaction: every patient-information kind, the organization's own contacts, claims, tone."""

import dataclasses
import re

import pytest

from pipelines.analytics import risk
from pipelines.analytics.risk import PHI_KINDS, PLACEHOLDERS, RISK_VERSION, Risk, assess, redact


def seeded_parts(value: str) -> list[str]:
    """The value itself, and each run of three or more digits in it: none may survive redaction."""
    return [value, *re.findall(r"\d{3,}", value)]


def assert_hidden(result: Risk, secrets: list[str]) -> None:
    assert result.redacted is not None
    for secret in secrets:
        assert secret not in result.redacted, secret
        for reason in result.reasons:
            assert secret not in reason, (secret, reason)


# (text, kind, reason wording, values that must disappear, placeholder expected in the redacted text)
PHI_CASES = [
    # phone numbers with patient wording nearby
    ("Our patient in room 412 asked us to share her daughter's number: 555-201-3344", "phone",
     "phone number next to patient wording", ["555-201-3344"], "[PHONE]"),
    ("Mr. Ortiz was discharged today; reach his wife at (555) 201-3344.", "phone",
     "phone number next to patient wording", ["(555) 201-3344"], "[PHONE]"),
    ("Maria, call 555.201.3344 about your results", "phone",
     "phone number next to patient wording", ["555.201.3344"], "[PHONE]"),
    ("The patient's son is in London: +44 20 7946 0958", "phone",
     "phone number next to patient wording", ["+44 20 7946 0958", "7946", "0958"], "[PHONE]"),
    ("Admitted last night, his mom says to text 5552013344", "phone",
     "phone number next to patient wording", ["5552013344"], "[PHONE]"),
    # her own number, even when left "with our front desk"
    ("A patient's daughter left her number with our Allergy and Immunology front desk: 555-0143. Your mom in room "
     "700 is asking for you.", "phone", "phone number next to patient wording", ["555-0143", "0143"], "desk: [PHONE]."),
    # e-mail addresses
    ("Email jane.doe@example.com about your results", "email",
     "e-mail address next to patient wording", ["jane.doe@example.com", "jane.doe"], "[EMAIL]"),
    ("The patient's mother can be reached at maria.lopez82@gmail.com", "email",
     "e-mail address next to patient wording", ["maria.lopez82@gmail.com", "lopez82"], "[EMAIL]"),
    ("To our patient in room 772 who asked: your discharge papers from Neonatal Intensive Care went to "
     "rosa.novak31@example.net two days ago.", "email", "e-mail address next to patient wording",
     ["rosa.novak31@example.net", "novak31"], "went to [EMAIL] two"),
    # record, account, member and Social Security numbers
    ("MRN 00482913 transferred to 4 West", "record_number",
     "medical record, account or member number", ["00482913"], "MRN [RECORD]"),
    ("Member ID: XJH123456789 needs a prior authorization", "record_number",
     "medical record, account or member number", ["XJH123456789", "123456789"], "[RECORD]"),
    ("Patient #48213 in bed 7 is asking for a callback", "record_number",
     "medical record, account or member number", ["48213"], "[RECORD]"),
    ("Acct# 99812345 is past due", "record_number",
     "medical record, account or member number", ["99812345"], "[RECORD]"),
    ("Expediente 7781234 de la paciente", "record_number",
     "medical record, account or member number", ["7781234"], "[RECORD]"),
    ("SSN 123-45-6789 on file", "record_number", "Social Security number", ["123-45-6789", "6789"], "[RECORD]"),
    ("Her social security number is 078-05-1120", "record_number", "Social Security number",
     ["078-05-1120", "1120"], "[RECORD]"),
    # dates of birth
    ("DOB: 03/14/1962, allergic to penicillin", "dob", "date of birth", ["03/14/1962", "1962"], "DOB: [DOB]"),
    ("Our newest arrival was born on March 3, 2024 at 4:12 a.m.!", "dob", "date of birth",
     ["March 3, 2024", "2024"], "born on [DOB]"),
    ("Jane (b. 4/12/1948) is home again", "dob", "date of birth", ["4/12/1948", "1948"], "(b. [DOB])"),
    ("Fecha de nacimiento: 12/05/1980", "dob", "date of birth", ["12/05/1980", "1980"], "[DOB]"),
    ("Our patient Maria Lopez, 03/14/1962, is resting", "dob", "date of birth", ["03/14/1962", "1962"], "[DOB]"),
    # street addresses
    ("Our patient lives at 1234 Oak Street, Springfield, IL 62704 and needs a ride home", "address",
     "street address next to patient wording", ["1234 Oak Street", "Springfield", "62704", "1234"], "[ADDRESS]"),
    ("Mrs. Chen's daughter is staying at 42 N. Main St, Apt 3B tonight", "address",
     "street address next to patient wording", ["42 N. Main St", "Apt 3B"], "[ADDRESS]"),
    ("Send get-well cards for our patient in room 12 to P.O. Box 4471", "address",
     "street address next to patient wording", ["4471"], "to [ADDRESS]"),
    ("His wife asked us to mail the bill to 77 5th Ave, New York, NY 10003", "address",
     "street address next to patient wording", ["77 5th Ave", "10003"], "to [ADDRESS]"),
    # a person's name with a condition or procedure
    ("Our patient Maria Lopez is recovering from hip replacement surgery", "name_condition",
     "person's name next to condition or procedure wording 'hip replacement'", ["Maria", "Lopez"], "patient [NAME] is"),
    ("Get well soon, John Carter! Chemo round 3 done", "name_condition",
     "person's name next to condition or procedure wording 'chemo'", ["John", "Carter"], "Get well soon, [NAME]!"),
    ("Mr. Alan Reyes (room 412) was admitted with pneumonia", "name_condition",
     "person's name next to condition or procedure wording 'pneumonia'", ["Alan", "Reyes"], "Mr. [NAME] (room 412)"),
    ("Congratulations to Emily O'Brien on finishing her last round of chemotherapy!", "name_condition",
     "person's name next to condition or procedure wording 'chemotherapy'", ["Emily", "O'Brien"], "[NAME]"),
    ("Prayers for Tom Baker, who is in the ICU after a heart attack", "name_condition",
     "person's name next to condition or procedure wording 'heart attack'", ["Tom", "Baker"], "Prayers for [NAME],"),
    ("Maria Lopez was diagnosed with leukemia last spring", "name_condition",
     "person's name next to condition or procedure wording 'leukemia'", ["Maria", "Lopez"], "[NAME] was diagnosed"),
    ("So proud of Keisha Calloway, who rang the bell today after finishing radiation", "name_condition",
     "person's name next to condition or procedure wording 'radiation'", ["Keisha", "Calloway"], "of [NAME], who"),
    ("Jamal Kowalski was admitted on Wednesday and is already walking the halls", "name_condition",
     "person's name next to condition or procedure wording 'admitted'", ["Jamal", "Kowalski"], "[NAME] was admitted"),
    ("¡Que se mejore pronto, Guadalupe García! Terminó su ciclo 2 de quimioterapia", "name_condition",
     "person's name next to condition or procedure wording 'quimioterapia'", ["Guadalupe", "García"],
     "pronto, [NAME]!"),
    ("Sra. María Núñez fue operada de cáncer de mama", "name_condition",
     "person's name next to condition or procedure wording 'cáncer'", ["María", "Núñez"], "Sra. [NAME] fue"),
    ("Our patient Ayşe Yılmaz had knee surgery", "name_condition",
     "person's name next to condition or procedure wording 'surgery'", ["Ayşe", "Yılmaz", "şe"],
     "patient [NAME] had"),
    ("Welcome to the world, baby Noah Park! Born 3/2/2024 after an emergency C-section", "dob", "date of birth",
     ["3/2/2024", "2024", "Noah", "Park"], "baby [NAME]! Born [DOB]"),
]


@pytest.mark.parametrize(("text", "kind", "reason", "values", "placeholder"), PHI_CASES)
def test_patient_information_is_flagged_and_redacted(text, kind, reason, values, placeholder):
    result = assess(text)
    assert kind in result.phi
    assert reason in result.reasons
    assert placeholder in result.redacted
    assert_hidden(result, [part for value in values for part in seeded_parts(value)])
    assert redact(text) == result.redacted


def test_kinds_come_in_fixed_order_with_one_reason_each():
    text = (
        "Our patient Maria Lopez (DOB 03/14/1962, MRN 00482913) was admitted with pneumonia; her daughter can be "
        "reached at 555-201-3344 or maria.lopez@example.com. This miracle tea cures cancer! What the f*ck, idiots."
    )
    result = assess(text)
    assert result.phi == ("phone", "email", "record_number", "dob", "name_condition")
    assert result.unsourced_claim and result.unprofessional
    assert result.reasons == (
        "phone number next to patient wording",
        "e-mail address next to patient wording",
        "medical record, account or member number",
        "date of birth",
        "person's name next to condition or procedure wording 'pneumonia'",
        "claim wording 'miracle' with no link or citation",
        "profanity",
        "insult",
    )
    assert result.redacted == (
        "Our patient [NAME] (DOB [DOB], MRN [RECORD]) was admitted with pneumonia; her daughter can be "
        "reached at [PHONE] or [EMAIL]. This miracle tea cures cancer! What the f*ck, idiots."
    )
    assert_hidden(result, ["Maria", "Lopez", "1962", "00482913", "555", "201", "3344", "lopez@"])


# The organization's own contact details: replaced in reports, but not patient information.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call our appointment line at 555-201-3344", "Call our appointment line at [PHONE]"),
        ("Patients with questions about their results can call our nurse line at 555-201-3344.",
         "Patients with questions about their results can call our nurse line at [PHONE]."),
        ("Questions? Email us at info@riverside.org", "Questions? Email us at [EMAIL]"),
        ("Visit our new clinic at 100 Main Street, Springfield, IL 62701 on Monday",
         "Visit our new clinic at [ADDRESS] on Monday"),
        ("Flu shots at the pharmacy, 1-800-555-0199 ext. 12", "Flu shots at the pharmacy, [PHONE]"),
        ("Join us at 500 W. Madison St., Chicago, IL 60661 for a free flu clinic",
         "Join us at [ADDRESS] for a free flu clinic"),
        ("Happy birthday, Jane Smith!", "Happy birthday, [NAME]!"),
        ("Happy 100th birthday to Rose Miller, our oldest volunteer!",
         "Happy 100th birthday to [NAME], our oldest volunteer!"),
    ],
)
def test_contacts_without_patient_context_are_redacted_not_flagged(text, expected):
    result = assess(text)
    assert result.phi == ()
    assert result.reasons == ()
    assert result.redacted == expected
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Join us March 3, 2024 for our 2019-2024 report: cases rose 22% and we raised $215,250.",
        "Flu shots for everyone 6 months and older at 18 sites. https://example.org/events/2024-03-15 #FluSeason",
        "Open 24/7. Copays from $25.50; 3 in 4 adults (75%) got a flu shot in 2023.",
        "Dr. Jane Smith explains diabetes prevention",
        "Jane Smith, MD, treated 300 patients with diabetes this year",
        "Nurse Maria Lopez was recognized for her work with stroke patients",
        "Meet Dr. Ana Ruiz, our new oncologist, who treats breast cancer",
        "Congratulations to Riverside Community Hospital on its stroke certification",
        "Thanks to Eastside Outpatient Center for hosting our cancer screening day",
        "Congratulations to our Gastroenterology team on a regional quality award.",
        "Welcome back, March! Flu season is winding down.",
        "Get well soon! #CancerSurvivor #StayStrong #JohnCarter",
        "Our Heart and Vascular Institute treated 2,000 patients after a heart attack last year.",
        "Thank you for your support. Stay healthy and get your flu shot.",
        "Results from flu tests now appear in the patient portal within 24 hours. Message your care team.",
        "Grand rounds on Monday, October 26: kidney health, presented by our Family Medicine faculty.",
        "Our cancer center opens at 9 a.m. on Tuesday, May 3.",
        "Vitamin D and hepatitis B vaccines are available. Plan B is too.",
        "We set a record: 1,200 donors and 300 volunteers. Our 2024 policy update is online.",
        "Hiring event Saturday: 68 roles open in Pulmonology. Way to go, team!",
    ],
)
def test_ordinary_posts_have_no_findings(text):
    assert assess(text) == Risk((), False, False, (), None)
    assert redact(text) is text


# --- claims ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "wording"),
    [
        ("This tea cures cancer!", "cures"),
        ("Our miracle supplement melts fat overnight", "miracle"),
        ("100% effective against the flu, guaranteed results", "100% effective"),
        ("Clinically proven to reverse aging", "proven"),
        ("Cura milagrosa para la diabetes, 100% efectiva", "cura milagrosa"),
        ("This miracle tea works! Order: sales@teashop.com", "miracle"),
    ],
)
def test_unsourced_claims(text, wording):
    result = assess(text)
    assert result.unsourced_claim
    assert f"claim wording '{wording}' with no link or citation" in result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "There is no miracle cure for diabetes",
        "Detox teas are not proven to work",
        "Beware of products that claim to cure cancer",
        "Miracle cures don't exist: talk to your doctor",
        "No hay cura milagrosa para la diabetes",
        "This vaccine is proven to reduce hospitalizations, according to a CDC study",
        "Clinically proven: https://doi.org/10.1056/NEJMoa2034577",
        "Proven to lower blood pressure (NEJM 2023)",
        "Miracle results? Read the facts at cdc.gov/flu",
        "Our NICU's miracle babies are home for the holidays",
        "Children's Miracle Network Hospitals telethon starts today",
        "A leader with a proven track record in patient safety",
    ],
)
def test_negated_sourced_or_idiomatic_claims_are_not_flagged(text):
    result = assess(text)
    assert not result.unsourced_claim
    assert not any("claim wording" in reason for reason in result.reasons)


# --- tone -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("What the f*ck is this wait time", "profanity"),
        ("This policy is bullsh!t", "profanity"),
        ("Fucking ridiculous parking fees", "profanity"),
        ("Damn, the ER was packed", "profanity"),
        ("¡Qué mierda de servicio!", "profanity"),
        ("The people running billing are idiots", "insult"),
        ("Shut up and get your flu shot", "insult"),
        ("What a pathetic excuse for a clinic", "insult"),
        ("You m0ron", "insult"),
    ],
)
def test_unprofessional_content(text, reason):
    result = assess(text)
    assert result.unprofessional
    assert reason in result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "Scunthorpe General Hospital opens a new wing",
        "Our assessment of class sizes at the nursing school",
        "Shitake and shiitake mushrooms in our healthy cooking demo",
        "A cocktail of compassion, passion and classic care in Essex and Sussex",
        "A finger prick test takes one minute",
        "Dickens Street clinic, Hancock County",
        "Flame retardant fabric in every patient room",
        "The Biggest Loser star visits our diabetes class",
        "Our therapist team's analysis of the Massachusetts data",
        "Bass player and grasshopper enthusiast joins our music therapy program",
    ],
)
def test_words_containing_swear_words_are_clean(text):
    assert not assess(text).unprofessional


# --- properties -----------------------------------------------------------------------------------------------

IDEMPOTENCE = [case[0] for case in PHI_CASES] + [
    "Call our appointment line at 555-201-3344",
    "Get well soon, John Carter! Reach his wife at 555-201-3344 or jc@example.com, 12 Elm Street.",
    "Nothing to hide here.",
]


@pytest.mark.parametrize("text", IDEMPOTENCE)
def test_redaction_is_idempotent(text):
    once = redact(text)
    assert redact(once) == once
    assert assess(once).phi == () or once == text


def test_empty_text():
    assert assess("") == Risk((), False, False, (), None)
    assert redact("") == ""


def test_public_constants():
    assert PHI_KINDS == ("phone", "email", "record_number", "dob", "address", "name_condition")
    assert set(PLACEHOLDERS) == set(PHI_KINDS)
    assert PLACEHOLDERS["name_condition"] == "[NAME]" and PLACEHOLDERS["phone"] == "[PHONE]"
    assert isinstance(RISK_VERSION, str) and RISK_VERSION
    with pytest.raises(dataclasses.FrozenInstanceError):
        assess("x").phi = ("phone",)


def test_version_follows_the_word_lists(monkeypatch):
    before = risk._fingerprint()
    monkeypatch.setitem(risk.TERMS, "claim", (*risk.TERMS["claim"], "superfood"))
    assert risk._fingerprint() != before
    assert RISK_VERSION.endswith(before)


# --- news subjects, public figures, places and conditions are not patients (issue 16) -------------------------------
# Real health-news tweets (UCI Health News in Twitter, CC BY 4.0; data/eval/PHI.md) and close variants. Each group
# is caught by one rule; the comment says which.
NOT_PATIENTS = [
    # headline form (Title Case): no person, or a news subject
    "As Hepatitis C Sneaks Up On Baby Boomers, Treatment Options Grow http://n.pr/WV4N0v",
    "Dallas Ebola Patient Was Not Diagnosed On First Hospital Visit http://n.pr/1qWKcI1",
    # news cues: titles of public office, "what is it?", "RIP", "learn more about"
    "California Gov. Jerry Brown treated for prostate cancer http://at.cnn.com/RSoCfRt",
    "Kate Middleton hospitalized for hyperemesis gravidarum: What is it? http://lat.ms/SHw8nN",
    "RIP Mr. Spock. Learn more about #COPD: http://ow.ly/JJI2J",
    # an agency or an account quoted ("CDC says", "CDC director:", "@msf_field says")
    "CDC says monitoring 76 people who may have come into contact with Ebola patient Thomas Duncan after he was "
    "hospitalized.",
    "CDC director: two infected nurses had extensive contact with patient Thomas Duncan during most infectious days "
    "of Ebola",
    # a third-person report with a shared link, no greeting, no first person
    "Neil Armstrong recovering well after cardiac bypass surgery http://lat.ms/P2GYDZ",
    "Angelina Jolie underwent a mastectomy to prevent breast cancer, sparking a discussion about the BRCA1 gene. "
    "http://cnn.it/1cQcToN #CNNTop10",
    "Second health care worker who treated patient Thomas Duncan tests positive for Ebola: http://reut.rs/1qsbjf2",
    # a place after "in", "from", "visited" is not a name
    "A doctor who worked in Sierra Leone has died of Ebola, his family said",
    "Arizona man who visited Sierra Leone hospitalized over Ebola concerns",
    # a condition is not a name ("pt." for "point")
    "Interesting pt. Ebola spreads through bodily fluids, and so does hepatitis",
]


@pytest.mark.parametrize("text", NOT_PATIENTS)
def test_news_subjects_places_and_conditions_are_not_patients(text):
    assert assess(text).phi == (), text


STILL_PATIENTS = [
    # the organization's own care relation outweighs every news cue and the link
    "Neil Armstrong recovering well after cardiac bypass surgery in our ICU http://example.org/story",
    "When my patient Suzy took herself off the active liver transplant list, she was too embarrassed to tell me. "
    "http://nyti.ms/12iSiRe",
    # a greeting addresses the person: never news, link or not
    "Get well soon, John Carter! Chemo round 3 done http://example.org/x",
    # no link: a third-person report may be the organization's own post
    "Maria Lopez was diagnosed with leukemia last spring",
    # a name after "from" a greeting or honorific is still a name; only the verb cue checks for a place before it
    "Prayers for Tom Baker, who is in the ICU after a heart attack",
    # a surname that is also a condition word
    "Mr. Burns was admitted with pneumonia last night",
    # "who says" is not the WHO
    "Mr. Alan Reyes, who says he feels great, was admitted with pneumonia",
]


@pytest.mark.parametrize("text", STILL_PATIENTS)
def test_patients_in_news_like_posts_are_still_flagged(text):
    assert "name_condition" in assess(text).phi, text


# --- the posting organization's type (issue 16): news accounts report on news subjects --------------------------

NEWS_ACCOUNT_SUBJECTS = [
    # revision 3's two false alarms on the labelled real posts: no link, no news wording, a news account's subject
    "Mr. Duncan died of Ebola more than a week after the virus was detected in him.",
    "Maria Lopez was diagnosed with leukemia last spring",
    "Mr. Burns was admitted with pneumonia last night",
]


@pytest.mark.parametrize("text", NEWS_ACCOUNT_SUBJECTS)
def test_a_news_account_naming_a_person_with_a_condition_reports_a_news_subject(text):
    assert "name_condition" in assess(text).phi  # unknown type: flagged as before
    for org_type in ("hospital", "health_system", "clinic", "public_health_agency", "other"):
        assert assess(text, org_type) == assess(text), org_type
    news = assess(text, "health_media")
    assert news.phi == () and (news.redacted is None or "[NAME]" not in news.redacted)


NEWS_ACCOUNT_PATIENTS = [
    # a first-person care relation: the author's own patient, even in a newspaper essay
    ("When my patient Suzy took herself off the active liver transplant list, she was too embarrassed to tell me. "
     "http://nyti.ms/12iSiRe", {"name_condition"}),
    ("Our patient Maria Lopez, room 412, is recovering from surgery", {"name_condition"}),
    # a greeting addresses the person: direct address, not reporting
    ("Get well soon, John Carter! Chemo round 3 done http://example.org/x", {"name_condition"}),
    # hard identifiers are flagged for every type, and keep the name flagged beside them
    ("Jane Smith (DOB 3/4/1950) was admitted with pneumonia", {"dob", "name_condition"}),
    ("Mr. Alan Reyes, MRN 00482913, was admitted with pneumonia", {"record_number", "name_condition"}),
    ("Patient record number: 00482913, discharged Monday", {"record_number"}),
    ("Her mom's number is 555-201-4433, she was admitted last night", {"phone"}),
]


@pytest.mark.parametrize("text,kinds", NEWS_ACCOUNT_PATIENTS)
def test_a_news_account_still_flags_care_relations_greetings_and_hard_identifiers(text, kinds):
    assert set(assess(text, "health_media").phi) == kinds, text
    assert set(assess(text).phi) >= kinds


def test_the_organization_type_is_part_of_the_rule_version():
    assert risk.REVISION >= 4 and "health_media" in risk.NEWS_ORG_TYPES
    assert risk.RISK_VERSION.startswith(f"{risk.REVISION}.")
    assert risk.redact("Mr. Duncan died of Ebola.", "health_media") == "Mr. Duncan died of Ebola."
    assert "[NAME]" in risk.redact("Mr. Duncan died of Ebola.")
