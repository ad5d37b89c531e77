class Frame:
    """Indexes by position only, as `.iloc` does: `.loc` does not work here."""

    iloc = {0: "first"}


print(Frame().ix[0])
