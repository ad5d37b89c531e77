print("nothing to upgrade")
