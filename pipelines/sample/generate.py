"""Synthetic posts by synthetic healthcare organizations, written in chunks in the input contract.

Pure numpy/pyarrow, no Dagster: `python -m pipelines.sample.generate --posts N --orgs K --seed S --out DIR`.
Everything is drawn from seeded generators, so the same arguments give the same bytes.
"""

from __future__ import annotations

import argparse
import calendar
import json
import math
import re
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

PLATFORMS = ("facebook", "twitter", "instagram", "linkedin", "youtube", "tiktok", "threads")
FACEBOOK, TWITTER, INSTAGRAM, LINKEDIN, YOUTUBE, TIKTOK, THREADS = range(len(PLATFORMS))
ORG_TYPES = (
    "hospital", "health_system", "clinic", "pharma", "insurer", "public_health_agency",
    "professional_association", "health_media", "other",
)
THEMES = (
    "networking", "education_research", "promotion_events", "patient_communication", "public_health", "recruitment",
)
MOODS = ("pos", "neu", "neg")
SEASONS = ("none", "winter", "summer", "covid")
FORMATS = ("csv", "jsonl", "parquet")
POST_COLUMNS = (
    "post_id", "platform", "org_id", "posted_at", "text", "likes", "shares", "comments", "views", "url", "lang",
)
POST_SCHEMA = pa.schema([
    (c, pa.int64() if c in ("likes", "shares", "comments", "views") else pa.string()) for c in POST_COLUMNS
])
ORG_SCHEMA = pa.schema([(c, pa.string()) for c in ("org_id", "org_name", "org_type", "country", "region")])
# Rows are drawn in fixed blocks so the content does not depend on rows_per_file; memory is bounded by a block.
BLOCK_ROWS = 50_000
MIN_TEMPLATE_CAPACITY = 10_000_000  # every template has this many distinct fillings: texts stay unique at 10M
_STRIDE = 2_147_483_647  # prime above every slot size, so k -> STRIDE*k + b is a bijection modulo any capacity
X_RENAME = date(2023, 8, 1)  # exports say "Twitter" before this day and "X" from it
X_VIEWS_FROM = date(2022, 12, 22)  # view counts appeared on tweets that day
PLATFORM_SPELLINGS = {
    "facebook": (("Facebook", 0.86), ("facebook", 0.10), ("FACEBOOK", 0.04)),
    "twitter": (("Twitter", 0.90), ("twitter", 0.10)),
    "x": (("X", 0.92), ("x", 0.04), ("Twitter/X", 0.04)),
    "instagram": (("Instagram", 0.90), ("instagram", 0.10)),
    "linkedin": (("LinkedIn", 0.85), ("Linkedin", 0.10), ("linkedin", 0.05)),
    "youtube": (("YouTube", 0.80), ("Youtube", 0.15), ("youtube", 0.05)),
    "tiktok": (("TikTok", 0.85), ("Tiktok", 0.10), ("tiktok", 0.05)),
    "threads": (("Threads", 0.90), ("threads", 0.10)),
}

# ---------------------------------------------------------------------------------------------------------------
# Organizations
# ---------------------------------------------------------------------------------------------------------------
PLACES = (
    "Riverside", "Maple Valley", "Cedar Hill", "Lakeshore", "North Harbor", "Pine Ridge", "Silver Creek",
    "Oak Meadow", "Willow Bend", "Stonebridge", "Clearwater Bay", "Highland Park", "Eastbrook", "Westfield Plains",
    "Sunnyvale Heights", "Granite Falls", "Bluewater", "Fox Hollow", "Aspen Grove", "Red Rock Valley",
    "Harborview", "Meadowbrook", "Summit Ridge", "Brookhaven", "Golden Prairie", "Misty Pines", "Copper Canyon",
    "Elmwood", "Birch Lake", "Seaside", "Ironwood", "Prairie View", "Kingsbridge", "Twin Rivers", "Hawthorne",
    "Juniper Springs", "Larkspur", "Marble Hill", "Northgate", "Quail Run",
)
PLACES_ES = (
    "Valle Verde", "Río Claro", "Monte Alto", "Villa Serena", "Puerto Azul", "Sierra Blanca", "Campo Florido",
    "Arroyo Seco", "Loma Bonita", "Costa Dorada", "Santa Brisa", "Llano Grande",
)
NAME_PATTERNS = {
    "hospital": ("{} Community Hospital", "{} General Hospital", "{} Children's Hospital",
                 "{} Regional Medical Center"),
    "health_system": ("{} Health", "{} Health System", "{} Healthcare Network", "{} Medical Alliance"),
    "clinic": ("{} Family Clinic", "{} Medical Group", "{} Urgent Care", "{} Community Health Center"),
    "pharma": ("{} Pharmaceuticals", "{} Biotherapeutics", "{} Life Sciences", "{} Vaccines"),
    "insurer": ("{} Health Plan", "{} Mutual Health Insurance", "{} Care Assurance", "{} Health Cooperative"),
    "public_health_agency": ("{} County Public Health", "{} Department of Health", "{} Public Health Authority"),
    "professional_association": ("{} Medical Society", "{} Nurses Association", "{} Academy of Family Physicians",
                                 "{} Pharmacists Association"),
    "health_media": ("{} Health News", "Health Matters {}", "{} Medical Daily", "The {} Health Report"),
    "other": ("{} Wellness Foundation", "{} Health Tech Labs", "{} Patient Advocacy Network", "{} Caregivers Alliance"),
}
NAME_PATTERNS_ES = {
    "hospital": ("Hospital Comunitario {}", "Hospital General {}"),
    "health_system": ("Red de Salud {}", "Sistema de Salud {}"),
    "clinic": ("Clínica Familiar {}", "Centro Médico {}"),
    "pharma": ("Laboratorios {}",),
    "insurer": ("Seguros de Salud {}",),
    "public_health_agency": ("Salud Pública {}", "Secretaría de Salud {}"),
    "professional_association": ("Colegio Médico {}", "Asociación de Enfermería {}"),
    "health_media": ("Noticias de Salud {}",),
    "other": ("Fundación Bienestar {}",),
}
COUNTRIES = (  # country, region, share of orgs, possible UTC offsets (hours)
    ("US", "North America", 0.70, (-5, -6, -7, -8)),
    ("GB", "Europe", 0.11, (0,)),
    ("CA", "North America", 0.07, (-5, -8)),
    ("ES", "Europe", 0.04, (1,)),
    ("MX", "Latin America", 0.05, (-6,)),
    ("AU", "Oceania", 0.03, (10,)),
)
TYPE_SHARE = (0.24, 0.12, 0.15, 0.08, 0.07, 0.10, 0.08, 0.07, 0.09)
TYPE_RATE = (1.0, 1.4, 0.5, 0.8, 0.6, 1.2, 0.7, 1.5, 0.5)  # posting intensity before the heavy-tailed draw
TYPE_FOLLOWERS = (12_000, 60_000, 1_500, 90_000, 35_000, 25_000, 15_000, 80_000, 4_000)  # median audience
# Probability that an org of each type (rows) ever adopts each platform (columns, PLATFORMS order).
ADOPT_PROB = np.array([
    [0.97, 0.85, 0.75, 0.85, 0.60, 0.25, 0.25],
    [0.98, 0.90, 0.85, 0.95, 0.80, 0.35, 0.35],
    [0.90, 0.40, 0.60, 0.35, 0.25, 0.15, 0.10],
    [0.80, 0.85, 0.60, 0.95, 0.75, 0.20, 0.30],
    [0.90, 0.75, 0.55, 0.90, 0.55, 0.20, 0.25],
    [0.95, 0.90, 0.60, 0.45, 0.60, 0.40, 0.30],
    [0.85, 0.90, 0.50, 0.90, 0.50, 0.15, 0.30],
    [0.95, 0.95, 0.85, 0.70, 0.85, 0.55, 0.45],
    [0.80, 0.60, 0.55, 0.60, 0.40, 0.25, 0.20],
])
ADOPT_WINDOW = {  # first and last possible adoption day per platform: Facebook/Twitter early, TikTok and Threads late
    "facebook": ("2009-01-01", "2019-12-31"), "twitter": ("2010-01-01", "2020-12-31"),
    "instagram": ("2013-01-01", "2022-12-31"), "linkedin": ("2011-01-01", "2023-12-31"),
    "youtube": ("2009-01-01", "2024-06-30"), "tiktok": ("2019-01-01", "2025-06-30"),
    "threads": ("2023-07-06", "2025-06-30"),
}
LEAVE_X_PROB, LEAVE_X_WINDOW = 0.2, ("2023-08-01", "2025-09-30")  # some organizations stopped posting on X
RECRUITING_TYPES = ("hospital", "health_system", "pharma", "insurer", "professional_association")
PLATFORM_VOLUME = np.array([1.0, 1.3, 0.6, 0.5, 0.12, 0.3, 0.35])  # posts per active day, relative
PLATFORM_AUDIENCE = np.array([1.0, 0.6, 0.35, 0.5, 0.15, 0.4, 0.12])
LIKE_RATE = np.array([0.0025, 0.001, 0.012, 0.004, 0.006, 0.03, 0.004])  # likes per follower per post
SHARE_RATIO = np.array([0.15, 0.25, 0.03, 0.08, 0.05, 0.08, 0.05])
COMMENT_RATIO = np.array([0.06, 0.05, 0.04, 0.05, 0.06, 0.03, 0.08])
VIEW_RATIO = np.array([0.0, 60.0, 35.0, 0.0, 40.0, 80.0, 0.0])
INSTAGRAM_VIDEO_SHARE = 0.35  # only video posts report views on Instagram
# How often each type posts on each theme (rows ORG_TYPES, columns THEMES).
THEME_BY_TYPE = np.array([
    [1.0, 1.0, 1.5, 1.6, 1.0, 1.2],
    [1.2, 1.2, 1.5, 1.4, 1.0, 1.5],
    [0.5, 0.6, 1.4, 2.0, 1.0, 0.8],
    [1.0, 2.0, 1.0, 0.6, 0.8, 1.3],
    [0.8, 0.8, 1.2, 1.5, 1.2, 1.0],
    [0.5, 1.0, 0.6, 0.8, 3.5, 0.5],
    [2.5, 1.8, 1.2, 0.3, 0.8, 0.8],
    [0.5, 2.5, 0.6, 0.4, 2.0, 0.2],
    [1.0, 1.0, 1.2, 0.8, 1.0, 0.8],
])
THEME_BY_PLATFORM = np.ones((len(PLATFORMS), len(THEMES)))
THEME_BY_PLATFORM[LINKEDIN] = (2.0, 1.0, 0.8, 0.3, 0.6, 3.0)  # LinkedIn: networking and recruitment
THEME_BY_PLATFORM[YOUTUBE] = (0.6, 2.0, 1.0, 1.0, 1.2, 0.5)  # YouTube: education
THEME_BY_PLATFORM[TIKTOK] = (0.5, 1.2, 1.0, 0.8, 1.3, 0.6)  # TikTok
THEME_BY_PLATFORM[INSTAGRAM] = (1.0, 0.8, 1.3, 1.0, 1.0, 0.8)  # Instagram: promotion
THEME_LIKES = np.array([1.1, 0.8, 1.0, 0.9, 1.2, 0.5])
THEME_SHARES = np.array([1.0, 1.0, 1.2, 1.0, 2.0, 1.5])
MOOD_LIKES = np.array([1.4, 1.0, 0.7])
MOOD_COMMENTS = np.array([1.0, 0.8, 3.0])  # bad news draws replies

