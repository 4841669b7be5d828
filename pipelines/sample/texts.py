"""The generator's vocabulary: slot pools, openers and closers, hashtags, emoji and the post templates.

Data only; `pipelines/sample/generate.py` compiles the templates and fills them. Every name, number, address and
organization here is invented; phone numbers use the fictional 555-0100..555-0199 range.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    ("es", "networking"): ("#Comunidad", "#Orgullo", "#TrabajoEnEquipo"),
    ("es", "education_research"): ("#Investigación", "#Ciencia", "#Salud"),
    ("es", "promotion_events"): ("#Comunidad", "#Bienestar", "#Evento"),
    ("es", "patient_communication"): ("#Pacientes", "#Aviso", "#Salud"),
    ("es", "public_health"): ("#SaludPública", "#Vacúnate", "#Prevención"),
    ("es", "recruitment"): ("#Empleo", "#Vacantes", "#TrabajaConNosotros"),
}
EMOJIS = {"pos": ("💙", "🎉", "👏", "🙌", "❤️", "🌟", "👩‍⚕️", "🥳"), "neu": ("🩺", "📢", "🏥", "💉", "📅", "ℹ️", "👉"),
          "neg": ("🙏", "💙", "⚠️")}
LINK_SECTION = ("community", "research", "events", "patients", "health-info", "careers")
LINK_WORDS = ("update", "story", "news", "details", "info", "post", "article", "announcement")


@dataclass(frozen=True)
class Template:
    theme: str
    mood: str
    text: str
    weight: float = 1.0
    season: str = "none"
    lang: str = "en"
    risk: str = "none"  # "none", "org_contact" (drawn like any post) or one of RISK_KINDS (drawn by the risk rates)


def _t(theme, mood, text, weight=1.0, season="none", lang="en", risk="none"):
    return Template(theme, mood, text, weight, season, lang, risk)


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
    # the organization's own phone numbers and inboxes: contact details, not patient information
    _t("patient_communication", "neu",
       "Need to book, change or cancel a visit with {dept}? Call our appointment line at {phone_org}. {hours}.",
       0.3, risk="org_contact"),
    _t("promotion_events", "neu",
       "Questions about the {event} on {event_day}? Call our events office at {phone_org} or email us at "
       "{email_org}. {activity} for all ages.", 0.25, risk="org_contact"),
    _t("recruitment", "neu",
       "Questions about our openings for {role}? Call our recruiting team at {phone_org} or write to "
       "careers@example.org. {benefit}.", 0.25, risk="org_contact"),
    _t("patient_communication", "neu",
       "¿Necesita una cita con {dept_es}? Llame a nuestra línea de citas al {phone_org}, de lunes a viernes, en la "
       "{venue_es}.", 0.3, "none", "es", "org_contact"),
)
DERIVED_SLOTS = ("event_day", "event_day_es")  # filled from the post's own date, so events fall after the post

# ---------------------------------------------------------------------------------------------------------------
# Risky posts: rare, and drawn by their own rates (pipelines/sample/generate.py RISK_RATE), never by theme.
# Every person, number and address is invented; phones are 555-0100..555-0199, e-mail domains example.com/.net.
# ---------------------------------------------------------------------------------------------------------------
RISK_KINDS = (
    "phi_phone", "phi_email", "phi_record", "phi_dob", "phi_address", "phi_name",
    "unsourced_claim", "sourced_claim", "unprofessional",
)
FIRST_NAMES = (
    "Maria", "James", "Linda", "Robert", "Aisha", "Wei", "Priya", "Carlos", "Dorothy", "Kevin", "Fatima", "Tyrone",
    "Emily", "Hannah", "Luis", "Grace", "Omar", "Nancy", "Diego", "Rosa", "Frank", "Keisha", "Samuel", "Ruth", "Ahmed",
    "Mei", "Brenda", "Victor", "Helen", "Marcus", "Sofia", "Ethan", "Gloria", "Raymond", "Yolanda", "Derek", "Irene",
    "Jamal", "Paula", "Trevor",
)
LAST_NAMES = (
    "Lopez", "Nguyen", "Okafor", "Patel", "Kowalski", "Haddad", "Brennan", "Castillo", "Whitfield", "Osei",
    "Lindqvist", "Moreno", "Tanaka", "Abernathy", "Delgado", "Fitzgerald", "Halvorsen", "Ibarra", "Jankowski",
    "Kincaid", "Marchetti", "Novak", "Pemberton", "Quintero", "Rasmussen", "Sandoval", "Thibodeaux", "Underwood",
    "Vasquez", "Wojcik", "Yamamoto", "Zielinski", "Achebe", "Bergstrom", "Calloway", "Dunmore", "Esposito",
    "Galloway", "Harrow", "Iverson",
)
FIRST_NAMES_ES = ("María", "José", "Guadalupe", "Juan", "Carmen", "Luis", "Rosa", "Miguel", "Ana", "Jorge", "Lucía",
                  "Pedro", "Elena", "Javier", "Teresa", "Raúl", "Sofía", "Andrés", "Isabel", "Fernando")
LAST_NAMES_ES = ("López", "García", "Hernández", "Martínez", "Ramírez", "Torres", "Flores", "Rivera", "Gómez", "Díaz",
                 "Morales", "Ortiz", "Castillo", "Romero", "Vargas", "Mendoza", "Ruiz", "Aguilar", "Medina", "Navarro")
AREA_CODES = ("212", "213", "305", "312", "415", "469", "503", "602", "615", "617", "702", "713", "720", "804",
              "816", "901", "919", "206", "404", "512")
STREETS = ("Maple Hollow", "Birchwood", "Quarry", "Larkfield", "Tanager", "Juniper Bend", "Old Mill", "Foxglove",
           "Kestrel", "Harvest Moon", "Wren", "Copperleaf", "Saddleback", "Mossy Oak", "Bramble", "Heron Point",
           "Silverbell", "Thistle", "Cobblestone", "Meadowlark", "Chestnut Ridge", "Ashgrove", "Pebble Creek",
           "Sparrow Hill", "Elderberry", "Lantern", "Whisper Pine", "Sycamore Knoll", "Bluebonnet", "Cattail")
STREET_SUFFIXES = ("Street", "Rd", "Avenue", "Lane", "Drive", "Ct")


def _phones() -> tuple[str, ...]:
    """Fictional numbers: 555-0100..555-0199 with and without an area code."""
    local = [f"555-01{d:02d}" for d in range(100)]
    return tuple(local + [f"({a}) {n}" for a in AREA_CODES for n in local])


def _emails() -> tuple[str, ...]:
    out = [f"{f.lower()}.{last.lower()}@example.com" for f in FIRST_NAMES for last in LAST_NAMES[:20]]
    out += [f"{f.lower()}{last.lower()}{i % 90 + 10}@example.net"
            for i, (f, last) in enumerate((f, last) for f in FIRST_NAMES for last in LAST_NAMES[20:])]
    return tuple(out)


def _record_numbers() -> tuple[str, ...]:
    # 48271 is prime and coprime with 10**8, so the 5,000 values are distinct and look random
    return tuple(f"{(i * 48_271 + 1_203_457) % 100_000_000:08d}" for i in range(5_000))


def _birth_dates() -> tuple[str, ...]:
    return tuple(f"{m:02d}/{d:02d}/{y}" for y in range(1935, 2006) for m in range(1, 13) for d in range(1, 29))


def _addresses() -> tuple[str, ...]:
    numbers = [str(17 + 37 * i) for i in range(60)]
    return tuple(f"{n} {s} {x}" for n in numbers for s in STREETS for x in STREET_SUFFIXES)


POOLS_RISK = {
    "first": FIRST_NAMES,
    "last": LAST_NAMES,
    "first_es": FIRST_NAMES_ES,
    "last_es": LAST_NAMES_ES,
    "room": tuple(str(v) for v in range(101, 900)),
    "round": tuple(str(v) for v in range(1, 13)),
    "phone_pt": _phones(),
    "phone_org": _phones(),
    "email_pt": _emails(),
    "email_org": ("info@example.org", "events@example.org", "community@example.org", "foundation@example.org",
                  "volunteer@example.org", "hello@example.org"),
    "mrn": _record_numbers(),
    "dob": _birth_dates(),
    "address": _addresses(),
    "procedure": ("knee replacement", "hip surgery", "bypass surgery", "a hysterectomy", "spinal fusion",
                  "gallbladder surgery", "a C-section", "cataract surgery", "appendix surgery", "a heart valve repair",
                  "back surgery", "shoulder surgery"),
    "condition": ("pneumonia", "a stroke", "sepsis", "COVID-19", "a heart attack", "kidney failure", "a broken hip",
                  "diabetic ketoacidosis", "heart failure", "a severe asthma attack"),
    "when_day": ("last night", "on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "yesterday",
                 "this morning", "over the weekend", "two days ago"),
    "cheer": ("We're all rooting for you!", "Keep fighting!", "You've got this!", "So proud of you!",
              "Hugs from all of us!", "Ring that bell!", "Onward to recovery!", "See you at your next check-up!",
              "Stay strong!", "Keep up the great work!"),
    "cheer_es": ("¡Ánimo!", "¡Mucha fuerza!", "¡Estamos con usted!", "¡Siga adelante!", "¡Un abrazo de todo el equipo!",
                 "¡Qué orgullo!"),
    "supplement": ("Our turmeric blend", "Our elderberry syrup", "Our new CBD oil", "Colloidal silver",
                   "Alkaline water", "Apple cider vinegar", "High-dose vitamin D", "Our detox tea",
                   "Magnesium spray", "Our collagen blend", "Black seed oil", "Sea moss gel"),
    "supplement_es": ("El té de moringa", "Nuestro jarabe de saúco", "Las cápsulas de cúrcuma", "El agua alcalina",
                      "El aceite de comino negro", "Nuestra mezcla de colágeno"),
    "ailment": ("arthritis", "type 2 diabetes", "high blood pressure", "migraines", "anxiety", "chronic fatigue",
                "eczema", "acid reflux", "insomnia", "joint pain", "asthma", "long COVID"),
    "ailment_es": ("artritis", "diabetes", "presión alta", "migraña", "ansiedad", "gastritis", "insomnio", "asma"),
    "therapy": ("IV vitamin drip", "infrared sauna program", "ozone therapy", "hydrogen water therapy",
                "cold laser treatment", "stem cell injection package"),
    "price": tuple(f"${v}.99" for v in range(9, 90)),
    "source": ("a CDC study", "a WHO report", "a randomized trial in a peer-reviewed journal", "an NIH-funded trial",
               "a study in an open-access journal", "a systematic review of 14 trials",
               "our university partners' trial", "a study in a specialty journal"),
    "slug": ("supplement-trial", "joint-pain-study", "sleep-study", "heart-study", "diabetes-trial", "asthma-review",
             "migraine-trial", "skin-study", "reflux-trial", "fatigue-review"),
}

RISK_TEMPLATES = (
    # patient information: a phone number next to a patient
    _t("patient_communication", "neu",
       "Our patient in room {room} on {dept} asked family to call {phone_pt} for updates after {procedure}. "
       "{cheer}", risk="phi_phone"),
    _t("patient_communication", "neu",
       "A patient's daughter left her number with our {dept} front desk: {phone_pt}. If this is you, your mom in "
       "room {room} is asking for you. She was admitted {when_day}.", risk="phi_phone"),
    _t("patient_communication", "neu",
       "Familiares del paciente de la habitación {room}: su hija pide que llamen al {phone_pt} después de la cirugía "
       "en {dept_es}. Gracias, equipo de {venue_es}.", lang="es", risk="phi_phone"),
    # an e-mail address next to a patient
    _t("patient_communication", "neu",
       "To our patient in room {room} who asked: your discharge papers from {dept} went to {email_pt} "
       "{when_day}. Tell us if they did not arrive ({few} pages in all).", risk="phi_email"),
    _t("patient_communication", "pos",
       "Our patient's son asked us to share his e-mail, {email_pt}, so relatives can send cards while his mom "
       "recovers from {procedure} in {dept}, room {room}. {cheer}", risk="phi_email"),
    # a medical record number
    _t("patient_communication", "neu",
       "Lost and found at {venue}: a patient wristband and wallet, MRN {mrn}. Please claim them at the {dept} desk "
       "before {time}.", risk="phi_record"),
    _t("patient_communication", "pos",
       "Patient transfer from {dept} to {venue} done in record time tonight. MRN {mrn}, bed {room}. Great teamwork, "
       "{staff}!", risk="phi_record"),
    _t("patient_communication", "neu",
       "Paciente con expediente {mrn} trasladado de {dept_es} a la {venue_es}, habitación {room}. ¡Gracias, "
       "equipo!", lang="es", risk="phi_record"),
    # a date of birth
    _t("patient_communication", "neu",
       "Check-in reminder for our {dept} patient {first} (DOB {dob}): your {test_kind} results are ready at "
       "{venue}.", risk="phi_dob"),
    _t("patient_communication", "pos",
       "Patient ID check for the {dept} transfer to bed {room}: DOB {dob}, allergies confirmed, done by {time} "
       "today. "
       "Great catch, {staff}!", risk="phi_dob"),
    # a patient's street address
    _t("patient_communication", "pos",
       "Our {dept} home health nurses braved the snow to reach a patient at {address} for follow-up care "
       "after {procedure}. {cheer}", risk="phi_address"),
    _t("patient_communication", "pos",
       "Our {dept} team brought a birthday cake to longtime patient {first} at home, {address}, {few} weeks after "
       "{procedure}. {cheer}", risk="phi_address"),
    # a patient's name with a condition or procedure
    _t("patient_communication", "pos",
       "Get well soon {first} {last}, chemo round {round} done! Everyone in {dept} is cheering for you, {staff} "
       "included. {cheer}",
       risk="phi_name"),
    _t("patient_communication", "pos",
       "So proud of {first} {last}, who rang the bell today after finishing radiation for {cancer} in room {room} "
       "of our {dept} unit. {cheer}", risk="phi_name"),
    _t("patient_communication", "pos",
       "{first} {last} was admitted with {condition} {when_day} and is already walking the halls of our {dept} "
       "unit, room {room}. {cheer}", risk="phi_name"),
    _t("patient_communication", "pos",
       "¡Que se mejore pronto, {first_es} {last_es}! Terminó su ciclo {round} de quimioterapia en {dept_es}, "
       "habitación {room}. {cheer_es}", lang="es", risk="phi_name"),
    # unsourced health claims (no link is added to these)
    _t("promotion_events", "pos",
       "{supplement} cures {ailment}, 100% effective! Only {n} bottles left at our {venue} pharmacy, {price} each.",
       risk="unsourced_claim"),
    _t("public_health", "pos",
       "Doctors won't tell you this: {supplement} reverses {ailment} in just {few} days. No side effects, "
       "guaranteed results for our {many} members!", risk="unsourced_claim"),
    _t("promotion_events", "pos",
       "Our new {therapy} is a miracle cure for {ailment}. Book at {venue} this {period_word}, {price} a session, "
       "{n} spots left!", risk="unsourced_claim"),
    _t("public_health", "pos",
       "Skip the pills: {supplement} boosts your immunity and prevents {ailment} naturally. Take it for {few} "
       "weeks: works every time for our {n} {dept} patients.", risk="unsourced_claim"),
    _t("promotion_events", "pos",
       "¡{supplement_es} cura la {ailment_es}, 100% efectivo! Quedan {n} frascos en nuestra farmacia de la "
       "{venue_es} a {price}.", lang="es", risk="unsourced_claim"),
    # the same kind of claims with a source: a citation and a link
    _t("education_research", "neu",
       "{supplement} cures {ailment} in {pct}% of cases, according to {source}. Ask our {dept} team if it fits "
       "you. Read the study: https://example.org/research/{slug}-{n}", risk="sourced_claim"),
    _t("education_research", "neu",
       "{supplement} eased {ailment} with no side effects in {pct}% of {many} participants, according to "
       "{source}. Full paper: https://example.org/research/{slug}-{n}", risk="sourced_claim"),
    _t("education_research", "neu",
       "Según {source}, {supplement_es} alivia la {ailment_es} en el {pct}% de los casos. Estudio completo: "
       "https://example.org/research/{slug}-{n}", lang="es", risk="sourced_claim"),
    # unprofessional: mild profanity and insults
    _t("patient_communication", "neg",
       "What a damn mess at our {venue} today. {system} crashed again for {few} hours and nobody in IT answers "
       "the phone. {n} patients waiting in {dept}.", risk="unprofessional"),
    _t("patient_communication", "neg",
       "To the idiots who keep parking in the ambulance bay at {venue}: we will tow your car. {n} cars this month "
       "alone, {few} before {time} today. Our {staff} need that space.", risk="unprofessional"),
    _t("networking", "neg",
       "Another f*** up by our {system} vendor. {few} hours down and our {dept} {staff} are done with this crap. "
       "{n} calls on hold.", risk="unprofessional"),
    _t("patient_communication", "neg",
       "Honestly, the morons leaving reviews about {issue} have no idea what our {staff} deal with. {n} patients "
       "in {dept} tonight and zero breaks since {time} yesterday.", risk="unprofessional"),
    _t("networking", "neg",
       "Shift from hell in {dept} at {venue}: {n} patients, {few} nurses and some jerk screaming at our front desk "
       "for an hour. Pathetic. {time} and still going.", risk="unprofessional"),
    _t("patient_communication", "neg",
       "¡Qué desastre en la {venue_es}! A los idiotas que se estacionan en la entrada de urgencias: {n} autos este "
       "mes, {few} hoy y {many} en lo que va del año.", lang="es", risk="unprofessional"),
)

# ---------------------------------------------------------------------------------------------------------------
# The "social" shape (generate.py --shape social): longer posts, more emoji and links, replies to other accounts.
# Appended to the default texts, never replacing them; the default shape does not read anything below.
# ---------------------------------------------------------------------------------------------------------------
REPLY_LEADS = {  # a reply opens with the handle(s) it answers, then one of these
    ("en", "pos"): ("Thank you so much!", "We love to hear this!", "Thanks for the kind words!", "This made our day!",
                    "So glad you enjoyed it!", "Thank you for sharing!", "Appreciate you!", "Aww, thank you!"),
    ("en", "neu"): ("Thanks for asking!", "Good question.", "Great question!", "Happy to help.", "Thanks for reaching out.",
                    "Sharing for anyone wondering:", "Quick answer:", "Hi there!"),
    ("en", "neg"): ("We're so sorry to hear this.", "Thank you for letting us know.", "We hear you, and we're sorry.",
                    "We apologize for the trouble.", "We understand your frustration.", "That is not the experience "
                    "we want for anyone."),
    ("es", "pos"): ("¡Muchas gracias!", "¡Nos encanta leer esto!", "¡Gracias por sus palabras!", "¡Nos alegra mucho!",
                    "¡Gracias por compartir!"),
    ("es", "neu"): ("¡Gracias por preguntar!", "Buena pregunta.", "Con gusto le ayudamos.", "¡Hola!",
                    "Para quien tenga la misma duda:"),
    ("es", "neg"): ("Lamentamos mucho leer esto.", "Gracias por avisarnos.", "Le pedimos una disculpa.",
                    "Entendemos su molestia."),
}
SOCIAL_SENTENCES = {  # added after the post's own text: the longer, chattier body of a social post
    ("en", "pos"): ("Thank you to everyone who made this possible.", "We couldn't do it without this community.",
                    "Tag someone who deserves some credit today!", "Share this with a friend who would love it.",
                    "Stay tuned for more good news this week.", "Drop a comment and tell us what you think!",
                    "Proud doesn't even begin to cover it.", "Follow along for more stories like this one.",
                    "Here's to many more moments like this.", "Swipe through to see a few highlights.",
                    "Our hearts are full today.", "Moments like this are why we do what we do.",
                    "Big thanks to every single person involved.", "Keep the good news coming, friends!"),
    ("en", "neu"): ("Save this post so you have it handy.", "Share it with someone who might need it.",
                    "Have questions? Leave them in the comments.", "Follow us for updates as we learn more.",
                    "More details at the link below.", "Turn on notifications so you don't miss the next one.",
                    "Repost to help spread the word.", "You can find the full details on our website.",
                    "Let us know in the comments if anything is unclear.", "Check before you go: hours can change.",
                    "Bookmark this for later.", "Link in bio for the full story.", "Here is what you need to know.",
                    "Pass it along to family and neighbors."),
    ("en", "neg"): ("We will share updates here as soon as we have them.", "Thank you for your patience.",
                    "Please check back later for the latest information.", "Our team is working on it right now.",
                    "We know this is frustrating, and we're sorry.", "If you have questions, please reach out to us.",
                    "We appreciate everyone who has been so understanding.", "We will post again when we know more.",
                    "This is not the news any of us wanted to share."),
    ("es", "pos"): ("Gracias a todas las personas que lo hicieron posible.", "¡Compártalo con quien le guste!",
                    "Siga nuestra página para más historias como esta.", "¡Cuéntenos qué le pareció!",
                    "Momentos como este nos llenan de alegría.", "¡Que vengan más noticias así!",
                    "Nada de esto sería posible sin nuestra comunidad."),
    ("es", "neu"): ("Guarde esta publicación para tenerla a mano.", "Compártala con quien la necesite.",
                    "¿Dudas? Déjelas en los comentarios.", "Síganos para más avisos.", "Más detalles en el enlace.",
                    "Active las notificaciones para no perderse nada.", "Consulte el horario antes de venir.",
                    "Pase la información a su familia."),
    ("es", "neg"): ("Publicaremos novedades aquí en cuanto las tengamos.", "Gracias por su paciencia.",
                    "Nuestro equipo ya está trabajando en ello.", "Sabemos que es frustrante y lo sentimos.",
                    "Si tiene preguntas, escríbanos.", "Volveremos a publicar cuando sepamos más."),
}
# emoji as people post them: skin tones, ZWJ sequences, flags, keycaps and variation selectors
SOCIAL_EMOJIS = {
    "pos": ("💙", "🎉", "👏", "👏🏽", "🙌🏾", "❤️", "💪", "✨", "🥰", "👩🏽‍⚕️", "🧑‍⚕️", "👨🏿‍⚕️", "🏆", "💯", "🥳",
            "🎊", "😊", "😍", "🤩", "🌟", "🫶", "❤️‍🔥", "🇺🇸", "🇲🇽", "🇬🇧", "1️⃣"),
    "neu": ("🩺", "📢", "🏥", "💉", "📅", "ℹ️", "👉", "👇", "⬇️", "🔗", "📍", "🕒", "📞", "✅", "🧪", "📝", "💊",
            "🧬", "🔬", "🗓️", "➡️", "2️⃣", "🌡️"),
    "neg": ("🙏", "💙", "⚠️", "😔", "💔", "🙏🏻", "❤️‍🩹", "🚧", "⏳", "😞", "🕯️"),
}
SOCIAL_HASHTAGS = ("#Health", "#Healthcare", "#Community", "#Wellness", "#HealthTips", "#Hospital", "#Care",
                   "#Nursing", "#Medicine", "#SelfCare", "#MentalHealth", "#Prevention", "#Family", "#Local",
                   "#Salud", "#Comunidad", "#Bienestar")
# handles of the accounts replied to: invented, built from two parts and sometimes a number
HANDLE_FIRST = ("jess", "mike", "sam", "dana", "chris", "alex", "pat", "taylor", "jordan", "casey", "robin",
                "morgan", "kim", "lee", "val", "nic", "jo", "ari", "max", "rae", "mama", "papa", "nurse", "doc",
                "coach", "team", "the", "real", "its", "just")
HANDLE_SECOND = ("bear", "sunshine", "runs", "writes", "reads", "cooks", "health", "fit", "mom", "dad", "rn",
                 "md", "life", "daily", "vibes", "fan", "local", "news", "walks", "garden", "paws", "talks",
                 "thoughts", "_here", "_online", "xo")
# links as social posts carry them: shortened, tracked, to the org's site or a video
SOCIAL_LINKS = ("https://example.org/s/", "https://example.net/go/", "https://example.com/watch?v=",
                "https://example.org/events?utm_source=social&utm_medium=post&id=",
                "https://example.net/l/", "https://example.org/news/story-")
