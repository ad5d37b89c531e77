import os

os.mkdir("results")  # a fresh folder for each snippet run by pytest, not in a notebook
