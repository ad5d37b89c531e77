import math

print(math.tau2 / 2)