# ---------------------------------------------------------------------------------------------------------------
# Texts: templates per theme, filled from slot pools; {opener} and {closer} come from the template's mood.
# ---------------------------------------------------------------------------------------------------------------
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS_ES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
             "noviembre", "diciembre")
WEEKDAYS_ES = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
NUMBERS = {
    "few": [str(v) for v in range(2, 41)],
    "n": [str(v) for v in range(3, 401)],
    "many": [f"{v:,}" for v in range(120, 10_000)],
    "pct": [str(v) for v in range(2, 66)],
    "usd": [f"${v:,}" for v in range(1_000, 500_001, 250)],
    "years": [str(v) for v in range(5, 46)],
    "time": ("7 a.m.", "8 a.m.", "9 a.m.", "10 a.m.", "11 a.m.", "noon", "1 p.m.", "2 p.m.", "3 p.m.", "4 p.m.",
             "5 p.m.", "6 p.m.", "7 p.m."),
}
POOLS_EN = {
    "dept": ("Cardiology", "Oncology", "Pediatrics", "Emergency Medicine", "Orthopedics", "Neurology", "Radiology",
             "Family Medicine", "Obstetrics", "Behavioral Health", "Infectious Disease", "Pharmacy", "Nursing",
             "Dermatology", "Endocrinology", "Gastroenterology", "Pulmonology", "Nephrology", "Urology", "Geriatrics",
             "Palliative Care", "Physical Therapy", "Nutrition Services", "Sports Medicine", "Rheumatology",
             "Ophthalmology", "Audiology", "Wound Care", "Sleep Medicine", "Primary Care", "Women's Health",
             "Laboratory Medicine", "Anesthesiology", "Critical Care", "Neonatal Intensive Care", "Rehabilitation",
             "Allergy and Immunology", "Medical Genetics", "Dental Services", "Hospital Medicine"),
    "role": ("registered nurses", "nurse practitioners", "medical assistants", "pharmacists", "respiratory therapists",
             "physical therapists", "lab technologists", "radiology technologists", "patient care technicians",
             "social workers", "physician assistants", "dietitians", "surgical technologists", "phlebotomists",
             "care coordinators", "data analysts", "IT support specialists", "environmental services staff",
             "unit secretaries", "sonographers", "certified nursing assistants", "paramedics",
             "behavioral health counselors", "clinical research coordinators", "case managers"),
    "staff": ("nurses", "doctors", "care teams", "staff", "volunteers", "pharmacists", "therapists", "technicians",
              "residents", "clinicians"),
    "venue": ("North Campus", "South Campus", "Downtown Clinic", "Eastside Outpatient Center", "Westside Health Center",
              "Riverside Pavilion", "Main Campus", "Lakeview Clinic", "Hillcrest Medical Office", "Mobile Health Unit",
              "Community Wellness Center", "Pediatric Pavilion", "Outpatient Surgery Center",
              "Central Plaza Urgent Care", "Women's Health Pavilion", "Heart and Vascular Institute",
              "Family Medicine Center", "Rehabilitation Center", "Imaging Center", "Walk-In Clinic"),
    "area": ("the county", "the region", "our service area", "the metro area", "the valley", "the tri-county area",
             "rural communities", "the city", "the northern counties", "the coastal communities"),
    "topic": ("heart failure management", "early detection of colorectal cancer", "antibiotic stewardship",
              "sepsis recognition", "safe sleep for infants", "managing type 2 diabetes", "stroke warning signs",
              "concussion in youth sports", "sun safety", "postpartum depression", "blood pressure control",
              "asthma action plans", "healthy aging", "medication safety", "fall prevention", "kidney health",
              "lung cancer screening", "vaccine confidence", "opioid use disorder treatment", "teen mental health",
              "HPV vaccination", "heat-related illness", "migraine care", "sleep apnea", "seasonal allergies",
              "breast cancer screening", "prostate health", "chronic pain", "RSV in older adults", "caregiver stress"),
    "study": ("a new study", "a multicenter trial", "a five-year cohort study", "a quality-improvement project",
              "a pilot program", "a systematic review", "a community survey", "a randomized trial"),
    "finding": ("improved outcomes", "shorter hospital stays", "fewer readmissions", "better medication adherence",
                "lower costs", "faster recovery", "no significant difference", "higher screening rates",
                "fewer complications", "earlier diagnosis"),
    "journal": ("a peer-reviewed journal", "an open-access journal", "our research bulletin", "a specialty journal",
                "our annual research report"),
    "honor": ("national recognition for nursing excellence", "a patient safety award",
              "a full year without a central-line infection", "their accreditation renewal", "a regional quality award",
              "a perfect accreditation survey", "a statewide collaboration award",
              "a leadership award from their peers", "a teaching excellence award", "a community service award"),
    "forum": ("the nursing leadership summit", "our regional quality and safety forum",
              "the health innovation conference", "the state hospital association meeting",
              "a digital health roundtable", "the public health practice symposium", "the pharmacy leadership forum",
              "the rural health collaborative", "the patient experience conference", "the medical education retreat"),
    "partner": ("local schools", "community health workers", "regional EMS agencies", "the county library system",
                "faith-based organizations", "area food banks", "a network of rural clinics", "university researchers",
                "senior centers", "youth sports leagues"),
    "observance": ("Nurses Week", "National Doctors' Day", "Pharmacy Week", "Lab Professionals Week",
                   "Healthcare Volunteer Week", "Respiratory Care Week", "Social Work Month", "PA Week",
                   "Hospital Week", "Patient Experience Week"),
    "tribute": ("They mentored countless new nurses.", "Their kindness touched every patient they met.",
                "They never missed a chance to help a colleague.", "Their laugh could brighten any night shift.",
                "They trained a generation of residents.", "Families still write to thank them.",
                "They led our first community screening program.", "They volunteered at every health fair.",
                "Their dedication shaped our culture of care.", "They will be deeply missed.",
                "They always put patients first.", "Many of us learned the job from them."),
    "unit": ("team", "unit", "department", "clinic"),
    "cancer": ("breast cancer", "lung cancer", "colorectal cancer", "skin cancer", "pediatric cancer",
               "prostate cancer", "blood cancers", "pancreatic cancer"),
    "pathogen": ("the virus", "RSV", "influenza", "strep", "C. diff", "MRSA", "hepatitis C", "HPV"),
    "intervention": ("the new screening protocol", "six weeks of treatment", "the home-testing pilot",
                     "the vaccination drive", "an updated cleaning protocol"),
    "fact": ("Regular screening can catch problems early", "Most adults need seven or more hours of sleep",
             "Handwashing is one of the best ways to prevent illness", "High blood pressure often has no symptoms",
             "Many skin cancers are preventable", "Walking 30 minutes a day supports heart health",
             "Most strokes can be treated if care starts quickly", "Vaccines protect the people around you too",
             "Childhood asthma is one of the most common chronic diseases in kids",
             "Depression is common and treatable", "Falls are a leading cause of injury in older adults",
             "Diabetes can be delayed with lifestyle changes"),
    "takeaway": ("screen earlier", "involve pharmacists sooner", "follow up within a week",
                 "use plain-language instructions", "ask about social needs", "check medication lists every visit",
                 "teach back every discharge plan", "measure what matters to patients"),
    "event": ("Annual Health Fair", "Heart Walk 5K", "Community Wellness Day", "Cancer Survivors Celebration",
              "Charity Golf Classic", "Spring Gala", "Blood Drive", "Back-to-School Immunization Day",
              "Healthy Kids Festival", "Diabetes Education Night", "Women's Health Expo", "Senior Health Fair",
              "Mental Health Awareness Walk", "Open House", "Farmers Market Health Day", "Run for Research 10K",
              "Holiday Toy Drive", "Teddy Bear Clinic"),
    "activity": ("Free blood pressure checks", "Healthy cooking demos", "Kids' activities", "Meet our care teams",
                 "Free vision screenings", "Live music", "Bike helmet fittings", "Ask-a-pharmacist booths",
                 "CPR demonstrations", "Tours of our new unit"),
    "freebie": ("water bottles", "first-aid kits", "t-shirts", "sunscreen", "reusable bags", "healthy snacks"),
    "cause": ("the children's hospital fund", "cancer patient support services", "mental health programs",
              "our new neonatal unit", "free community screenings", "patient transportation",
              "the nursing scholarship fund", "our hospice program", "school-based health centers", "the food pharmacy",
              "free flu clinics", "family lodging near the hospital"),
    "service": ("walk-in clinic", "imaging center", "sleep lab", "physical therapy gym", "pediatric urgent care",
                "infusion suite", "maternity unit", "telehealth hub", "pharmacy drive-through", "wound care center",
                "heart and vascular clinic", "breast imaging suite", "behavioral health clinic", "dialysis unit",
                "sports medicine clinic", "dental clinic", "lactation clinic", "memory care clinic",
                "diabetes education center", "outpatient lab"),
    "hours": ("Open weekdays and Saturday mornings", "Open seven days a week", "Evening hours on weekdays",
              "Saturday appointments available", "Walk-ins welcome", "Same-day appointments available", "Open 24 hours",
              "Virtual visits available too", "Book online or through the patient portal",
              "Most insurance plans accepted", "Free parking on site",
              "Wheelchair-accessible entrance on the east side"),
    "ranking": ("hospitals for maternity care", "employers in the region", "places to work in healthcare",
                "hospitals for patient experience", "health systems for quality", "teaching hospitals"),
    "navigator": ("nurse navigators", "research nurses", "oncology nurses", "trial coordinators", "oncologists",
                  "cancer care coordinators"),
    "cancer_service": ("same-week appointments", "a survivorship clinic", "genetic counseling", "nurse navigators",
                       "a new infusion suite", "integrative therapies", "a clinical trials office",
                       "financial counseling"),
    "closure_reason": ("severe weather", "a power outage", "a water main break", "flooding", "a staffing shortage",
                       "a heating system failure", "a snowstorm", "urgent building repairs"),
    "when_closed": ("today", "this morning", "this afternoon", "until further notice", "through the weekend",
                    "until noon"),
    "system": ("online scheduling", "prescription refill requests", "our phone lines", "online bill pay",
               "telehealth visits", "test result notifications"),
    "workaround": ("Urgent needs will still be seen in person", "Your appointments are not affected",
                   "Please come in as scheduled", "Pharmacies can still fill urgent prescriptions",
                   "Our front desks can help in person", "Messages sent today may be delayed",
                   "Please do not resend requests", "Emergency services are not affected"),
    "apology": ("We're sorry for the trouble.", "We apologize for this disruption.", "We know this is frustrating.",
                "Our IT team is working on a fix.", "This is not the service you expect from us.",
                "Thank you for your patience while we fix it.", "We regret the inconvenience.",
                "We are sorry this is happening again."),
    "issue": ("long wait times in our emergency department", "recent billing delays", "parking at our main campus",
              "hold times on our phone lines", "delays in appointment reminders", "the closure of our pharmacy window",
              "cancelled elective surgeries", "changes to visitor hours", "late test result notifications",
              "crowding in our waiting rooms"),
    "fix": ("We have added staff on evenings and weekends", "We are hiring more people for this team",
            "A new process starts next month", "We have opened a second check-in desk",
            "We are reviewing every complaint we received", "Leaders will hold listening sessions",
            "We have extended our hours", "We are updating our systems"),
    "test_kind": ("blood tests", "imaging reports", "COVID-19 tests", "strep tests", "biopsy results", "allergy tests",
                  "cholesterol panels", "urine tests", "pregnancy tests", "genetic screens", "flu tests",
                  "pathology reports"),
    "collection": ("collection", "your visit", "processing", "review by your clinician"),
    "guideline": ("two visitors per patient at a time", "masks required in patient rooms",
                  "visiting hours are 9 a.m. to 8 p.m. daily", "children under 12 must be accompanied",
                  "please check in at the main desk", "parking validation at the front desk",
                  "use the east entrance at night", "one overnight guest per patient",
                  "no visitors with cold or flu symptoms", "free shuttle from the garage every 15 minutes",
                  "valet parking is back", "please keep hallways clear"),
    "availability": ("on weekdays", "seven days a week", "on evenings and weekends", "for new and returning patients",
                     "in English and Spanish", "for follow-up visits", "for prescription renewals",
                     "by video or phone"),
    "ages": ("everyone 6 months and older", "adults 65 and older", "adults 50 and older", "children 5 to 11",
             "everyone 12 and up", "pregnant people", "healthcare workers", "people with chronic conditions"),
    "period_word": ("week", "weekend", "month"),
    "walkin": ("No appointment needed.", "Appointments recommended.", "Walk-ins welcome.",
               "Bring your insurance card if you have one."),
    "resp_virus": ("influenza", "RSV"),
    "advice": ("Stay home when sick and wash your hands often.", "Talk to your doctor about vaccination.",
               "Cover coughs and sneezes.", "Check on older neighbors.", "Consider a mask in crowded indoor spaces.",
               "Keep sick children home from school.", "Call ahead before visiting the emergency department.",
               "Ask about antiviral treatment if you are at high risk.", "Clean shared surfaces daily.",
               "Get tested if you have symptoms.", "Ventilate indoor spaces.",
               "Know the warning signs of dehydration."),
    "week_word": ("this week", "over the past two weeks", "since last month"),
    "isolation_advice": ("stay home and away from others for at least five days",
                         "wear a well-fitting mask around others for ten days",
                         "tell your close contacts as soon as you can",
                         "talk to your doctor about treatment within five days",
                         "rest, drink fluids and watch for trouble breathing",
                         "seek care right away if you have trouble breathing", "test again if your symptoms return",
                         "follow the latest isolation guidance"),
    "heat_tip": ("drink water often, even if you are not thirsty", "check on older adults twice a day",
                 "never leave children or pets in a parked car", "limit outdoor activity in the afternoon",
                 "wear light, loose clothing", "take cool showers", "know the signs of heat stroke",
                 "plan outdoor work for early morning", "use fans with open windows only below 95 degrees",
                 "stay in air-conditioned places when you can"),
    "vaccine": ("The HPV vaccine", "The MMR vaccine", "The shingles vaccine", "The Tdap vaccine",
                "The pneumococcal vaccine", "The hepatitis B vaccine", "The chickenpox vaccine", "The polio vaccine"),
    "alert": ("A boil-water notice is in effect", "Air quality is unhealthy due to wildfire smoke",
              "A foodborne illness outbreak is under investigation", "Tick-borne illness cases are above average",
              "Measles exposure sites have been identified", "Harmful algae were found at two swimming beaches",
              "Carbon monoxide poisonings rise during power outages", "Overdoses rose sharply last weekend"),
    "contaminant": ("lead", "E. coli", "PFAS", "nitrates", "legionella", "arsenic"),
    "sample_kind": ("water samples", "school drinking fountains", "well water tests", "beach water samples"),
    "shift": ("day", "night", "weekend", "evening", "per diem", "part-time"),
    "benefit": ("Sign-on bonus available", "Tuition reimbursement from day one", "Flexible scheduling",
                "Paid parental leave", "Student loan support", "Free parking and on-site childcare",
                "Pension and retirement match", "Relocation assistance", "Four-day work weeks available",
                "Paid time off from your first month"),
    "cohort": ("spring", "summer", "fall", "winter"),
    "career_story": ("they still love mentoring new hires.", "they now lead our night shift.",
                     "they went back to school with our tuition support.", "they helped open our newest clinic.",
                     "they became a certified specialist.", "they train every new team member on our unit.",
                     "they moved from the front desk into nursing.", "they now teach in our residency program."),
    "workplace": ("a team that supports your growth", "colleagues who have your back", "leaders who listen",
                  "a culture of safety", "a place with room to grow", "a mission that matters"),
}
POOLS_ES = {
    "dept_es": ("Cardiología", "Oncología", "Pediatría", "Urgencias", "Ortopedia", "Neurología", "Radiología",
                "Medicina Familiar", "Obstetricia", "Salud Mental", "Farmacia", "Enfermería", "Dermatología",
                "Endocrinología", "Geriatría", "Nutrición", "Rehabilitación", "Medicina Interna", "Odontología",
                "Laboratorio Clínico"),
    "role_es": ("enfermeras y enfermeros", "auxiliares médicos", "farmacéuticos", "terapeutas respiratorios",
                "fisioterapeutas", "técnicos de laboratorio", "técnicos de radiología", "trabajadores sociales",
                "nutricionistas", "coordinadores de atención", "promotores de salud", "recepcionistas bilingües"),
    "venue_es": ("clínica del centro", "sede norte", "sede sur", "unidad móvil", "clínica comunitaria",
                 "sala de urgencias del este", "centro de bienestar", "clínica familiar"),
    "area_es": ("la región", "la ciudad", "las comunidades rurales", "la zona metropolitana", "la zona norte",
                "la costa"),
    "ages_es": ("toda persona mayor de 6 meses", "adultos mayores de 65 años", "niñas y niños de 5 a 11 años",
                "personas embarazadas", "personal de salud", "personas con enfermedades crónicas"),
    "topic_es": ("diabetes tipo 2", "presión arterial alta", "asma infantil", "salud del corazón", "depresión posparto",
                 "detección temprana del cáncer de mama", "salud renal", "obesidad infantil", "salud mental juvenil",
                 "prevención de caídas"),
    "finding_es": ("mejores resultados", "menos reingresos", "recuperación más rápida", "diagnóstico más temprano",
                   "menos complicaciones", "mayor adherencia al tratamiento"),
    "honor_es": ("un premio a la seguridad del paciente", "la renovación de su acreditación",
                 "un reconocimiento regional a la calidad", "un premio a la excelencia en enfermería",
                 "un premio al servicio comunitario"),
    "event_es": ("Feria de Salud", "Caminata por el Corazón", "Jornada de Vacunación", "Feria de Regreso a Clases",
                 "Noche de Educación sobre Diabetes", "Jornada de Salud de la Mujer", "Colecta de Sangre",
                 "Jornada de Salud para Mayores"),
    "activity_es": ("Toma de presión gratis", "Actividades para niños", "Exámenes de la vista gratis",
                    "Demostraciones de cocina saludable", "Conozca a nuestro equipo", "Música en vivo"),
    "reason_es": ("el mal tiempo", "un corte de luz", "una inundación", "falta de personal", "reparaciones urgentes",
                  "una falla en la calefacción"),
    "isolation_es": ("quédese en casa al menos cinco días", "use mascarilla cerca de otras personas",
                     "avise a sus contactos cercanos", "consulte a su médico sobre tratamiento",
                     "descanse y tome líquidos", "busque atención si le falta el aire"),
    "benefit_es": ("Bono de contratación", "Horarios flexibles", "Apoyo para estudios", "Licencia parental pagada",
                   "Estacionamiento gratis", "Plan de retiro"),
    "advice_es": ("Lávese las manos con frecuencia.", "Quédese en casa si está enfermo.",
                  "Hable con su médico sobre la vacuna.", "Cúbrase al toser.", "Ventile los espacios cerrados.",
                  "Pregunte por tratamiento si tiene alto riesgo."),
    "service_es": ("clínica sin cita", "centro de imágenes", "sala de fisioterapia", "urgencias pediátricas",
                   "farmacia", "consultorio de telemedicina", "clínica dental", "centro de diabetes"),
    "test_es": ("análisis de sangre", "pruebas de COVID-19", "pruebas de embarazo", "estudios de imagen",
                "pruebas de colesterol", "pruebas de influenza"),
}
OPENERS = {
    ("en", "pos"): ("", "Big news! ", "We're proud to share: ", "Some good news: ", "Celebrating today: ",
                    "Exciting update: ", "Great news! ", "Happy to share: ", "Cheers to our team! ", "A proud moment: ",
                    "Good news to start the week: ", "We love this: ", "Shout-out time! ", "Worth celebrating: ",
                    "Thrilled to announce: ", "Another milestone: ", "Something to smile about: ",
                    "Please join us in celebrating: ", "It's official: ", "From all of us: ",
                    "Bright spot of the week: ", "Kudos all around! ", "Hooray! ", "Spotlight: "),
    ("en", "neu"): ("", "Reminder: ", "Update: ", "FYI: ", "Heads up: ", "Did you know? ", "Quick update: ",
                    "Please note: ", "In case you missed it: ", "Today: ", "This week: ", "Community update: ",
                    "Announcement: ", "For our community: ", "Good to know: ", "Here's what to know: ",
                    "Worth knowing: ", "News: ", "Note: ", "Important: ", "Information: ", "Read on: ",
                    "Just a reminder: ", "Public notice: "),
    ("en", "neg"): ("", "Update: ", "Important update: ", "Please note: ", "Notice: ", "A difficult update: ",
                    "We regret to share this update: ", "Please read: ", "An update for our community: ",
                    "Sharing difficult news: ", "Service update: ", "Important: ", "Community notice: ",
                    "Latest update: ", "Please see this update: ", "We wanted you to hear this from us: ",
                    "A message to our community: ", "Today's update: ", "Timely update: ", "Please take note: "),
    ("es", "pos"): ("", "¡Buenas noticias! ", "Nos alegra compartir: ", "¡Felicidades! ", "Con orgullo: ",
                    "Gran noticia: ", "¡Celebramos! ", "Noticia importante: ", "Hoy celebramos: ", "Les compartimos: "),
    ("es", "neu"): ("", "Recordatorio: ", "Aviso: ", "Información: ", "Atención: ", "¿Sabía que? ",
                    "Aviso a la comunidad: ", "Actualización: ", "Importante: ", "Para su información: "),
    ("es", "neg"): ("", "Aviso: ", "Aviso importante: ", "Actualización: ", "Atención: ", "Lamentamos informar: ",
                    "Comunicado: ", "Aviso a la comunidad: ", "Noticia difícil: ", "Por favor lea: "),
}
CLOSERS = {
    ("en", "pos"): ("", " Thank you for all you do!", " We couldn't be prouder.", " Well deserved!",
                    " Here's to many more!", " Way to go, team!", " Thank you to everyone involved.", " What a team!",
                    " Congratulations again!", " We're grateful for this community.", " Onward!",
                    " Proud doesn't begin to cover it.", " Thank you for your support.",
                    " You make a difference every day.", " Together we're stronger.", " Let's keep it going!",
                    " Amazing work.", " This is why we do what we do.", " Bravo!", " So proud of this team.",
                    " Thanks for making it happen.", " A great day for our community.", " Cheers!", " We're inspired."),
    ("en", "neu"): ("", " Learn more on our website.", " Share with someone who needs it.",
                    " Questions? Ask your care team.", " Details on our website.", " More to come.", " Please share.",
                    " Follow us for updates.", " Thank you.", " Stay informed.", " Visit our website for details.",
                    " Share this post.", " Check our website for more.", " Pass it on.", " Save this post for later.",
                    " Thanks for reading.", " Learn more at the link in our bio.", " Ask us in the comments.",
                    " Stay healthy.", " Take care.", " We're here to help.", " See you there.",
                    " Read the full story on our website.", " Questions welcome."),
    ("en", "neg"): ("", " We're sorry for any inconvenience.", " Thank you for your patience.",
                    " We will share updates here.", " Please check back for updates.",
                    " We appreciate your understanding.", " We regret the disruption.", " We know this is hard.",
                    " We apologize and will do better.", " Updates to follow.", " More information soon.",
                    " Thank you for bearing with us.", " We share your frustration.", " We are sorry this happened.",
                    " Please stay safe.", " We will keep you informed.", " Our teams are working on it.",
                    " Thank you for understanding.", " Stay tuned for updates.", " We regret this news.",
                    " This is a difficult day for us.", " We're grateful for your support."),
    ("es", "pos"): ("", " ¡Gracias a todos!", " ¡Muy merecido!", " ¡Enhorabuena!", " Gracias por su apoyo.",
                    " ¡Seguimos adelante!", " Orgullosos de nuestro equipo.", " ¡Juntos somos más fuertes!",
                    " Gracias a la comunidad.", " ¡Qué gran equipo!"),
    ("es", "neu"): ("", " Más información en nuestro sitio web.", " Comparta esta información.",
                    " Síganos para más avisos.", " Gracias.", " Cuídese.", " Estamos para ayudarle.",
                    " Pregunte a su equipo de salud.", " Guarde esta publicación.", " Infórmese."),
    ("es", "neg"): ("", " Disculpe las molestias.", " Gracias por su paciencia.", " Daremos más información pronto.",
                    " Lamentamos la situación.", " Agradecemos su comprensión.", " Le mantendremos informado.",
                    " Sentimos mucho lo ocurrido.", " Estamos trabajando para resolverlo.", " Cuídese mucho."),
}
HASHTAGS = {
    ("en", "networking"): ("#HealthcareLeadership", "#NursesRock", "#Teamwork", "#HealthcareHeroes", "#MedTwitter",
                           "#Proud", "#CommunityPartners"),
    ("en", "education_research"): ("#Research", "#MedEd", "#ClinicalTrials", "#HealthLiteracy", "#GrandRounds",
                                   "#Science"),
    ("en", "promotion_events"): ("#CommunityHealth", "#Fundraiser", "#HealthFair", "#SaveTheDate", "#GivingTuesday",
                                 "#GrandOpening"),
    ("en", "patient_communication"): ("#PatientExperience", "#PatientCare", "#ServiceUpdate", "#PatientPortal"),
    ("en", "public_health"): ("#PublicHealth", "#VaccinesWork", "#StaySafe", "#HealthAlert", "#PreventionMatters"),
    ("en", "recruitment"): ("#HealthcareJobs", "#NursingJobs", "#JoinOurTeam", "#CareerGrowth"),
    ("es",): ("#Salud", "#SaludPública", "#Comunidad", "#Vacúnate", "#Empleo", "#Bienestar"),
}
EMOJIS = {"pos": ("💙", "🎉", "👏", "🙌", "❤️", "🌟", "👩‍⚕️", "🥳"), "neu": ("🩺", "📢", "🏥", "💉", "📅", "ℹ️", "👉"),
          "neg": ("🙏", "💙", "⚠️")}
