# region setup
x = 2
# endregion
print("hello", x)
raise ValueError("no such learning rate")
