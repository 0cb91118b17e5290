class ConflictError(Exception):
    """A request that is well-formed but cannot be carried out in the current state (HTTP 409)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class InsufficientStock(ConflictError):
    pass