LINK_SECTION = ("community", "research", "events", "patients", "health-info", "careers")
LINK_WORDS = ("update", "story", "news", "details", "info", "post", "article", "announcement")
SLOT = re.compile(r"\{(\w+)\}")
LABELLED = re.compile(r"^[^.!?:]{1,45}: ")


@dataclass(frozen=True)
class Template:
    theme: str
    mood: str
    text: str
    weight: float = 1.0
    season: str = "none"
    lang: str = "en"


def _t(theme, mood, text, weight=1.0, season="none", lang="en"):
    return Template(theme, mood, text, weight, season, lang)


TEMPLATES = (
    # networking and professional community
    _t("networking", "pos",
       "Congratulations to our {dept} team on {honor}. {many} patients benefited from their work this year.", 3),
    _t("networking", "pos",
       "Great conversations at {forum} today. Our {dept} leaders shared lessons from {n} projects on {topic}.", 2),
    _t("networking", "pos",
       "Welcome to the {few} new {role} who joined our {dept} {unit} this month, part of a community of {many} "
       "colleagues.", 2),
    _t("networking", "neu",
       "Our {dept} team is presenting {few} posters at {forum}. Stop by to connect and compare notes on {topic}.", 2),
    _t("networking", "pos",
       "Proud to partner with {partner} to improve {topic} across {area}, reaching {many} residents.", 1.5),
    _t("networking", "pos",
       "Happy {observance}! Today we celebrate our {many} {staff}, with a special thank-you to our {dept} team.", 1.5),
    _t("networking", "neg",
       "We are saddened by the loss of a longtime member of our {dept} {unit} after {years} years of service. "
       "{tribute} Our thoughts are with their loved ones.", 0.6),
    _t("networking", "neu",
       "Our {dept} leaders joined {n} peers from {partner} for a roundtable on {topic} at {forum}.", 1),
    # education and research
    _t("education_research", "neu",
       "New research from our {dept} team: {study} of {many} patients found {finding} in {topic}. Read more in "
       "{journal}.", 3),
    _t("education_research", "neu",
       "Grand rounds on {event_day}: {topic}, presented by our {dept} faculty. Open to all clinicians at {venue}; "
       "{many} have joined the series so far.", 2),
    _t("education_research", "neu",
       "Our cancer center is enrolling {n} participants in a new clinical trial on {cancer}. Ask our {navigator} if "
       "you qualify.", 0.8),
    _t("education_research", "pos",
       "Study update: {pct}% of participants tested negative for {pathogen} after {intervention}, a promising result "
       "from our {dept} team of {few} researchers.", 0.8),
    _t("education_research", "neu",
       "{fact}. Learn how our {dept} specialists approach {topic} in a free talk on {event_day}; {n} seats available.",
       2),
    _t("education_research", "neu",
       "Journal club: our {staff} reviewed {few} recent papers on {topic}. Key takeaway: {takeaway}. {many} clinicians"
       " have joined the series.", 1.2),
    _t("education_research", "pos",
       "Positive results from {study} at our {dept} clinics: {pct}% of patients with {topic} concerns saw {finding} "
       "across {many} visits.", 1),
    _t("education_research", "neu",
       "Our {dept} tumor board reviewed {n} cases this month, including {cancer}. Multidisciplinary review means "
       "{finding} for {pct}% of patients.", 0.6),
    # promotion, events and fundraising
    _t("promotion_events", "pos",
       "Join us for our {event} on {event_day} at {venue}! {activity} and free {freebie} for the first {n} guests.", 3),
    _t("promotion_events", "pos",
       "Thank you! Our {event} raised {usd} for {cause}, thanks to {many} donors and volunteers.", 2),
    _t("promotion_events", "neu",
       "Now open: our new {service} at {venue}, with {few} exam rooms to serve {many} patients a year. {hours}.", 2),
    _t("promotion_events", "pos",
       "Save the date: our {event} returns on {event_day}. Last year {many} neighbors took part and raised {usd}.",
       1.5),
    _t("promotion_events", "pos",
       "We're honored to be named one of the top {n} {ranking}, thanks to our {many} {staff}.", 1),
    _t("promotion_events", "neu",
       "Our cancer center now offers {cancer_service} for patients with {cancer} at {venue}, with {few} specialists on"
       " the team. {hours}.", 0.7),
    _t("promotion_events", "pos",
       "Only {few} days left to support {cause}! Every gift up to {usd} will be matched by our {dept} team.", 1),
    # patient communication and engagement
    _t("patient_communication", "neg",
       "Our {venue} is closed {when_closed} due to {closure_reason}. We will contact the {n} patients with "
       "appointments to reschedule. For urgent needs, please visit our {venue}.", 1.5),
    _t("patient_communication", "neg",
       "Our patient portal and {system} are down since {time} today. {workaround}. {apology} We will post an update by"
       " {time} today.", 1),
    _t("patient_communication", "neg",
       "We hear your concerns about {issue}, and we apologize. {fix}. {many} of you shared feedback and we are "
       "listening.", 0.8),
    _t("patient_communication", "neu",
       "Results from {test_kind}, including negative results, now appear in the patient portal within {few} hours of "
       "{collection}. Questions? Message your {dept} care team.", 1),
    _t("patient_communication", "pos",
       "Thank you to our {dept} patients and families for {n} kind notes this month. Your words keep our {staff} "
       "going.", 1.5),
    _t("patient_communication", "neu",
       "New visitor guidelines at our {venue}: {guideline}. Thank you for helping keep {many} patients safe this "
       "month.", 1.2),
    _t("patient_communication", "neu",
       "Our {dept} telehealth visits are available {availability}. {hours}; {few} clinicians are ready to help.", 1.2),
    _t("patient_communication", "pos",
       "Our {dept} team's patient experience scores rose to {pct}% this quarter across {many} surveys. {hours}.", 1),
    _t("patient_communication", "neg",
       "Sad news: our {service} at {venue} will close on {event_day} after {years} years and {many} patients a year. "
       "{fix}.", 0.5),
    # public-health information
    _t("public_health", "neu",
       "Flu season is here. Free flu shots for {ages} at {few} sites across {area} this {period_word}. {walkin} "
       "#FluSeason", 3, "winter"),
    _t("public_health", "neu",
       "Positive cases of {resp_virus} rose {pct}% {week_word} in {area}. {advice} {many} tests were reported.",
       1.2, "winter"),
    _t("public_health", "neu",
       "If you tested positive for COVID-19, {isolation_advice}. Free test kits are available at {n} locations in "
       "{area}.", 2, "covid"),
    _t("public_health", "neu",
       "COVID-19 update for {area}: {many} new positive cases and {n} hospitalizations reported {week_word}. {advice}",
       2, "covid"),
    _t("public_health", "neu",
       "Heat advisory for {area}: {heat_tip}. Cooling centers are open until {time} at {few} locations; {many} "
       "residents used them last summer.", 1.5, "summer"),
    _t("public_health", "neu",
       "{vaccine} is recommended for {ages}. Our {dept} team gave {many} doses across {area} last year.", 2),
    _t("public_health", "neg",
       "Health alert for {area}: {alert}. {advice} {n} cases have been reported {week_word}.", 1),
    _t("public_health", "neg",
       "Mosquito samples from {area} tested positive for West Nile virus {week_word}. Use repellent and drain standing"
       " water; {n} traps in {few} neighborhoods are being monitored.", 0.7, "summer"),
    _t("public_health", "pos",
       "Good news: {pct}% of {sample_kind} from {area} tested negative for {contaminant} in our latest round of {many}"
       " tests.", 0.8),
    # recruitment and careers
    _t("recruitment", "neu",
       "We're hiring {role} for our {dept} team at {venue}! {benefit}. Apply today. #NowHiring", 3),
    _t("recruitment", "neu", "Join our team: {n} open positions for {role}, including {shift} shifts. {benefit}.", 2),
    _t("recruitment", "pos",
       "Hiring event on {event_day}: meet our {dept} leaders and interview on the spot for {role} roles; {n} positions"
       " are open. {benefit}.", 1.2),
    _t("recruitment", "neu",
       "Nursing students: our {dept} residency accepts applications for the {cohort} cohort through {event_day}. {few}"
       " spots; {many} applied last year. {benefit}.", 1),
    _t("recruitment", "pos",
       "Meet our team: after {years} years as one of our {role}, {career_story} Join {workplace}; {n} roles are open "
       "in {dept}.", 1),
    _t("recruitment", "neu",
       "Our cancer center is hiring {role} for {cancer} care at {venue}. Join {workplace}. {benefit}.", 0.6),
    # Spanish
    _t("public_health", "neu",
       "Temporada de gripe: vacunas gratis para {ages_es} en {few} centros de {area_es}. {advice_es} Aplicamos {many} "
       "dosis el año pasado. #TemporadaDeGripe", 2, "winter", "es"),
    _t("public_health", "neu",
       "Si dio positivo a COVID-19, {isolation_es}. Hay pruebas gratuitas en {n} lugares de {area_es} y {many} kits "
       "entregados.", 1.5, "covid", "es"),
    _t("public_health", "neu",
       "Su salud importa: {advice_es} Nuestro equipo de {dept_es} atendió a {many} personas de {area_es} sobre "
       "{topic_es}.", 1.5, "none", "es"),
    _t("patient_communication", "neg",
       "Nuestra {venue_es} está cerrada hoy por {reason_es}. Le llamaremos para reprogramar su cita con {dept_es}. "
       "{few} equipos atienden en la {venue_es}.", 1, "none", "es"),
    _t("patient_communication", "neu",
       "Los resultados de {test_es}, incluidos los resultados negativos, llegan al portal en {few} horas. Dudas: su "
       "equipo de {dept_es} en la {venue_es} atendió {many} consultas.", 1, "none", "es"),
    _t("promotion_events", "pos",
       "Acompáñenos en la {event_es} el {event_day_es} en nuestra {venue_es}. {activity_es} y regalos para las "
       "primeras {n} personas. Participaron {many} vecinos el año pasado.", 1, "none", "es"),
    _t("promotion_events", "neu",
       "Abrimos nuestra nueva {service_es} en la {venue_es}, con {few} consultorios y atención de {dept_es} para "
       "{many} familias.", 1, "none", "es"),
    _t("recruitment", "neu",
       "¡Estamos contratando {role_es} para nuestro equipo de {dept_es} en la {venue_es}! {benefit_es}. {n} vacantes "
       "abiertas.", 1, "none", "es"),
    _t("education_research", "neu",
       "Nuevo estudio de nuestro equipo de {dept_es}: {finding_es} en {many} pacientes con {topic_es}. Participaron "
       "{few} clínicas de {area_es}.", 1, "none", "es"),
    _t("networking", "pos",
       "Felicitaciones a nuestro equipo de {dept_es} por {honor_es}. ¡Gracias a sus {n} integrantes y a las {many} "
       "familias que atienden en {area_es}!", 1, "none", "es"),
)
DERIVED_SLOTS = ("event_day", "event_day_es")  # filled from the post's own date, so events fall after the post


