"""Dates as official documents and diplomatic usage write them: "20 November 2023", not
Django's American "Nov. 20, 2023"."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
