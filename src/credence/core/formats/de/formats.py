"""German formats where Django's differ from the program's one style (decision 0036): one
way of writing a date ("5. Dezember 2026"), also where a template asks for the short one.
Everything else (24-hour clock, 1.234,50) is Django's."""

SHORT_DATE_FORMAT = "j. F Y"
SHORT_DATETIME_FORMAT = "j. F Y H:i"
