# echo: last
# expects: squares_output
numbers = [1, 2, 3]
print("squares of", numbers)
[n * n for n in numbers]
