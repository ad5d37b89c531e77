import random

print("rolled", random.randint(1, 10**9))