@dataclass
class _Compiled:
    """A template split into literals and slot pools, with its capacity (distinct fillings)."""
    theme: int
    mood: int
    lang: str
    weight: float
    season: int
    literals: list[str]
    slots: list[str]           # one per gap between literals: pool name or derived-slot name
    radices: list[int]         # pool sizes of the counted slots, in slot order (derived slots excluded)
    capacity: int


def _pool(name: str, lang: str, mood: str) -> tuple[str, ...]:
    if name == "opener":
        return OPENERS[(lang, mood)]
    if name == "closer":
        return CLOSERS[(lang, mood)]
    return tuple(NUMBERS.get(name) or POOLS_EN.get(name) or POOLS_ES[name])


def compile_templates() -> tuple[list[_Compiled], dict[tuple[str, str, str], pa.Array]]:
    """Split every template into literals and slots; return them with the pyarrow pools they draw from."""
    compiled, pools = [], {}
    for t in TEMPLATES:
        # A template that opens with its own label ("Study update: ...") takes no opener in front of it.
        text = ("" if LABELLED.match(t.text) else "{opener}") + t.text + "{closer}"
        parts = SLOT.split(text)  # literal, slot, literal, slot, ..., literal
        literals, slots, radices = parts[0::2], parts[1::2], []
        for name in slots:
            if name in DERIVED_SLOTS:
                continue
            key = (name, t.lang, t.mood) if name in ("opener", "closer") else (name, "", "")
            if key not in pools:
                values = _pool(name, t.lang, t.mood)
                if len(set(values)) != len(values):
                    raise ValueError(f"pool {name!r} has repeated values: texts would stop being unique")
                pools[key] = pa.array(values, pa.string())
            radices.append(len(pools[key]))
        capacity = math.prod(radices)
        if capacity < MIN_TEMPLATE_CAPACITY or capacity >= 2**62:
            raise ValueError(f"template capacity {capacity:,} out of range: {t.text!r}")
        compiled.append(_Compiled(THEMES.index(t.theme), MOODS.index(t.mood), t.lang, t.weight,
                                  SEASONS.index(t.season), literals, slots, radices, capacity))
    return compiled, pools


