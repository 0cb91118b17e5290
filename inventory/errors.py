class ConflictError(Exception):
    """A request that is well-formed but cannot be carried out in the current state (HTTP 409)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class InsufficientStock(ConflictError):
    pass


class StockCountsRefused(ConflictError):
    """Some counts of a bulk import cannot be applied; ``refused`` maps each one's index to the reason."""

    def __init__(self, refused: dict[int, str]):
        super().__init__("; ".join(refused.values()))
        self.refused = refused
