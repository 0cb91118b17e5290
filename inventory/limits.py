"""The limits of what a plant may state, one place for the API, the spreadsheets and the pages."""

from decimal import Decimal

MAX_QUANTITY = 1_000_000
MAX_TEXT = 5_000
MAX_LIST = 50
MAX_LEAD_TIME_DAYS = 3_650
MIN_ENVELOPE = Decimal("0.001")
MAX_ENVELOPE = Decimal("9999999.999")
ENVELOPE_DECIMAL_PLACES = 3
MAX_PRICE_USD = Decimal("9999999999.99")
MIN_IT_GRADE, MAX_IT_GRADE = 1, 18
