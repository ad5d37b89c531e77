# requires: square

def double(x):
    """Twice x."""
    # region solution
    return 2 * x
    # endregion


print(double(side))
