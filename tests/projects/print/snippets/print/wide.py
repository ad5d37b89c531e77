print("this line of code is far too long to fit on a slide, so its end is cut off on the slide and in the PDF", 42)
