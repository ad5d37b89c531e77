# region setup
values = [3, 1, 2]
# endregion
