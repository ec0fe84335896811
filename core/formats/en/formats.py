# English dates as Hong Kong writes them ("18 Dec 2023"), not the US "12/18/2023"; the Chinese
# languages keep Django's own formats (2023年12月18日). Templates use date:"SHORT_DATE_FORMAT".
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
