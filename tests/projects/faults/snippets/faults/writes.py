with open("weights.txt", "w") as handle:
    handle.write("0.5\n")
print(sorted(os.listdir(".")))
