from inventory.errors import ConflictError


class TransitionNotAllowed(ConflictError):
    pass
