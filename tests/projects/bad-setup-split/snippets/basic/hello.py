def greet(name):
    # region setup
    name = name.title()
    # endregion
    return "hello " + name


print(greet("ada"), 2)
