print("on an excluded slide only")
