"""Russian dates as documents write them. Django's defaults ("20 ноября 2023 г.") are
right but for a day and month, which it puts in the nominative ("20 Ноябрь")."""

MONTH_DAY_FORMAT = "j E"