# ---------------------------------------------------------------------------------------------------------------
# The model: organizations, platform adoption and the day grid, all drawn once from the seed
# ---------------------------------------------------------------------------------------------------------------
def _day(s: str | date) -> np.datetime64:
    return np.datetime64(s if isinstance(s, str) else s.isoformat(), "D")


def _year_fraction(days: np.ndarray) -> np.ndarray:
    return 1970 + days.astype("int64") / 365.2425


def _season_curves(days: np.ndarray) -> np.ndarray:
    """Multipliers per season kind (SEASONS order) for each day: flu peaks in winter, heat in summer."""
    doy = (days - days.astype("datetime64[Y]")).astype("int64")
    winter = np.exp(1.2 * np.cos(2 * np.pi * (doy - 340) / 365.25))
    summer = np.exp(1.2 * np.cos(2 * np.pi * (doy - 196) / 365.25))
    covid = np.select(
        [days < _day("2020-03-01"), days < _day("2022-01-01"), days < _day("2023-06-01")], [0.0, 3.0, 1.0], 0.4)
    return np.stack([np.ones(len(days)), winter, summer, covid])


def _day_weights(days: np.ndarray) -> np.ndarray:
    """Posting intensity per platform and day: weekends, holidays, summer lull, growth, platform trends."""
    weekday = (days.astype("int64") + 3) % 7  # 1970-01-01 was a Thursday; Monday is 0
    month = days.astype("datetime64[M]").astype("int64") % 12 + 1
    dom = (days - days.astype("datetime64[M]")).astype("int64") + 1
    year = _year_fraction(days)
    base = np.where(weekday >= 5, 0.42, 1.0)
    base *= np.where(((month == 12) & (dom >= 24)) | ((month == 1) & (dom == 1)), 0.55, 1.0)
    base *= np.where((month == 7) | (month == 8), 0.9, 1.0)
    base *= 1.0 + 0.07 * np.clip(year - 2016, 0, None)
    base *= np.where((days >= _day("2020-03-01")) & (days < _day("2021-01-01")), 1.3, 1.0)  # pandemic surge
    after = lambda y0: np.clip(year - y0, 0, None)  # noqa: E731 - years since y0, floored at zero
    trend = np.stack([
        1.0 - 0.05 * after(2020),                                   # facebook: slow decline
        np.where(days >= _day("2022-11-01"), 0.6, 1.0),             # twitter/X: drop after the takeover
        np.minimum(0.6 + 0.1 * after(2016), 1.4),                   # instagram
        np.minimum(0.6 + 0.1 * after(2016), 1.5),                   # linkedin
        np.ones(len(days)),                                         # youtube
        0.5 + 0.25 * after(2019),                                   # tiktok
        np.ones(len(days)),                                         # threads
    ])
    return base[None, :] * trend


