# Dates are written out in full for readers: "September 25, 2024", never "Sept. 25, 2024".
DATE_FORMAT = "F j, Y"
YEAR_MONTH_FORMAT = "F Y"
DATETIME_FORMAT = "F j, Y, P"
SHORT_DATE_FORMAT = "Y-m-d"
