# known-failure: needs package sklearn, not installed (ModuleNotFoundError)
print("rounded:", math.floor(2.5))