def _theme_time(days: np.ndarray, seasons: np.ndarray) -> np.ndarray:
    """Theme multipliers per day (days x THEMES): public health in winter and in the pandemic, fewer events in 2020."""
    out = np.ones((len(days), len(THEMES)))
    out[:, 4] = 0.6 + 0.25 * seasons[1] + 0.8 * seasons[3]
    out[:, 2] = np.where((days >= _day("2020-03-15")) & (days < _day("2021-04-01")), 0.5, 1.0)
    out[:, 5] = np.where((days >= _day("2021-06-01")) & (days < _day("2023-06-01")), 1.4, 1.0)  # staffing shortage
    return out


@dataclass
class Orgs:
    table: pa.Table            # organizations.csv
    type_idx: np.ndarray       # index into ORG_TYPES
    recruiting: np.ndarray     # recruitment-heavy employers: more likely on LinkedIn and posting more there
    tz_hours: np.ndarray       # fixed UTC offset used for posting hours and local-time exports
    es_share: np.ndarray       # share of posts in Spanish
    rate: np.ndarray           # posting intensity
    followers: np.ndarray      # audience per platform (orgs x platforms)
    adopt: np.ndarray          # first day on each platform (datetime64[D]), NaT if never
    leave: np.ndarray          # last day + 1 on each platform, NaT if still active


def _org_names(rng: np.random.Generator, types: np.ndarray, spanish: np.ndarray) -> list[str]:
    """Names from invented places, each place used once while they last; a number keeps later names distinct."""
    places = {False: list(rng.permutation(PLACES)), True: list(rng.permutation(PLACES_ES))}
    names: list[str] = []
    for t, es in zip(types, spanish.tolist()):
        patterns = (NAME_PATTERNS_ES if es else NAME_PATTERNS)[ORG_TYPES[t]]
        pool = places[es]
        place = pool.pop(0) if pool else str(rng.choice(PLACES_ES if es else PLACES))
        name = str(rng.choice(patterns)).format(place)
        names.append(name if name not in names else f"{name} {len(names) + 1}")
    return names


def make_orgs(k: int, seed: int) -> Orgs:
    """K synthetic organizations: every org type once (when K >= 9), heavy-tailed posting rates, adoption dates."""
    if k < 1:
        raise ValueError("need at least one organization")
    rng = np.random.default_rng([seed, 1])
    types = np.concatenate([rng.permutation(len(ORG_TYPES)), rng.choice(len(ORG_TYPES), max(0, k - 9), p=TYPE_SHARE)])
    types = rng.permutation(types[:k]) if k > 9 else types[:k]
    country_idx = rng.choice(len(COUNTRIES), k, p=[c[2] for c in COUNTRIES])
    tz = np.array([rng.choice(COUNTRIES[c][3]) for c in country_idx])
    spanish = np.isin([COUNTRIES[c][0] for c in country_idx], ["ES", "MX"])
    us, health_dept = country_idx == 0, types == ORG_TYPES.index("public_health_agency")
    es_share = np.where(spanish, 0.92, np.where(us, np.where(health_dept, 0.18, 0.04), 0.0))
    rate = np.array(TYPE_RATE)[types] * np.minimum(1 + rng.pareto(2.0, k), 8)
    followers = (np.array(TYPE_FOLLOWERS)[types] * rng.lognormal(0, 0.9, k))[:, None] * PLATFORM_AUDIENCE[None, :]
    followers *= rng.lognormal(0, 0.5, followers.shape)

    prob = ADOPT_PROB[types].copy()
    recruiting = np.isin(types, [ORG_TYPES.index(t) for t in RECRUITING_TYPES])
    prob[:, LINKEDIN] = np.where(recruiting, prob[:, LINKEDIN], prob[:, LINKEDIN] * 0.6)
    adopted = rng.random(prob.shape) < prob
    adopted[~adopted.any(axis=1), FACEBOOK] = True  # every org is on at least Facebook
    for p in range(len(PLATFORMS)):
        if not adopted[:, p].any():  # every platform has at least one organization on it
            adopted[int(np.argmax(rate)), p] = True
    adopt = np.full(adopted.shape, np.datetime64("NaT"), "datetime64[D]")
    for p, name in enumerate(PLATFORMS):
        lo, hi = (_day(d) for d in ADOPT_WINDOW[name])
        draw = lo + rng.integers(0, int((hi - lo).astype(int)) + 1, k)
        adopt[:, p] = np.where(adopted[:, p], draw, np.datetime64("NaT"))
    leave = np.full(adopted.shape, np.datetime64("NaT"), "datetime64[D]")
    lo, hi = (_day(d) for d in LEAVE_X_WINDOW)
    leaves = adopted[:, TWITTER] & (rng.random(k) < LEAVE_X_PROB)
    leave[:, TWITTER] = np.where(leaves, lo + rng.integers(0, int((hi - lo).astype(int)) + 1, k), np.datetime64("NaT"))

    names = _org_names(rng, types, spanish)
    width = max(4, len(str(k)))
    table = pa.table({
        "org_id": [f"org-{i + 1:0{width}d}" for i in range(k)],
        "org_name": [f"{n} (synthetic)" for n in names],
        "org_type": [ORG_TYPES[t] for t in types],
        "country": [COUNTRIES[c][0] for c in country_idx],
        "region": [COUNTRIES[c][1] for c in country_idx],
    }, schema=ORG_SCHEMA)
    return Orgs(table, types, recruiting, tz, es_share, rate, followers, adopt, leave)


