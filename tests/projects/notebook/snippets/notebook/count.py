# requires: data
# region setup
values = sorted(values)
# endregion
total = sum(values)
print("total", total, "of", values)
