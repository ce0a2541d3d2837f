"""Static tables behind the fake directory: departments and titles, offices, group names, edge-case people."""

from typing import NamedTuple


class Department(NamedTuple):
    """A department: its name, cost-centre code, relative size and the titles its people hold."""

    name: str
    code: str
    weight: int
    head: str
    director: str
    manager: str
    titles: tuple[str, ...]

    @property
    def intern(self) -> str:
        """Title given to interns in this department."""
        return f"{self.name} Intern"

    def all_titles(self) -> frozenset[str]:
        """Every title a member of this department may hold."""
        return frozenset((self.head, self.director, self.manager, self.intern, *self.titles))


# The CEO sits alone in Executive; department heads report to the CEO.
EXECUTIVE = Department("Executive", "EXE", 0, "Chief Executive Officer", "Chief of Staff", "Chief of Staff", ())

DEPARTMENTS: tuple[Department, ...] = (
    Department(
        "Engineering", "ENG", 28, "VP of Engineering", "Director of Engineering", "Engineering Manager",
        ("Software Engineer", "Senior Software Engineer", "Staff Software Engineer", "Principal Engineer",
         "Site Reliability Engineer", "QA Engineer", "Frontend Engineer", "Backend Engineer"),
    ),
    Department(
        "Sales", "SLS", 15, "VP of Sales", "Director of Sales", "Sales Manager",
        ("Account Executive", "Senior Account Executive", "Sales Development Representative",
         "Sales Engineer", "Sales Operations Analyst"),
    ),
    Department(
        "Support", "SUP", 10, "VP of Customer Support", "Director of Support", "Support Manager",
        ("Support Engineer", "Senior Support Engineer", "Customer Support Specialist",
         "Support Operations Analyst"),
    ),
    Department(
        "Marketing", "MKT", 7, "VP of Marketing", "Director of Marketing", "Marketing Manager",
        ("Marketing Specialist", "Content Strategist", "Growth Marketer", "Product Marketing Manager",
         "Brand Designer", "SEO Specialist"),
    ),
    Department(
        "Product", "PRD", 6, "VP of Product", "Director of Product", "Group Product Manager",
        ("Product Manager", "Senior Product Manager", "Product Designer", "UX Researcher",
         "Technical Writer"),
    ),
    Department(
        "Customer Success", "CSM", 6, "VP of Customer Success", "Director of Customer Success",
        "Customer Success Team Lead",
        ("Customer Success Manager", "Implementation Consultant", "Onboarding Specialist",
         "Renewals Specialist"),
    ),
    Department(
        "Operations", "OPS", 6, "VP of Operations", "Director of Operations", "Operations Manager",
        ("Business Operations Analyst", "Office Manager", "Facilities Coordinator",
         "Procurement Specialist", "Workplace Coordinator"),
    ),
    Department(
        "Data", "DAT", 5, "Head of Data", "Director of Data", "Data Science Manager",
        ("Data Scientist", "Data Engineer", "Analytics Engineer", "Data Analyst",
         "Machine Learning Engineer"),
    ),
    Department(
        "Finance", "FIN", 4, "Chief Financial Officer", "Controller", "Finance Manager",
        ("Accountant", "Senior Accountant", "Financial Analyst", "Payroll Specialist",
         "Accounts Payable Specialist"),
    ),
    Department(
        "People", "PPL", 4, "Chief People Officer", "Director of People", "HR Manager",
        ("HR Business Partner", "Recruiter", "Technical Recruiter", "People Operations Specialist",
         "Learning & Development Specialist"),
    ),
    Department(
        "IT", "IT", 4, "Head of IT", "Director of IT", "IT Manager",
        ("IT Support Specialist", "Systems Administrator", "Identity & Access Engineer",
         "Help Desk Technician", "IT Operations Engineer"),
    ),
    Department(
        "Security", "SEC", 3, "Chief Information Security Officer", "Director of Security", "Security Manager",
        ("Security Engineer", "Security Analyst", "Application Security Engineer", "GRC Analyst",
         "Incident Responder"),
    ),
    Department(
        "Legal", "LGL", 2, "General Counsel", "Deputy General Counsel", "Associate General Counsel",
        ("Corporate Counsel", "Paralegal", "Contracts Manager", "Privacy Counsel"),
    ),
)


class Office(NamedTuple):
    """An office: where it is, which Faker locale names its people, its language and time zone, its phone formats."""

    city: str
    code: str
    region: str
    postal_code: str
    country: str
    locale: str
    language: str  # BCP 47, as SCIM's `locale` and `preferredLanguage` carry it (RFC 7643 §4.1.1)
    timezone: str  # IANA tz database name, as SCIM's `timezone` (RFC 7643 §4.1.1)
    work_phone: str | None
    mobile_phone: str | None
    us: bool