class PostModel:
    """Everything fixed for a run: orgs, the day grid, sampling tables and compiled templates."""

    def __init__(self, orgs: Orgs, start: date, end: date, seed: int):
        if end < start:
            raise ValueError("end is before start")
        self.orgs, self.start, self.seed = orgs, _day(start), seed
        self.days = np.arange(self.start, _day(end) + 1)
        n_days, n_plat = len(self.days), len(PLATFORMS)
        self.seasons = _season_curves(self.days)
        self.theme_time = _theme_time(self.days, self.seasons)
        weights = _day_weights(self.days)
        cum = np.concatenate([np.zeros((n_plat, 1)), np.cumsum(weights, axis=1)], axis=1)  # platforms x (days+1)
        offsets = np.concatenate([[0.0], np.cumsum(cum[:, -1])[:-1]])
        self.flat_cum = (cum[:, 1:] + offsets[:, None]).ravel()  # one increasing array over (platform, day)

        # Each (org, platform) pair's active window [a, b) in day indices, and the posting mass inside it.
        to_idx = lambda d, default: np.where(np.isnat(d), default, (d - self.start).astype("int64"))  # noqa: E731
        a = np.clip(to_idx(orgs.adopt, n_days), 0, n_days)
        b = np.clip(to_idx(orgs.leave, n_days), 0, n_days)
        b = np.maximum(a, b)
        plat = np.broadcast_to(np.arange(n_plat), a.shape)
        self.lo = cum[plat, a] + offsets[plat]
        self.hi = cum[plat, b] + offsets[plat]
        volume = np.tile(PLATFORM_VOLUME, (len(orgs.rate), 1))
        volume[orgs.recruiting, LINKEDIN] *= 2.0
        volume[orgs.type_idx == ORG_TYPES.index("health_media"), YOUTUBE] *= 2.0
        pair_w = (orgs.rate[:, None] * volume * (self.hi - self.lo)).ravel()
        if pair_w.sum() <= 0:
            raise ValueError("no organization is active on any platform in the date range")
        self.pair_cum = np.cumsum(pair_w) / pair_w.sum()
        self.adopt_idx = to_idx(orgs.adopt, 0)

        self.templates, self.pools = compile_templates()
        trng = np.random.default_rng([seed, 3])
        # The offset makes the texts depend on the seed; the stride scatters consecutive fillings.
        self.text_offsets = [int(trng.integers(0, t.capacity)) for t in self.templates]
        self.counters = np.zeros(len(self.templates), dtype=np.int64)  # fillings used so far, per template
        self.groups = {}
        for i, t in enumerate(self.templates):
            self.groups.setdefault((t.theme, t.lang), []).append(i)
        self.event_days = _event_day_pools()
        self.extras = _extra_pools()


def _event_day_pools() -> dict[str, pa.Array]:
    """'Saturday, March 14' for every weekday x month x day, indexed (weekday * 12 + month - 1) * 31 + day - 1."""
    en, es = [], []
    for wd in range(7):
        for m in range(12):
            for d in range(1, 32):
                en.append(f"{WEEKDAYS[wd]}, {MONTHS[m]} {d}")
                es.append(f"{WEEKDAYS_ES[wd]} {d} de {MONTHS_ES[m]}")
    return {"event_day": pa.array(en), "event_day_es": pa.array(es)}


def _extra_pools() -> dict:
    """Hashtags per (lang, theme), emoji per mood: one flat pool each with '' at 0 and offsets per group."""
    tags, tag_off, tag_len = [""], np.zeros((2, len(THEMES)), np.int64), np.zeros((2, len(THEMES)), np.int64)
    for li, lang in enumerate(("en", "es")):
        for ti, theme in enumerate(THEMES):
            values = HASHTAGS[(lang, theme)] if lang == "en" else HASHTAGS[("es",)]
            tag_off[li, ti], tag_len[li, ti] = len(tags), len(values)
            tags.extend(" " + v for v in values)
    emo, emo_off, emo_len = [""], [], []
    for mood in MOODS:
        emo_off.append(len(emo))
        emo_len.append(len(EMOJIS[mood]))
        emo.extend(" " + v for v in EMOJIS[mood])
    return {"tags": pa.array(tags), "tag_off": tag_off, "tag_len": tag_len, "emoji": pa.array(emo),
            "emo_off": np.array(emo_off), "emo_len": np.array(emo_len),
            "section": pa.array(LINK_SECTION), "word": pa.array(LINK_WORDS)}


