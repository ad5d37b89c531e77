# echo: last
# expects: squares_output
# known-failure: prints something else than the output pasted in snippets/known/squares_output.txt (output differs)
[n * n for n in range(4)]