# Real cities with their real region and a real postal code. Phone numbers come only from ranges reserved
# for fiction: NANP 555-0100..0199 (NANPA, "555 NXX line numbers"), Ofcom's drama ranges 020 7946 0xxx and
# 07700 900xxx (Ofcom "Telephone numbers for use in TV and radio drama"). Other countries reserve none we
# could cite, so their people have no phone number rather than one that may ring a real person.
OFFICES: tuple[Office, ...] = (
    Office("San Francisco", "SFO", "CA", "94105", "US", "en_US", "en-US", "America/Los_Angeles",
           "+1 415 555 01##", "+1 628 555 01##", True),
    Office("New York", "NYC", "NY", "10001", "US", "en_US", "en-US", "America/New_York",
           "+1 212 555 01##", "+1 917 555 01##", True),
    Office("Louisville", "LOU", "CO", "80027", "US", "en_US", "en-US", "America/Denver",
           "+1 303 555 01##", "+1 720 555 01##", True),
    Office("Austin", "AUS", "TX", "78701", "US", "en_US", "en-US", "America/Chicago",
           "+1 512 555 01##", "+1 737 555 01##", True),
    Office("Toronto", "TOR", "ON", "M5V 2T6", "CA", "en_US", "en-CA", "America/Toronto",
           "+1 416 555 01##", "+1 647 555 01##", False),
    Office("London", "LON", "England", "EC1A 1BB", "GB", "en_GB", "en-GB", "Europe/London",
           "+44 20 7946 0###", "+44 7700 900###", False),
    Office("Berlin", "BER", "Berlin", "10115", "DE", "de_DE", "de-DE", "Europe/Berlin", None, None, False),
    Office("Paris", "PAR", "Île-de-France", "75002", "FR", "fr_FR", "fr-FR", "Europe/Paris", None, None, False),
    Office("Madrid", "MAD", "Comunidad de Madrid", "28013", "ES", "es_ES", "es-ES", "Europe/Madrid", None, None,
           False),
    Office("Kraków", "KRK", "Małopolskie", "31-042", "PL", "pl_PL", "pl-PL", "Europe/Warsaw", None, None, False),
    Office("Tokyo", "TYO", "東京都", "100-0005", "JP", "ja_JP", "ja-JP", "Asia/Tokyo", None, None, False),
)
OFFICE_EVERY = 60  # the company opens another office every 60 hires, in an order drawn from the seed

# Locales whose names we pool, and how often a name comes from outside the office's own locale.
NAME_LOCALES: tuple[str, ...] = ("en_US", "en_GB", "fr_FR", "de_DE", "es_ES", "pl_PL", "ja_JP")
FOREIGN_NAME_SHARE = 0.2
FOREIGN_NAME_WEIGHTS: tuple[int, ...] = (40, 10, 10, 10, 15, 10, 5)

# Letters NFKD does not decompose into ASCII.
ASCII_FOLD = str.maketrans({
    "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
    "đ": "d", "Đ": "D", "ı": "i", "þ": "th", "ð": "d",
})

EMPLOYEE_TYPES: tuple[tuple[str, float], ...] = (
    ("Full-time", 0.86), ("Contractor", 0.07), ("Part-time", 0.04), ("Intern", 0.03),
)

# RFC 2606 reserves example.com/.net/.org, so no generated address can reach a real mailbox.
PERSONAL_DOMAINS: tuple[str, ...] = ("example.com", "example.net", "example.org", "mail.example.com")

PROJECT_NOUNS: tuple[str, ...] = (
    "Falcon", "Atlas", "Aurora", "Beacon", "Cascade", "Comet", "Condor", "Delta", "Ember", "Everest",
    "Firefly", "Glacier", "Harbor", "Helix", "Horizon", "Juniper", "Kestrel", "Lighthouse", "Lotus",
    "Meridian", "Nebula", "Nimbus", "Orion", "Osprey", "Pegasus", "Phoenix", "Polaris", "Quasar",
    "Raven", "Redwood", "Sequoia", "Sierra", "Solstice", "Sparrow", "Summit", "Tundra", "Vega",
    "Voyager", "Willow", "Zephyr",
)
PROJECT_ADJECTIVES: tuple[str, ...] = (
    "Amber", "Blue", "Bright", "Copper", "Crimson", "Golden", "Green", "Hidden", "Iron", "Jade",
    "Lunar", "Silent", "Silver", "Solar", "Swift", "Velvet",
)

EMPTY_GROUP = ("Legacy VPN Users", "Retired with the old VPN; kept empty for the access review trail.")
