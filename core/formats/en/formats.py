# English dates as Hong Kong writes them ("18 Dec 2023"), not the US "Dec. 18, 2023" or "12/18/2023", on
# every page and in the admin; the Chinese languages keep Django's own formats (2023年12月18日). Files for
# machines (CSV, xlsx, iCalendar) and form inputs keep ISO dates (2023-12-18).
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "M Y"
