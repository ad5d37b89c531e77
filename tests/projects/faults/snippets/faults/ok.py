value = 41 + 1
print("value is", value)
