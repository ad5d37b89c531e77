# requires: ok
print("still running after the others:", value)
