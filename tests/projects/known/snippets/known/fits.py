slope = math.sqrt(4)
print("slope", slope)