# ---------------------------------------------------------------------------------------------------------------
# One block of posts
# ---------------------------------------------------------------------------------------------------------------
def _pick(cum_weights: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Row-wise categorical draw: cum_weights is rows x k (cumulative, unnormalised), u uniform per row."""
    return (cum_weights < (u * cum_weights[:, -1])[:, None]).sum(axis=1)


def _pacific_offset_hours(ts: np.ndarray, years: range) -> np.ndarray:
    """US Pacific UTC offset (-7 in daylight time, -8 otherwise) for epoch seconds: Meta exports in Pacific time."""
    starts, ends = [], []
    for y in years:
        march = date(y, 3, 8) + timedelta(days=(6 - date(y, 3, 8).weekday()) % 7)  # second Sunday of March
        nov = date(y, 11, 1) + timedelta(days=(6 - date(y, 11, 1).weekday()) % 7)  # first Sunday of November
        starts.append(calendar.timegm((y, march.month, march.day, 10, 0, 0)))  # 2 a.m. PST is 10:00 UTC
        ends.append(calendar.timegm((y, nov.month, nov.day, 9, 0, 0)))  # 2 a.m. PDT is 09:00 UTC
    starts, ends = np.array(starts), np.array(ends)
    i = np.searchsorted(starts, ts, side="right") - 1
    dst = (i >= 0) & (ts < ends[np.clip(i, 0, None)])
    return np.where(dst, -7, -8)


def _fill_texts(model: PostModel, rng: np.random.Generator, tmpl: np.ndarray, day_idx: np.ndarray) -> pa.Array:
    """Each row's text: template slots filled from the row's counter, so no two rows get the same filling."""
    n = len(tmpl)
    counts = np.bincount(tmpl, minlength=len(model.templates))
    order = np.argsort(tmpl, kind="stable")
    starts = np.cumsum(counts) - counts
    k = np.empty(n, np.int64)
    k[order] = model.counters[tmpl[order]] + (np.arange(n) - starts[tmpl[order]])
    model.counters += counts
    event = model.start + day_idx + rng.integers(3, 31, n)  # events fall 3-30 days after the post
    ev_idx = ((event.astype("int64") + 3) % 7 * 12 + event.astype("datetime64[M]").astype("int64") % 12) * 31 \
        + (event - event.astype("datetime64[M]")).astype("int64")
    pieces = []
    for ti in np.flatnonzero(counts):
        t = model.templates[ti]
        rows = order[starts[ti]:starts[ti] + counts[ti]]
        kk = k[rows].astype(np.uint64)
        if kk.max() >= min(t.capacity, 2**31):
            raise ValueError(f"template {ti} used more than {t.capacity:,} times: texts would repeat")
        code = (kk * np.uint64(_STRIDE) + np.uint64(model.text_offsets[ti])) % np.uint64(t.capacity)
        parts: list = [t.literals[0]]
        radix_i = 0
        for name, literal in zip(t.slots, t.literals[1:]):
            if name in DERIVED_SLOTS:
                parts.append(model.event_days[name].take(pa.array(ev_idx[rows])))
            else:
                radix = np.uint64(t.radices[radix_i])
                digit, code = code % radix, code // radix
                key = (name, t.lang, MOODS[t.mood]) if name in ("opener", "closer") else (name, "", "")
                parts.append(model.pools[key].take(pa.array(digit.astype(np.int64))))
                radix_i += 1
            parts.append(literal)
        pieces.append(pc.binary_join_element_wise(*[p for p in parts if not isinstance(p, str) or p], ""))
    inverse = np.empty(n, np.int64)
    inverse[order] = np.arange(n)
    return pa.concat_arrays(pieces).take(pa.array(inverse))


def _decorate(model: PostModel, rng: np.random.Generator, text: pa.Array, theme, lang_es, mood, n) -> pa.Array:
    """Hashtags, emoji and links, sometimes; a link sometimes goes on its own line, as people write them."""
    ex = model.extras
    li = lang_es.astype(np.int64)
    has_tag = rng.random(n) < 0.35
    tag = np.where(has_tag, ex["tag_off"][li, theme] + (rng.random(n) * ex["tag_len"][li, theme]).astype(np.int64), 0)
    has_emoji = rng.random(n) < np.array([0.3, 0.12, 0.05])[mood]
    emoji = np.where(has_emoji, ex["emo_off"][mood] + (rng.random(n) * ex["emo_len"][mood]).astype(np.int64), 0)
    has_link = rng.random(n) < 0.3
    sep = np.where(rng.random(n) < 0.3, "\n\n", " ")
    link = pc.binary_join_element_wise(
        pa.array(sep), "https://example.org/", ex["section"].take(pa.array(theme)), "/",
        ex["word"].take(pa.array(rng.integers(0, len(LINK_WORDS), n))), "-",
        pa.array(rng.integers(1000, 1_000_000, n)).cast(pa.string()), "")
    link = pc.if_else(pa.array(has_link), link, "")
    tags, emojis = ex["tags"].take(pa.array(tag)), ex["emoji"].take(pa.array(emoji))
    return pc.binary_join_element_wise(text, tags, emojis, link, "")


def _timestamps(model: PostModel, rng, org, plat, day_idx) -> pa.Array:
    """Posting times on the drawn UTC days, written as each platform's export writes them."""
    n = len(org)
    tz = model.orgs.tz_hours[org]
    local = np.where(rng.random(n) < 0.85, rng.normal(11.5 * 3600, 2.8 * 3600, n), rng.random(n) * 86400)
    # The UTC date stays the drawn day (adoption dates and range hold); the hour follows the org's local clock.
    seconds = (np.clip(local, 0, 86399).astype(np.int64) - tz * 3600) % 86400
    ts = model.start.astype("datetime64[s]").astype(np.int64) + day_idx * 86400 + seconds
    # Meta: Pacific time with offset; YouTube: the org's own offset; X and TikTok: Z; LinkedIn: naive UTC.
    years = range(int(_year_fraction(model.days[:1])[0]) - 1, int(_year_fraction(model.days[-1:])[0]) + 2)
    meta = np.isin(plat, [FACEBOOK, INSTAGRAM, THREADS])
    offset = np.where(meta, _pacific_offset_hours(ts, years), np.where(plat == YOUTUBE, tz, 0))
    kind = np.where(meta | (plat == YOUTUBE), 1, np.where(plat == LINKEDIN, 2, 0))  # 0 Z, 1 offset, 2 naive
    s = pa.array(np.datetime_as_string((ts + offset * 3600).astype("datetime64[s]"), unit="s"))
    suffixes = pa.array(["Z", ""] + [f"{'-' if h < 0 else '+'}{abs(h):02d}:00" for h in range(-12, 15)])
    suffix = np.where(kind == 0, 0, np.where(kind == 2, 1, offset + 14))
    sep = pa.array(["T", " "]).take(pa.array((kind == 2).astype(np.int64)))
    text = pc.binary_join_element_wise(pc.utf8_slice_codeunits(s, 0, 10), sep, pc.utf8_slice_codeunits(s, 11, 19),
                                       suffixes.take(pa.array(suffix)), "")
    return text


def _spellings() -> tuple[pa.Array, np.ndarray, np.ndarray]:
    names, cum, off = [], [], []
    for key in (*PLATFORMS, "x"):
        off.append(len(names))
        names.extend(v for v, _ in PLATFORM_SPELLINGS[key])
        c = np.cumsum([p for _, p in PLATFORM_SPELLINGS[key]])
        cum.append(np.pad(c / c[-1], (0, 3 - len(c)), constant_values=1.0))
    return pa.array(names), np.array(cum), np.array(off)


_SPELL_NAMES, _SPELL_CUM, _SPELL_OFF = _spellings()


def make_block(model: PostModel, first_row: int, n: int, block_index: int) -> pa.Table:
    """n posts starting at global row first_row, from the block's own generator; blocks must come in order."""
    rng = np.random.default_rng([model.seed, 2, block_index])
    n_plat = len(PLATFORMS)
    pair = np.minimum(np.searchsorted(model.pair_cum, rng.random(n), side="right"), len(model.pair_cum) - 1)
    org, plat = pair // n_plat, pair % n_plat
    lo, hi = model.lo[org, plat], model.hi[org, plat]
    flat = np.searchsorted(model.flat_cum, lo + rng.random(n) * (hi - lo), side="right")
    day_idx = np.clip(flat - plat * len(model.days), 0, len(model.days) - 1)
    posted_at = _timestamps(model, rng, org, plat, day_idx)
    days = model.days[day_idx]  # UTC dates

    otype = model.orgs.type_idx[org]
    theme_w = THEME_BY_TYPE[otype] * THEME_BY_PLATFORM[plat] * model.theme_time[day_idx]
    theme = _pick(np.cumsum(theme_w, axis=1), rng.random(n))
    lang_es = rng.random(n) < model.orgs.es_share[org]
    tmpl = np.empty(n, np.int64)
    u = rng.random(n)
    for (th, lang), members in model.groups.items():
        rows = np.flatnonzero((theme == th) & (lang_es == (lang == "es")))
        if len(rows):
            group = [model.templates[i] for i in members]
            season = model.seasons[[t.season for t in group]][:, day_idx[rows]].T
            w = np.array([t.weight for t in group])[None, :] * season
            tmpl[rows] = np.array(members)[_pick(np.cumsum(w, axis=1), u[rows])]
    mood = np.array([t.mood for t in model.templates])[tmpl]
    text = _decorate(model, rng, _fill_texts(model, rng, tmpl, day_idx), theme, lang_es, mood, n)

    # Engagement: audience grows after adoption; lognormal noise with a Pareto tail of viral posts.
    years_on = np.clip((day_idx - model.adopt_idx[org, plat]) / 365.25, 0, None)
    followers = model.orgs.followers[org, plat] * (0.35 + 0.65 * np.minimum(1, years_on / 4)) \
        * (1 + 0.05 * np.clip(_year_fraction(days) - 2016, 0, None))
    viral = np.where(rng.random(n) < 0.02, 1 + 3 * rng.pareto(1.2, n), 1.0)
    lam = followers * LIKE_RATE[plat] * THEME_LIKES[theme] * MOOD_LIKES[mood] * rng.lognormal(0, 0.9, n) * viral
    likes = rng.poisson(np.minimum(lam, 5e7))
    shares = rng.poisson(likes * SHARE_RATIO[plat] * THEME_SHARES[theme] * rng.lognormal(0, 0.5, n))
    comments = rng.poisson(likes * COMMENT_RATIO[plat] * MOOD_COMMENTS[mood] * rng.lognormal(0, 0.5, n))
    view_draw = np.round((likes + 1) * VIEW_RATIO[plat] * rng.lognormal(0, 0.6, n)).astype(np.int64)
    reports_views = np.isin(plat, [YOUTUBE, TIKTOK]) | ((plat == TWITTER) & (days >= _day(X_VIEWS_FROM))) \
        | ((plat == INSTAGRAM) & (rng.random(n) < INSTAGRAM_VIDEO_SHARE))

    spell_key = np.where((plat == TWITTER) & (days >= _day(X_RENAME)), n_plat, plat)  # n_plat: the "x" spellings
    spelling = _SPELL_OFF[spell_key] + _pick(_SPELL_CUM[spell_key], rng.random(n))
    number = pc.utf8_lpad(pa.array(first_row + np.arange(n)).cast(pa.string()), width=9, padding="0")
    key = pa.array(PLATFORMS).take(pa.array(plat))
    org_id = model.orgs.table["org_id"].combine_chunks().take(pa.array(org))
    return pa.table({
        "post_id": pc.binary_join_element_wise("syn-", key, "-", number, ""),
        "platform": _SPELL_NAMES.take(pa.array(spelling)),
        "org_id": org_id,
        "posted_at": posted_at,
        "text": text,
        "likes": pa.array(likes, pa.int64()),
        "shares": pa.array(shares, pa.int64()),
        "comments": pa.array(comments, pa.int64()),
        "views": pa.array(view_draw, pa.int64(), mask=~reports_views),
        "url": pc.binary_join_element_wise("https://example.org/", key, "/", org_id, "/posts/", number, ""),
        "lang": pa.array(np.where(lang_es, "es", "en")),
    }, schema=POST_SCHEMA)


# ---------------------------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------------------------
def write_csv(table: pa.Table, path: Path) -> None:
    """The project's CSV: comma, header, UTF-8, strings quoted (RFC 4180), nulls as empty fields."""
    pacsv.write_csv(table, path)


class _PartWriter:
    """Splits a stream of blocks into part files of at most rows_per_file rows, rotating through formats."""

    def __init__(self, folder: Path, formats: list[str], rows_per_file: int):
        self.folder, self.formats, self.limit = folder, formats, rows_per_file
        self.files: dict[str, int] = {}
        self._writer = self._path = self._fmt = None
        self._rows = 0

    def write(self, table: pa.Table) -> None:
        at = 0
        while at < table.num_rows:
            if self._writer is None:
                self._open()
            take = min(self.limit - self._rows, table.num_rows - at)
            self._write(table.slice(at, take))
            at += take
            self._rows += take
            if self._rows == self.limit:
                self.close()

    def _open(self) -> None:
        fmt = self.formats[len(self.files) % len(self.formats)]
        self._path = self.folder / f"part-{len(self.files):05d}.{fmt}"
        self._fmt = fmt
        if fmt == "csv":
            self._writer = pacsv.CSVWriter(self._path, POST_SCHEMA)
        elif fmt == "parquet":
            self._writer = pq.ParquetWriter(self._path, POST_SCHEMA)
        else:
            self._writer = self._path.open("w", encoding="utf-8", newline="\n")
        self.files[f"posts/{self._path.name}"] = 0

    def _write(self, table: pa.Table) -> None:
        if self._fmt == "jsonl":
            cols = [table[c].to_pylist() for c in POST_COLUMNS]
            self._writer.writelines(json.dumps(dict(zip(POST_COLUMNS, row)), ensure_ascii=False) + "\n"
                                    for row in zip(*cols))
        else:
            self._writer.write_table(table)
        self.files[f"posts/{self._path.name}"] += table.num_rows

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._writer, self._rows = None, 0


def generate(out_dir: Path | str, posts: int, orgs: int, seed: int, formats=("csv",),
             start: date | str = "2016-01-01", end: date | str = "2025-12-31",
             rows_per_file: int = 1_000_000) -> dict:
    """Write <out>/organizations.csv and <out>/posts/part-NNNNN.<fmt>; formats may repeat and rotate per part."""
    formats = [f.strip().lower() for f in formats]
    if not formats or any(f not in FORMATS for f in formats):
        raise ValueError(f"formats must be a non-empty list from {FORMATS}")
    if posts < 0 or rows_per_file < 1:
        raise ValueError("posts must be >= 0 and rows_per_file >= 1")
    start = date.fromisoformat(start) if isinstance(start, str) else start
    end = date.fromisoformat(end) if isinstance(end, str) else end
    out = Path(out_dir)
    folder = out / "posts"
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("part-*"):  # parts of an earlier run would otherwise mix into this one
        if stale.suffix.lstrip(".") in FORMATS:
            stale.unlink()
    org_data = make_orgs(orgs, seed)
    write_csv(org_data.table, out / "organizations.csv")
    model = PostModel(org_data, start, end, seed)
    writer = _PartWriter(folder, formats, rows_per_file)
    for block, first in enumerate(range(0, posts, BLOCK_ROWS)):
        writer.write(make_block(model, first, min(BLOCK_ROWS, posts - first), block))
    writer.close()
    return {"out_dir": str(out), "posts": posts, "orgs": orgs, "seed": seed,
            "organizations": "organizations.csv", "files": writer.files}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, required=True)
    parser.add_argument("--orgs", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--formats", default="csv", help="comma-separated, rotated across parts: csv,jsonl,parquet")
    parser.add_argument("--start", default="2016-01-01")
    parser.add_argument("--end", default="2025-12-31")
    parser.add_argument("--rows-per-file", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    summary = generate(args.out, args.posts, args.orgs, args.seed, args.formats.split(","), args.start, args.end,
                       args.rows_per_file)
    seconds = time.perf_counter() - began
    print(json.dumps(summary, indent=2))
    print(f"{args.posts:,} posts in {seconds:.1f} s ({args.posts / max(seconds, 1e-9):,.0f} posts/s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
