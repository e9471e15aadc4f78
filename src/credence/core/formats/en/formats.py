"""English formats where Django's differ from the program's one style (decision 0036): the
24-hour clock ("Dec. 5, 2026, 8:26"; "a.m." doubled the full stop of a sentence ending in a
time) and one way of writing a date, also where a template asks for the short one
("12/05/2026" reads as 12 May to a German reader). Everything else is Django's."""

TIME_FORMAT = "G:i"
DATETIME_FORMAT = "N j, Y, G:i"
SHORT_DATE_FORMAT = "N j, Y"
SHORT_DATETIME_FORMAT = "N j, Y, G:i"
