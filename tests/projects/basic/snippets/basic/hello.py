# region setup
# the audience does not need to see where x comes from
x = 2
# endregion
print("hello", x)
