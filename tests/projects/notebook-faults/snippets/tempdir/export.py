import os

os.mkdir("results")
