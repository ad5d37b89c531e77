# region setup
x = 2
# endregion
print("hello", x
